//! A private network namespace: a network stack of one's own, with only a
//! loopback interface, for demonstrations that must not touch the host's.
//!
//! Making one needs `CAP_SYS_ADMIN` (network_namespaces(7)). Without it,
//! [`isolated`] says why, and the listing skips with [`skip`]. Under
//! `CI=true` a skip is a failure: CI must run every demonstration.

use std::fmt;
use std::io;
use std::os::fd::AsRawFd;
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
pub fn skip(what: &str, why: &dyn std::fmt::Display) {
    let message = format!("SKIPPED: {what}: {why}");
    if std::env::var("CI").is_ok_and(|ci| ci == "true") {
        panic!("{message} (a skip is a failure under CI=true)");
    }
    println!("{message}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loopback;

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
