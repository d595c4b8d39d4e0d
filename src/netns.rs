//! A private network namespace: a network stack of one's own, with only a
//! loopback interface, for demonstrations that must not touch the host's.
//!
//! Making one needs `CAP_SYS_ADMIN` (network_namespaces(7)). Without it,
//! [`isolated`] says why, and the listing skips with [`skip`]. Under
//! `CI=true` a skip is a failure: CI must run every demonstration.

use std::fmt;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::os::fd::AsRawFd;
use std::path::Path;
use std::thread;

use nix::sched::{unshare, CloneFlags};
use socket2::{Domain, Socket, Type};

/// Why a demonstration cannot run here.
#[derive(Debug)]
pub struct Unavailable(pub String);

impl fmt::Display for Unavailable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Runs `f` on a new thread that has moved into a fresh network namespace
/// (`unshare(2)` with `CLONE_NEWNET`) whose loopback interface is up.
///
/// Only that thread moves: the rest of the process keeps the host's
/// network. Sockets that `f` creates belong to the private namespace for
/// their whole life, whichever thread uses them later.
pub fn isolated<T, F>(f: F) -> Result<T, Unavailable>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let worker = thread::spawn(move || {
        unshare(CloneFlags::CLONE_NEWNET).map_err(|errno| {
            Unavailable(format!(
                "unshare(CLONE_NEWNET) failed with {errno}: making a network namespace needs CAP_SYS_ADMIN (run as root)"
            ))
        })?;
        loopback_up().map_err(|err| Unavailable(format!("cannot bring up lo: {err}")))?;
        Ok(f())
    });
    match worker.join() {
        Ok(result) => result,
        Err(panicked) => std::panic::resume_unwind(panicked),
    }
}

/// Sets `IFF_UP` on `lo` with the `SIOCGIFFLAGS` and `SIOCSIFFLAGS` ioctls
/// (netdevice(7)), as `ip link set lo up` does.
fn loopback_up() -> io::Result<()> {
    let socket = Socket::new(Domain::IPV4, Type::DGRAM, None)?;
    // SAFETY: ifreq is plain old data; all zeroes is a valid value.
    let mut request: libc::ifreq = unsafe { std::mem::zeroed() };
    for (dst, src) in request.ifr_name.iter_mut().zip(b"lo\0") {
        *dst = *src as libc::c_char;
    }
    // SAFETY: both ioctls read and write a properly sized ifreq.
    unsafe {
        if libc::ioctl(socket.as_raw_fd(), libc::SIOCGIFFLAGS, &mut request) < 0 {
            return Err(io::Error::last_os_error());
        }
        request.ifr_ifru.ifru_flags |= libc::IFF_UP as libc::c_short;
        if libc::ioctl(socket.as_raw_fd(), libc::SIOCSIFFLAGS, &request) < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Reports a demonstration that cannot run here, and why.
///
/// Prints the reason so the skip is visible in the test output. Under
/// `CI=true` it panics instead: CI has every privilege and tool the book
/// needs, so a skip there means something is broken.
///
/// cargo shows the output of failing tests only, so the line is also
/// appended to the file `SOCKBOOK_SKIPS` names, if set: the scripts in
/// `scripts/` and `.ci/run` list every skip at the end of a run. Listings
/// run as child processes of the test binary and inherit the variable.
pub fn skip(what: &str, why: &dyn std::fmt::Display) {
    let message = format!("SKIPPED: {what}: {why}");
    if std::env::var("CI").is_ok_and(|ci| ci == "true") {
        panic!("{message} (a skip is a failure under CI=true)");
    }
    println!("{message}");
    if let Some(list) = std::env::var_os(SKIPS) {
        if let Err(err) = record(Path::new(&list), &message) {
            panic!(
                "{message}; cannot add it to {SKIPS}={}: {err}",
                list.to_string_lossy()
            );
        }
    }
}

/// The environment variable naming the file every skip is appended to.
pub const SKIPS: &str = "SOCKBOOK_SKIPS";

/// Appends `message` as one line, with the test's name when a test thread
/// skips (libtest names its threads after the tests), in one `write(2)` on a
/// file opened with `O_APPEND` (open(2)), so that lines written by tests and
/// listings running in parallel do not interleave.
fn record(list: &Path, message: &str) -> io::Result<()> {
    let line = match thread::current().name() {
        Some(test) if test != "main" => format!("{message} (in {test})\n"),
        _ => format!("{message}\n"),
    };
    let mut file = OpenOptions::new().create(true).append(true).open(list)?;
    file.write_all(line.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loopback;

    #[test]
    fn skips_are_appended_to_the_list_with_the_test_name() {
        let dir = tempfile::tempdir().unwrap();
        let list = dir.path().join("skips");
        record(&list, "SKIPPED: one: why").unwrap();
        thread::spawn(move || record(&list, "SKIPPED: two: why"))
            .join()
            .unwrap()
            .unwrap();
        let text = std::fs::read_to_string(dir.path().join("skips")).unwrap();
        assert_eq!(
            text,
            "SKIPPED: one: why (in netns::tests::skips_are_appended_to_the_list_with_the_test_name)\n\
             SKIPPED: two: why\n"
        );
    }

    #[test]
    fn a_private_namespace_has_only_its_own_loopback() {
        let names = isolated(|| {
            nix::net::if_::if_nameindex()
                .unwrap()
                .iter()
                .map(|interface| interface.name().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
        });
        match names {
            Ok(names) => assert_eq!(names, ["lo"]),
            Err(why) => skip("private network namespace", &why),
        }
    }

    #[test]
    fn loopback_works_inside() {
        let echoed = isolated(|| {
            let listener = loopback::listener().unwrap();
            let client = loopback::connect(listener.local_addr().unwrap()).unwrap();
            let (_served, peer) = listener.accept().unwrap();
            peer == client.local_addr().unwrap()
        });
        match echoed {
            Ok(same) => assert!(same),
            Err(why) => skip("private network namespace", &why),
        }
    }
}
