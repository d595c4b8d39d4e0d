//! Every Rust listing of the book, compiled and run by skeptic.
//!
//! `build.rs` generates the tests: one module per chapter, one test per
//! listing, named after the line of the listing's fence in the chapter
//! (`ch08_tcp_call_sequence::line_42` is the listing whose fence is on line
//! 42 of `book/ch08-tcp-call-sequence.md`). Each test runs its listing with
//! [`run_listing`], which bounds it: a listing that deadlocks is killed and
//! fails, naming itself, and the suite goes on.

use std::fs;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::{Duration, Instant};

include!(concat!(env!("OUT_DIR"), "/listings.rs"));

/// How long a listing may run. Each runs in well under a second; a minute
/// leaves room for a machine whose cores are busy with other builds or
/// `stress-ng`, and still turns a deadlock into a failure instead of a
/// suite that never ends.
const LISTING_BOUND: Duration = Duration::from_secs(60);

/// How long a listing may wait before its program runs: compiling, or
/// queued behind other listings in skeptic's single worker (`SKEPTIC_JOBS=1`
/// in `.cargo/config.toml`). A listing's bound counts from the start of its
/// own process.
const START_LIMIT: Duration = Duration::from_secs(180);

/// skeptic's `run_test` (compile `text`, then run it), with a bound on the
/// run: when the program has run for `bound`, it is killed and the test
/// fails with a message naming `listing` (`book/ch…md:LINE (snippets/…rs)`).
///
/// skeptic runs the program with no bound, on a worker thread of its own,
/// and has no way to stop it; so `run_test` runs on a thread here while this
/// one waits, and finds the program among this process's children by its
/// working directory: skeptic runs each in a fresh temporary folder holding
/// its source as `test.rs`.
fn run_listing(
    listing: &str,
    bound: Duration,
    root: &'static str,
    out: &'static str,
    triple: &'static str,
    text: &str,
) {
    let started = Instant::now();
    let (done, finished) = mpsc::channel();
    let program = text.to_owned();
    let name = thread::current().name().unwrap_or("listing").to_owned();
    // skeptic prints the program's output and panics if it failed, on this
    // thread, whose output libtest captures like the test's own.
    thread::Builder::new()
        .name(name)
        .spawn(move || {
            skeptic::rt::run_test(root, out, triple, &program);
            let _ = done.send(());
        })
        .unwrap();
    let mut wait = bound;
    let (killed, ran) = loop {
        match finished.recv_timeout(wait) {
            Ok(()) => return,
            Err(RecvTimeoutError::Disconnected) => {
                panic!("the listing {listing} failed (its output is above)")
            }
            Err(RecvTimeoutError::Timeout) => {}
        }
        match find_program(text) {
            Some(pid) => {
                let ran = running_for(pid);
                if ran >= bound {
                    kill_with_children(pid);
                    break (pid, ran);
                }
                wait = bound - ran;
            }
            None if started.elapsed() >= START_LIMIT => panic!(
                "the listing {listing} was still not running after {START_LIMIT:?} (compiling, or waiting for skeptic's worker)"
            ),
            None => wait = bound,
        }
    };
    // skeptic now sees the program end, and prints what it had written.
    let _ = finished.recv_timeout(sockbook::timeout::LIMIT);
    panic!(
        "the listing {listing} did not finish within {bound:?}: its process {killed} was killed after running for {:.2} s",
        ran.as_secs_f64()
    );
}

/// The child of this process that runs the program whose source is `text`.
fn find_program(text: &str) -> Option<u32> {
    children(std::process::id()).into_iter().find(|pid| {
        fs::read_to_string(format!("/proc/{pid}/cwd/test.rs")).is_ok_and(|source| source == text)
    })
}

/// How long process `pid` has run: the system's uptime (proc_uptime(5))
/// less the process's start time, the 22nd field of `/proc/PID/stat` in
/// clock ticks (proc_pid_stat(5), sysconf(3) `_SC_CLK_TCK`).
fn running_for(pid: u32) -> Duration {
    let field = |path: String, skip: usize| -> Option<f64> {
        let text = fs::read_to_string(path).ok()?;
        // In stat, the command name, in parentheses, may hold spaces.
        let text = text
            .rsplit_once(')')
            .map_or(text.as_str(), |(_, rest)| rest);
        text.split_whitespace().nth(skip)?.parse().ok()
    };
    // SAFETY: sysconf(3) has no memory-safety preconditions.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    let uptime = field("/proc/uptime".into(), 0);
    // After the name: state is field 3, start time field 22.
    let start = field(format!("/proc/{pid}/stat"), 22 - 3);
    match (uptime, start) {
        (Some(uptime), Some(start)) => Duration::from_secs_f64((uptime - start / ticks).max(0.0)),
        _ => Duration::ZERO,
    }
}

/// Kills process `pid` and the children it forked, with `SIGKILL` (kill(2)).
fn kill_with_children(pid: u32) {
    let mut doomed = vec![pid];
    while let Some(pid) = doomed.pop() {
        doomed.extend(children(pid));
        // SAFETY: kill(2) has no memory-safety preconditions.
        unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
    }
}

/// The processes whose parent is `parent`, from the fourth field of each
/// `/proc/PID/stat` (proc_pid_stat(5)).
fn children(parent: u32) -> Vec<u32> {
    let Ok(entries) = fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
                // The command name, in parentheses, may hold spaces.
                let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
                after_name.split_whitespace().nth(1) == Some(&parent.to_string())
            })
        })
        .collect()
}

/// A program that deadlocks, built and run the way a listing is: a server
/// that accepts and never answers, and a client that waits for the answer
/// with no timeout. It fails within its bound, naming itself, and is gone.
#[test]
fn a_deadlocked_listing_fails_within_its_bound_naming_itself() {
    const NEVER_ANSWERS: &str = r#"
use std::io::Read;
use std::net::{TcpListener, TcpStream};

fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let _served = listener.accept().unwrap();
    println!("connected; waiting for an answer that never comes");
    let mut answer = [0; 1];
    let _ = client.read(&mut answer);
}
"#;
    // Short, so the test is quick; a listing gets LISTING_BOUND.
    let bound = Duration::from_secs(1);
    let started = Instant::now();
    let failed = std::panic::catch_unwind(|| {
        run_listing(
            "book/scratch.md:1 (a server that never answers)",
            bound,
            env!("CARGO_MANIFEST_DIR"),
            env!("OUT_DIR"),
            env!("SOCKBOOK_TARGET"),
            NEVER_ANSWERS,
        )
    })
    .unwrap_err();
    let elapsed = started.elapsed();
    let message = failed.downcast_ref::<String>().unwrap();
    assert!(
        message.starts_with(
            "the listing book/scratch.md:1 (a server that never answers) did not finish within 1s: its process "
        ),
        "{message}"
    );
    let (pid, ran) = message
        .split_once(": its process ")
        .and_then(|(_, rest)| rest.strip_suffix(" s"))
        .and_then(|rest| rest.split_once(" was killed after running for "))
        .unwrap_or_else(|| panic!("{message}"));
    let ran: f64 = ran.parse().unwrap();
    // Killed once it had run for its bound, give or take a busy machine.
    assert!(
        ran >= 1.0 && ran < 1.0 + sockbook::timeout::LIMIT.as_secs_f64(),
        "{message}"
    );
    assert!(elapsed >= bound, "{elapsed:?}");
    let pid: u32 = pid.parse().unwrap();
    assert!(
        !children(std::process::id()).contains(&pid),
        "{pid} still runs"
    );
}
