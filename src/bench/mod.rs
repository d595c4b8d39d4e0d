//! # How fast is a socket? The benchmark of chapter 18
//!
//! Document 001 relays a claim that Unix domain sockets beat loopback TCP,
//! and document 002 says that TCP is slow and UDP fast. This module
//! measures both on the reader's machine, in one run:
//!
//! - [`throughput`]: MiB/s from one thread to another for messages from
//!   64 B to 1 MiB, over TCP, a Unix stream socket, UDP and a Unix datagram
//!   socket (for datagrams, what was delivered and the share lost);
//! - [`latency`]: the round trip of one small message (1 B, 64 B, 1 KiB)
//!   over TCP with and without `TCP_NODELAY`, a Unix stream socket, UDP and
//!   a Unix datagram socket;
//! - the anchors, in the same run: [`anchors::iperf3`] for TCP throughput,
//!   [`anchors::sockperf`] for round trips, and [`copy::at_size`], the
//!   speed of `memcpy(3)` at each message size, half of which is the limit
//!   of a transport that copies every byte twice.
//!
//! Every figure is the median of several windows with their smallest and
//! largest value ([`stats`]), never a single number.
//!
//! ## Why `cargo run --release -- bench`, not `cargo bench`
//!
//! `cargo bench` and its harnesses (criterion, divan) time one function
//! called again and again on one thread, and report time per call. What
//! this benchmark measures is different: two threads on two ends of a
//! socket, bytes delivered and datagrams lost per window, two other
//! programs (iperf3, sockperf) run beside it, and the ratios between them.
//! So the measuring code lives here, in the library, where the book can
//! show it and a test can run it in a short mode ([`Options::quick`]);
//! the reader's command runs it as `cargo run --release -- bench`
//! (`--quick` for the short mode, `--out DIR` for where the charts and the
//! JSON go). `--release` matters: iperf3 and sockperf are optimised C, and
//! the comparison should be between optimised programs.

pub mod anchors;
pub mod charts;
pub mod copy;
pub mod latency;
pub mod stats;
pub mod throughput;
pub mod transports;

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use anchors::Missing;
use stats::{Plan, Spread};
use throughput::Throughput;
use transports::Transport;

/// The message sizes of the throughput measurement: 64 B to 1 MiB.
pub const SIZES: [usize; 10] = [
    64,
    256,
    1 << 10,
    4 << 10,
    16 << 10,
    32 << 10,
    64 << 10,
    128 << 10,
    256 << 10,
    1 << 20,
];

/// The message sizes of the round-trip measurement.
pub const LATENCY_SIZES: [usize; 3] = [1, 64, 1 << 10];

/// The transports whose throughput is measured.
pub const THROUGHPUT_TRANSPORTS: [Transport; 4] = [
    Transport::Tcp,
    Transport::UnixStream,
    Transport::Udp,
    Transport::UnixDatagram,
];

/// The transports whose round trip is measured.
pub const LATENCY_TRANSPORTS: [Transport; 5] = [
    Transport::TcpNoDelay,
    Transport::Tcp,
    Transport::UnixStream,
    Transport::Udp,
    Transport::UnixDatagram,
];

/// The write size of the comparison with iperf3: its default for TCP,
/// 128 KiB.
pub const IPERF3_SIZE: usize = 128 << 10;

/// How long the benchmark measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The windows of every measurement (iperf3's intervals too).
    pub plan: Plan,
    /// How long each sockperf run lasts (it has no windows).
    pub sockperf_seconds: u32,
    /// The message sizes compared with sockperf, over TCP and over UDP.
    pub sockperf_sizes: &'static [usize],
    /// How many times iperf3 and our TCP measurement take turns: the load
    /// of the machine drifts, and turns spread the drift over both.
    pub iperf3_rounds: usize,
}

impl Options {
    /// The real run: 7 windows of 200 ms, iperf3 and our TCP in three
    /// turns, sockperf for 3 s; about two and a half minutes in all.
    pub fn full() -> Options {
        Options {
            plan: Plan {
                count: 7,
                length: Duration::from_millis(200),
            },
            sockperf_seconds: 3,
            sockperf_sizes: &[64, 1 << 10],
            iperf3_rounds: 3,
        }
    }

    /// The short mode, to check that everything runs: 2 windows of 15 ms,
    /// iperf3 for a second, sockperf once over TCP and once over UDP for a
    /// second each; about ten seconds. Its figures are too noisy to quote.
    pub fn quick() -> Options {
        Options {
            plan: Plan {
                count: 2,
                length: Duration::from_millis(15),
            },
            sockperf_seconds: 1,
            sockperf_sizes: &[64],
            iperf3_rounds: 1,
        }
    }
}

/// One measurement of the sweep: a transport, a message size, and the
/// figure or why there is none.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<T> {
    /// The transport measured.
    pub transport: Transport,
    /// The message size in bytes.
    pub size: usize,
    /// The figure, or why there is none (a datagram too large, `EMSGSIZE`).
    pub result: Result<T, String>,
}

/// A figure of ours next to the same figure measured by a well-known tool,
/// in the same run, one right after the other.
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    /// The tool: "iperf3" or "sockperf".
    pub anchor: &'static str,
    /// The transport.
    pub transport: Transport,
    /// The message size in bytes.
    pub size: usize,
    /// The unit of both figures: "MiB/s" or "us" (round trip).
    pub unit: &'static str,
    /// Our figure.
    pub ours: Result<Spread, String>,
    /// The tool's figure, or why there is none (not installed, failed).
    pub theirs: Result<Spread, Missing>,
}

impl Comparison {
    /// Our median over the tool's: above 1 we move more bytes per second,
    /// or take longer per round trip.
    pub fn ratio(&self) -> Option<f64> {
        Some(self.ours.as_ref().ok()?.median / self.theirs.as_ref().ok()?.median)
    }
}

/// The machine the benchmark ran on.
#[derive(Debug, Clone, PartialEq)]
pub struct Machine {
    /// The processor's model name, from `/proc/cpuinfo`.
    pub cpu: String,
    /// How many processors the benchmark may use
    /// (`sched_getaffinity(2)`, through
    /// [`std::thread::available_parallelism`]).
    pub cpus: usize,
    /// The kernel's release, from `/proc/sys/kernel/osrelease` (what
    /// `uname -r` prints).
    pub kernel: String,
    /// When the run started, UTC.
    pub date: String,
    /// The load average over the last minute (`/proc/loadavg`) when the
    /// run started and when it ended: other programs share the processors.
    pub load: (String, String),
}

impl Machine {
    /// Reads what describes this machine now.
    pub fn now() -> Machine {
        let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find_map(|line| line.strip_prefix("model name")?.split_once(':'))
            .map(|(_, model)| model.trim().to_string())
            .unwrap_or_else(|| "unknown processor".into());
        let seconds = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_secs());
        Machine {
            cpu,
            cpus: std::thread::available_parallelism().map_or(1, usize::from),
            kernel: fs::read_to_string("/proc/sys/kernel/osrelease")
                .map_or_else(|_| "unknown".into(), |release| release.trim().into()),
            date: utc(seconds),
            load: (load_average(), String::new()),
        }
    }
}

/// The first field of `/proc/loadavg` (proc_loadavg(5)).
fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(String::from))
        .unwrap_or_else(|| "unknown".into())
}

/// `seconds` since the epoch as `YYYY-MM-DD HH:MM UTC` (the civil
/// calendar from a day count, after Howard Hinnant's `civil_from_days`).
fn utc(seconds: u64) -> String {
    let (days, rest) = ((seconds / 86_400) as i64, seconds % 86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    let (hour, minute) = (rest / 3600, rest % 3600 / 60);
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02} UTC")
}

/// Everything one run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Where it ran.
    pub machine: Machine,
    /// How long each measurement ran.
    pub options: Options,
    /// `memcpy(3)`'s bandwidth in MiB/s at each size of [`SIZES`], with
    /// buffers of that size (in cache).
    pub memcpy: Vec<(usize, Spread)>,
    /// `memcpy(3)`'s bandwidth in MiB/s between buffers larger than the
    /// caches.
    pub memory: Spread,
    /// Throughput for every transport and size.
    pub throughput: Vec<Row<Throughput>>,
    /// Round trips in microseconds for every transport and small size.
    pub latency: Vec<Row<Spread>>,
    /// Our figures next to iperf3's and sockperf's.
    pub anchors: Vec<Comparison>,
}

/// Runs the whole benchmark; `progress` hears what is being measured.
pub fn run(options: Options, mut progress: impl FnMut(&str)) -> Report {
    let machine = Machine::now();
    let plan = options.plan;
    progress("memcpy");
    let memcpy = SIZES
        .iter()
        .map(|&size| (size, copy::at_size(size, plan)))
        .collect();
    let memory = copy::out_of_cache(plan);

    let mut anchors = Vec::new();
    progress("iperf3 and TCP, 128 KiB writes");
    anchors.push(against_iperf3(plan, options.iperf3_rounds));
    for transport in [Transport::TcpNoDelay, Transport::Udp] {
        for &size in options.sockperf_sizes {
            progress(&format!(
                "sockperf and {}, {}",
                transport.name(),
                size_label(size)
            ));
            let theirs = anchors::sockperf(transport, size, options.sockperf_seconds);
            let ours = latency::measure(transport, size, plan).map_err(|e| e.to_string());
            anchors.push(Comparison {
                anchor: "sockperf",
                transport,
                size,
                unit: "us",
                ours,
                theirs,
            });
        }
    }

    let rows = sweep(
        &THROUGHPUT_TRANSPORTS,
        &SIZES,
        "throughput",
        &mut progress,
        |t, s| throughput::measure(t, s, plan),
    );
    let round_trips = sweep(
        &LATENCY_TRANSPORTS,
        &LATENCY_SIZES,
        "round trip",
        &mut progress,
        |t, s| latency::measure(t, s, plan),
    );
    let mut machine = machine;
    machine.load.1 = load_average();
    Report {
        machine,
        options,
        memcpy,
        memory,
        throughput: rows,
        latency: round_trips,
        anchors,
    }
}

/// Measures every transport at every size, one after the other.
fn sweep<T>(
    transports: &[Transport],
    sizes: &[usize],
    what: &str,
    progress: &mut impl FnMut(&str),
    measure: impl Fn(Transport, usize) -> io::Result<T>,
) -> Vec<Row<T>> {
    let mut rows = Vec::new();
    for &transport in transports {
        for &size in sizes {
            progress(&format!(
                "{what}, {}, {}",
                transport.name(),
                size_label(size)
            ));
            let result = measure(transport, size).map_err(|e| e.to_string());
            rows.push(Row {
                transport,
                size,
                result,
            });
        }
    }
    rows
}

/// iperf3 and our TCP sender and receiver, with writes of [`IPERF3_SIZE`],
/// taking turns `rounds` times (each starting in turn): the windows of all
/// turns make each figure.
fn against_iperf3(plan: Plan, rounds: usize) -> Comparison {
    let (mut ours, mut theirs) = (Ok(Vec::new()), Ok(Vec::new()));
    for round in 0..rounds {
        for turn in [round % 2, 1 - round % 2] {
            if turn == 0 {
                let measured = anchors::iperf3(IPERF3_SIZE, plan);
                extend(&mut theirs, measured);
            } else {
                let measured = throughput::measure(Transport::Tcp, IPERF3_SIZE, plan);
                let measured = measured.map(|t| t.delivered).map_err(|e| e.to_string());
                extend(&mut ours, measured);
            }
        }
    }
    let spread = |samples: Result<Vec<f64>, String>| {
        samples.and_then(|samples| Spread::of(samples).ok_or_else(|| "no figure".into()))
    };
    Comparison {
        anchor: "iperf3",
        transport: Transport::Tcp,
        size: IPERF3_SIZE,
        unit: "MiB/s",
        ours: spread(ours),
        theirs: spread(theirs),
    }
}

/// Adds the windows of one turn to those of the others; the first failure
/// stays.
fn extend(samples: &mut Result<Vec<f64>, String>, turn: Result<Spread, String>) {
    match (samples.as_mut(), turn) {
        (Ok(samples), Ok(turn)) => samples.extend(turn.samples),
        (Ok(_), Err(why)) => *samples = Err(why),
        (Err(_), _) => {}
    }
}

/// A size as people write it: `64 B`, `4 KiB`, `1 MiB`.
pub fn size_label(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} B"),
    }
}

/// A figure with its range: `2812 (2640–3085)`.
fn cell(spread: &Spread, digits: impl Fn(f64) -> String) -> String {
    format!(
        "{} ({}–{})",
        digits(spread.median),
        digits(spread.min),
        digits(spread.max)
    )
}

/// MiB/s with the digits that mean something.
fn rate(value: f64) -> String {
    match value {
        v if v >= 100.0 => format!("{v:.0}"),
        v if v >= 10.0 => format!("{v:.1}"),
        v => format!("{v:.2}"),
    }
}

/// Microseconds to a tenth.
fn micros(value: f64) -> String {
    format!("{value:.1}")
}

/// A share as a percentage.
fn percent(value: f64) -> String {
    format!("{:.1}%", value * 100.0)
}

/// A cell for a figure that may be missing.
fn result_cell<T>(result: &Result<T, String>, show: impl Fn(&T) -> String) -> String {
    match result {
        Ok(value) => show(value),
        Err(why) => format!("n/a: {why}"),
    }
}

impl Report {
    /// The most a transport that copies every byte twice can carry with
    /// messages of `size` bytes: half of `memcpy` at that size.
    pub fn copy_limit(&self, size: usize) -> Option<Spread> {
        let (_, memcpy) = self.memcpy.iter().find(|(at, _)| *at == size)?;
        Some(copy::limit(memcpy))
    }

    /// The row of the sweep for `transport` and `size`.
    pub fn throughput_of(&self, transport: Transport, size: usize) -> Option<&Row<Throughput>> {
        self.throughput
            .iter()
            .find(|row| row.transport == transport && row.size == size)
    }

    /// The size at which `transport` moved the most, and its median MiB/s.
    pub fn best(&self, transport: Transport) -> Option<(usize, f64)> {
        self.throughput
            .iter()
            .filter(|row| row.transport == transport)
            .filter_map(|row| Some((row.size, row.result.as_ref().ok()?.delivered.median)))
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// The report as Markdown tables, ready to paste into the book.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let m = &self.machine;
        let plan = self.options.plan;
        let _ = writeln!(
            out,
            "Machine: {}, {} CPUs, Linux {}, {}; load average {} at the start, {} at the end.",
            m.cpu, m.cpus, m.kernel, m.date, m.load.0, m.load.1
        );
        let _ = writeln!(
            out,
            "Each figure: median (min–max) over {} windows of {} ms, after a warm-up window.\n",
            plan.count,
            plan.length.as_millis()
        );
        let _ = writeln!(
            out,
            "memcpy between 64 MiB buffers (main memory): {} MiB/s; half of it: {} MiB/s.\n",
            cell(&self.memory, rate),
            cell(&copy::limit(&self.memory), rate)
        );

        let _ = writeln!(out, "Throughput (MiB/s delivered):\n");
        let _ = writeln!(
            out,
            "| size | TCP | Unix stream | UDP | UDP lost | Unix datagram | Unix datagram lost | copy limit (memcpy / 2) |"
        );
        let _ = writeln!(out, "|---:|---:|---:|---:|---:|---:|---:|---:|");
        for size in SIZES {
            let mut line = format!("| {} |", size_label(size));
            for transport in THROUGHPUT_TRANSPORTS {
                let Some(row) = self.throughput_of(transport, size) else {
                    continue;
                };
                let _ = write!(
                    line,
                    " {} |",
                    result_cell(&row.result, |t| cell(&t.delivered, rate))
                );
                if transport.is_datagram() {
                    let lost = match &row.result {
                        Ok(Throughput {
                            loss: Some(loss), ..
                        }) => cell(loss, percent),
                        _ => String::new(),
                    };
                    let _ = write!(line, " {lost} |");
                }
            }
            let limit = self.copy_limit(size).map(|l| cell(&l, rate));
            let _ = writeln!(out, "{line} {} |", limit.unwrap_or_default());
        }

        let _ = writeln!(out, "\nBest throughput against the copy limit:\n");
        let _ = writeln!(
            out,
            "| transport | at size | MiB/s | share of the copy limit |"
        );
        let _ = writeln!(out, "|---|---:|---:|---:|");
        for transport in THROUGHPUT_TRANSPORTS {
            let best = self.best(transport);
            let limit = best.and_then(|(size, _)| self.copy_limit(size));
            if let (Some((size, best)), Some(limit)) = (best, limit) {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    transport.name(),
                    size_label(size),
                    rate(best),
                    percent(best / limit.median)
                );
            }
        }

        let _ = writeln!(out, "\nRound trip (microseconds, median of each window):\n");
        let names: Vec<_> = LATENCY_TRANSPORTS.iter().map(|t| t.name()).collect();
        let _ = writeln!(out, "| size | {} |", names.join(" | "));
        let _ = writeln!(out, "|---:|{}", "---:|".repeat(names.len()));
        for size in LATENCY_SIZES {
            let mut line = format!("| {} |", size_label(size));
            for transport in LATENCY_TRANSPORTS {
                let row = self
                    .latency
                    .iter()
                    .find(|row| row.transport == transport && row.size == size);
                if let Some(row) = row {
                    let _ = write!(line, " {} |", result_cell(&row.result, |s| cell(s, micros)));
                }
            }
            let _ = writeln!(out, "{line}");
        }

        let _ = writeln!(
            out,
            "\nAgainst the anchors, measured one right after the other:\n"
        );
        let _ = writeln!(out, "| measure | ours | anchor | ours / anchor |");
        let _ = writeln!(out, "|---|---:|---:|---:|");
        for comparison in &self.anchors {
            let digits = if comparison.unit == "us" {
                micros
            } else {
                rate
            };
            let what = match comparison.unit {
                "us" => "round trip, us",
                _ => "throughput, MiB/s",
            };
            let ratio = comparison
                .ratio()
                .map_or_else(|| "n/a".into(), |ratio| format!("{ratio:.2}"));
            let _ = writeln!(
                out,
                "| {} {}, {} | {} | {} {} | {} |",
                comparison.transport.name(),
                what,
                size_label(comparison.size),
                result_cell(&comparison.ours, |s| cell(s, digits)),
                comparison.anchor,
                result_cell(&comparison.theirs, |s| cell(s, digits)),
                ratio
            );
        }
        let _ = writeln!(
            out,
            "\nsockperf runs once: its range is twice its 25th and 75th percentiles of half the round trip."
        );
        out
    }

    /// The report as JSON, for other programs (written by [`Report::write`]).
    pub fn json(&self) -> Value {
        let spread = |s: &Spread| json!({"median": s.median, "min": s.min, "max": s.max, "samples": s.samples});
        let m = &self.machine;
        let throughput: Vec<Value> = self
            .throughput
            .iter()
            .map(|row| {
                let (figure, loss, error) = match &row.result {
                    Ok(t) => (
                        Some(spread(&t.delivered)),
                        t.loss.as_ref().map(spread),
                        None,
                    ),
                    Err(why) => (None, None, Some(why)),
                };
                json!({"transport": row.transport.name(), "size": row.size,
                       "mib_per_s": figure, "loss": loss, "error": error})
            })
            .collect();
        let latency: Vec<Value> = self
            .latency
            .iter()
            .map(|row| {
                json!({"transport": row.transport.name(), "size": row.size,
                       "round_trip_us": row.result.as_ref().ok().map(spread),
                       "error": row.result.as_ref().err()})
            })
            .collect();
        let anchors: Vec<Value> = self
            .anchors
            .iter()
            .map(|c| {
                json!({"anchor": c.anchor, "transport": c.transport.name(), "size": c.size,
                       "unit": c.unit, "ours": c.ours.as_ref().ok().map(spread),
                       "theirs": c.theirs.as_ref().ok().map(spread),
                       "missing": c.theirs.as_ref().err(), "ratio": c.ratio()})
            })
            .collect();
        json!({
            "machine": {"cpu": m.cpu, "cpus": m.cpus, "kernel": m.kernel, "date": m.date,
                        "load_start": m.load.0, "load_end": m.load.1},
            "windows": self.options.plan.count,
            "window_ms": self.options.plan.length.as_millis() as u64,
            "memcpy_mib_per_s": self.memcpy.iter()
                .map(|(size, s)| json!({"size": size, "mib_per_s": spread(s)}))
                .collect::<Vec<_>>(),
            "memory_mib_per_s": spread(&self.memory),
            "throughput": throughput,
            "latency": latency,
            "anchors": anchors,
        })
    }

    /// The two charts, as SVG: throughput, then round trips.
    pub fn charts(&self) -> Result<(String, String), String> {
        let lines: Vec<charts::Line> = THROUGHPUT_TRANSPORTS
            .iter()
            .map(|&transport| charts::Line {
                name: transport.name().into(),
                points: self
                    .throughput
                    .iter()
                    .filter(|row| row.transport == transport)
                    .filter_map(|row| Some((row.size, row.result.as_ref().ok()?.delivered.clone())))
                    .collect(),
            })
            .collect();
        let iperf3 = self
            .anchors
            .iter()
            .find(|c| c.anchor == "iperf3")
            .and_then(|c| Some((c.size, c.theirs.as_ref().ok()?.median)));
        let limit: Vec<(usize, f64)> = SIZES
            .iter()
            .filter_map(|&size| Some((size, self.copy_limit(size)?.median)))
            .collect();
        let memory = copy::limit(&self.memory).median;
        let throughput = charts::throughput(&lines, &limit, memory, iperf3)?;

        let mut bars: Vec<charts::Bars> = LATENCY_TRANSPORTS
            .iter()
            .map(|&transport| charts::Bars {
                name: transport.name().into(),
                values: LATENCY_SIZES
                    .iter()
                    .map(|&size| {
                        let row = self
                            .latency
                            .iter()
                            .find(|row| row.transport == transport && row.size == size)?;
                        row.result.as_ref().ok().cloned()
                    })
                    .collect(),
            })
            .collect();
        for transport in [Transport::TcpNoDelay, Transport::Udp] {
            let name = match transport {
                Transport::Udp => "sockperf UDP",
                _ => "sockperf TCP",
            };
            let values = LATENCY_SIZES
                .iter()
                .map(|&size| {
                    let comparison = self.anchors.iter().find(|c| {
                        c.anchor == "sockperf" && c.transport == transport && c.size == size
                    })?;
                    comparison.theirs.as_ref().ok().cloned()
                })
                .collect::<Vec<_>>();
            if values.iter().any(Option::is_some) {
                bars.push(charts::Bars {
                    name: name.into(),
                    values,
                });
            }
        }
        let latency = charts::latency(&LATENCY_SIZES, &bars)?;
        Ok((throughput, latency))
    }

    /// Writes `ch18-throughput.svg`, `ch18-latency.svg` and
    /// `ch18-results.json` into `dir` (made if missing), and returns their
    /// paths.
    pub fn write(&self, dir: &Path) -> io::Result<Vec<PathBuf>> {
        fs::create_dir_all(dir)?;
        let (throughput, latency) = self.charts().map_err(io::Error::other)?;
        let json = serde_json::to_string_pretty(&self.json()).map_err(io::Error::other)?;
        let files = [
            ("ch18-throughput.svg", throughput),
            ("ch18-latency.svg", latency),
            ("ch18-results.json", json + "\n"),
        ];
        let mut written = Vec::new();
        for (name, text) in files {
            let path = dir.join(name);
            fs::write(&path, text)?;
            written.push(path);
        }
        Ok(written)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_written_as_people_write_them() {
        let labels: Vec<_> = [1, 64, 1024, 32 << 10, 1 << 20, 1500]
            .map(size_label)
            .to_vec();
        assert_eq!(
            labels,
            ["1 B", "64 B", "1 KiB", "32 KiB", "1 MiB", "1500 B"]
        );
    }

    #[test]
    fn dates_are_utc_civil_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc(951_782_400 + 3_660), "2000-02-29 01:01 UTC");
        assert_eq!(utc(1_798_675_200), "2026-12-31 00:00 UTC");
    }
}
