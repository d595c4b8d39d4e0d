//! The anchors: the best-known tools of the field, run on the same machine
//! in the same run, so the book's figures can be judged against them.
//!
//! - iperf3 (Debian package `iperf3`) measures TCP throughput: a server
//!   (`iperf3 -s`) and a client (`iperf3 -c`) in two processes, one
//!   `write(2)` of `-l` bytes after another, one report per interval
//!   (`-i`).
//! - sockperf (Debian package `sockperf`) measures ping-pong latency over
//!   TCP or UDP, and prints percentiles of half the round trip.
//!
//! Each tool runs as a child process (`fork(2)` and `execve(2)`, through
//! [`Command`]) on 127.0.0.1, on a port the kernel just chose (`bind(2)` to
//! port 0, then closed), and every wait on it is bounded: a tool that
//! hangs is killed (`kill(2)` with `SIGKILL`) and reported as failed.

use std::io::{self, BufRead, BufReader, Read};
use std::net::{Ipv4Addr, TcpListener, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use super::stats::{Plan, Spread};
use super::throughput::MIB;
use super::transports::Transport;
use crate::timeout::LIMIT;

/// The smallest message sockperf sends: its own header is 14 bytes.
pub const SOCKPERF_MIN_SIZE: usize = 14;

/// Why an anchor has no figure: the tool is not installed, or it failed.
pub type Missing = String;

/// iperf3's TCP throughput in MiB/s with writes of `size` bytes, one
/// figure per interval of `plan.length` (at least 0.1 s, iperf3's
/// shortest), for about `plan.count` intervals after a warm-up interval
/// that is thrown away.
pub fn iperf3(size: usize, plan: Plan) -> Result<Spread, Missing> {
    let interval = plan.length.as_secs_f64().max(0.1);
    let seconds = (interval * (plan.count + 1) as f64).ceil().max(1.0);
    let port = free_port(false).map_err(|err| format!("no free port: {err}"))?;
    let port = port.to_string();
    let _server = Server::start(
        "iperf3",
        &["-s", "-1", "-B", "127.0.0.1", "-p", &port, "--forceflush"],
        "Server listening",
    )?;
    let json = run(
        "iperf3",
        &[
            "-c",
            "127.0.0.1",
            "-p",
            &port,
            "--json",
            "-t",
            &seconds.to_string(),
            "-l",
            &size.to_string(),
            "-i",
            &interval.to_string(),
        ],
        Duration::from_secs_f64(seconds) + LIMIT,
    )?;
    parse_iperf3(&json)
}

/// The figure per interval of iperf3's `--json` output (`intervals[].sum`,
/// bits per second), in MiB/s, the first interval left out.
fn parse_iperf3(json: &str) -> Result<Spread, Missing> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|err| format!("iperf3 printed no JSON: {err}"))?;
    if let Some(error) = value.get("error") {
        return Err(format!("iperf3 failed: {error}"));
    }
    let rates: Vec<f64> = value["intervals"]
        .as_array()
        .map(|intervals| {
            intervals
                .iter()
                .skip(1)
                .filter_map(|interval| interval["sum"]["bits_per_second"].as_f64())
                .map(|bits| bits / 8.0 / MIB)
                .collect()
        })
        .unwrap_or_default();
    Spread::of(rates).ok_or_else(|| "iperf3 reported no interval".to_string())
}

/// sockperf's round trip in microseconds for `size`-byte messages over TCP
/// (with `TCP_NODELAY`, sockperf's default) or UDP, during `seconds`.
///
/// sockperf prints percentiles of half the round trip; the spread returned
/// is twice its median, with twice its 25th and 75th percentiles as the
/// range (sockperf runs once: it has no windows).
pub fn sockperf(transport: Transport, size: usize, seconds: u32) -> Result<Spread, Missing> {
    let tcp = match transport {
        Transport::TcpNoDelay => true,
        Transport::Udp => false,
        other => return Err(format!("sockperf does not measure {}", other.name())),
    };
    if size < SOCKPERF_MIN_SIZE {
        return Err(format!(
            "sockperf sends {SOCKPERF_MIN_SIZE} bytes or more, not {size}"
        ));
    }
    let port = free_port(!tcp).map_err(|err| format!("no free port: {err}"))?;
    let port = port.to_string();
    let common = ["-i", "127.0.0.1", "-p", &port];
    let protocol: &[&str] = if tcp { &["--tcp"] } else { &[] };
    let server_args = [&["server"], protocol, &common].concat();
    let _server = Server::start("sockperf", &server_args, "to block on socket")?;
    let size = size.to_string();
    let seconds_arg = seconds.to_string();
    let client_args = [
        &["ping-pong"],
        protocol,
        &common,
        &["-m", &size, "-t", &seconds_arg],
    ]
    .concat();
    let summary = run(
        "sockperf",
        &client_args,
        Duration::from_secs(seconds.into()) + LIMIT,
    )?;
    parse_sockperf(&summary)
}

/// Twice the 25th, 50th and 75th percentiles of sockperf's summary
/// (`---> percentile 50.000 =    7.160`, in microseconds).
fn parse_sockperf(summary: &str) -> Result<Spread, Missing> {
    let percentile = |which: &str| {
        summary
            .lines()
            .find(|line| line.contains(&format!("percentile {which} =")))
            .and_then(|line| line.rsplit('=').next())
            .and_then(|value| value.trim().parse::<f64>().ok())
            .ok_or_else(|| format!("no percentile {which} in sockperf's output: {summary}"))
    };
    let round_trips = vec![
        2.0 * percentile("25.000")?,
        2.0 * percentile("50.000")?,
        2.0 * percentile("75.000")?,
    ];
    Spread::of(round_trips).ok_or_else(|| "sockperf printed no number".to_string())
}

/// A port on 127.0.0.1 that nobody used a moment ago: `bind(2)` to port 0,
/// read the port the kernel chose with `getsockname(2)`, close.
fn free_port(udp: bool) -> io::Result<u16> {
    let any = (Ipv4Addr::LOCALHOST, 0);
    Ok(match udp {
        true => UdpSocket::bind(any)?.local_addr()?.port(),
        false => TcpListener::bind(any)?.local_addr()?.port(),
    })
}

/// Starts `tool` with stdout and stderr piped, and a thread per pipe that
/// sends each line it reads; a missing tool is reported as such.
fn spawn(tool: &str, args: &[&str]) -> Result<(Child, mpsc::Receiver<String>), Missing> {
    let mut child = Command::new(tool)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| match err.kind() {
            io::ErrorKind::NotFound => {
                format!("{tool} is not installed (Debian: apt-get install {tool})")
            }
            _ => format!("cannot start {tool}: {err}"),
        })?;
    let (lines, received) = mpsc::channel();
    let pipes: [Box<dyn Read + Send>; 2] = [
        Box::new(child.stdout.take().expect("stdout is piped")),
        Box::new(child.stderr.take().expect("stderr is piped")),
    ];
    for pipe in pipes {
        let lines = lines.clone();
        thread::spawn(move || {
            // Read to the end even when nobody listens any more, so that
            // a server never blocks on a full pipe.
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                let _ = lines.send(line);
            }
        });
    }
    Ok((child, received))
}

/// Runs `tool` to its end, for at most `limit`, and returns everything it
/// printed. The pipes close when it exits; if they are still open at the
/// deadline, the tool is killed.
fn run(tool: &str, args: &[&str], limit: Duration) -> Result<String, Missing> {
    let (mut child, lines) = spawn(tool, args)?;
    let deadline = Instant::now() + limit;
    let mut output = String::new();
    loop {
        match lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(line) => {
                output.push_str(&line);
                output.push('\n');
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{tool} ran longer than {limit:?} and was killed"));
            }
        }
    }
    let status = child
        .wait()
        .map_err(|err| format!("cannot wait for {tool}: {err}"))?;
    match status.success() {
        true => Ok(output),
        false => Err(format!("{tool} failed ({status}): {output}")),
    }
}

/// A tool running as a server until dropped, when it is killed.
struct Server {
    child: Child,
}

impl Server {
    /// Starts `tool` and waits, at most [`LIMIT`], for the line containing
    /// `ready` that says it listens.
    fn start(tool: &str, args: &[&str], ready: &str) -> Result<Server, Missing> {
        let (child, lines) = spawn(tool, args)?;
        let server = Server { child };
        let deadline = Instant::now() + LIMIT;
        let mut seen = String::new();
        loop {
            match lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(line) if line.contains(ready) => return Ok(server),
                Ok(line) => seen.push_str(&format!("{line}\n")),
                Err(_) => return Err(format!("the {tool} server did not start: {seen}")),
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iperf3_intervals_are_read_in_mib_per_second_without_the_first() {
        let json = r#"{"intervals": [
            {"sum": {"bits_per_second": 1.0}},
            {"sum": {"bits_per_second": 83886080.0}},
            {"sum": {"bits_per_second": 167772160.0}}]}"#;
        let spread = parse_iperf3(json).unwrap();
        assert_eq!(spread.samples, [10.0, 20.0]);
        let failed = parse_iperf3(r#"{"error": "unable to connect"}"#).unwrap_err();
        assert!(failed.contains("unable to connect"), "{failed}");
    }

    #[test]
    fn sockperf_percentiles_are_doubled_into_round_trips() {
        let summary = "sockperf: ---> percentile 75.000 =    8.422\n\
                       sockperf: ---> percentile 50.000 =    7.160\n\
                       sockperf: ---> percentile 25.000 =    6.750\n";
        let spread = parse_sockperf(summary).unwrap();
        assert_eq!(
            (spread.median, spread.min, spread.max),
            (14.32, 13.5, 16.844)
        );
    }

    #[test]
    fn a_missing_tool_says_how_to_install_it() {
        let missing = run("sockbook-no-such-tool", &[], LIMIT).unwrap_err();
        assert!(missing.contains("apt-get install"), "{missing}");
    }
}
