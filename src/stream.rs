//! Both ends of a TCP connection on loopback, and what the kernel can tell
//! about the bytes between them.
//!
//! A `write(2)` that returns does not mean the peer has read anything. The
//! kernel keeps two queues per connected socket, and `ioctl(2)` can count
//! them (tcp(7), "Ioctls"): [`unread`] is what has arrived and waits for
//! `read(2)`, [`unacked`] is what was written and the peer's kernel has not
//! acknowledged yet. The other helpers let a listing watch a blocking call
//! without sleeping: [`wait_until_blocked`] for a thread blocked in the
//! kernel, [`wait_for_hangup`] for a connection the peer has reset.

use std::fs;
use std::io;
use std::net::TcpStream;
use std::os::fd::{AsFd, AsRawFd};
use std::time::Duration;

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};

use crate::loopback;
use crate::timeout::LIMIT;

/// A connected pair of TCP sockets on 127.0.0.1: `(client, server)`.
///
/// [`loopback::listener`], [`loopback::connect`] (`connect(2)`), then
/// `accept(2)`, all on the calling thread: the kernel completes the
/// handshake during `connect`, before anyone accepts. Both sockets are
/// bounded by [`LIMIT`]; the listener is closed before this returns.
pub fn pair() -> io::Result<(TcpStream, TcpStream)> {
    let listener = loopback::listener()?;
    let client = loopback::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    Ok((client, server))
}

/// How many bytes have arrived on `socket` and wait to be read.
///
/// `ioctl(2)` with `SIOCINQ` (the same number as `FIONREAD`), tcp(7): the
/// bytes in the receive queue, which the peer's `write` put there and no
/// `read` on this socket has taken yet.
pub fn unread<S: AsFd>(socket: &S) -> io::Result<usize> {
    ioctl_count(socket, libc::FIONREAD)
}

/// How many bytes written to `socket` the peer's kernel has not
/// acknowledged yet: not sent yet, or sent and not acknowledged.
///
/// `ioctl(2)` with `SIOCOUTQ` (the same number as `TIOCOUTQ`), tcp(7). It
/// counts what is still in this socket's send queue; bytes the peer's
/// kernel has acknowledged are gone from it, whether or not the peer
/// program has read them.
pub fn unacked<S: AsFd>(socket: &S) -> io::Result<usize> {
    ioctl_count(socket, libc::TIOCOUTQ)
}

fn ioctl_count<S: AsFd>(socket: &S, request: libc::Ioctl) -> io::Result<usize> {
    let mut count: libc::c_int = 0;
    // SAFETY: both requests write one int to the pointer they are given.
    let done = unsafe { libc::ioctl(socket.as_fd().as_raw_fd(), request, &mut count) };
    if done < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(count as usize)
}

/// The TCP state of `socket`, named as the kernel names it without the
/// `TCP_` prefix (and as `netstat(8)` prints it): `"ESTABLISHED"`,
/// `"CLOSE_WAIT"`, `"LISTEN"`, `"CLOSE"`, ...
///
/// `getsockopt(2)` with `TCP_INFO` (tcp(7)): the first byte of
/// `struct tcp_info` is `tcpi_state`, numbered as in the kernel's
/// `include/net/tcp_states.h`.
pub fn tcp_state<S: AsFd>(socket: &S) -> io::Result<&'static str> {
    let mut info = [0u8; 8];
    let mut len = info.len() as libc::socklen_t;
    // SAFETY: the kernel writes at most `len` bytes into `info`.
    let done = unsafe {
        libc::getsockopt(
            socket.as_fd().as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_INFO,
            info.as_mut_ptr().cast(),
            &mut len,
        )
    };
    if done < 0 {
        return Err(io::Error::last_os_error());
    }
    const NAMES: [&str; 13] = [
        "UNKNOWN",
        "ESTABLISHED",
        "SYN_SENT",
        "SYN_RECV",
        "FIN_WAIT1",
        "FIN_WAIT2",
        "TIME_WAIT",
        "CLOSE",
        "CLOSE_WAIT",
        "LAST_ACK",
        "LISTEN",
        "CLOSING",
        "NEW_SYN_RECV",
    ];
    Ok(NAMES.get(info[0] as usize).copied().unwrap_or("UNKNOWN"))
}

/// The scheduling state of thread `tid` of this process: `'R'` running,
/// `'S'` asleep in the kernel (waiting for something), and so on.
///
/// The third field of `/proc/self/task/TID/stat` (proc_pid_stat(5)).
pub fn thread_state(tid: libc::pid_t) -> io::Result<char> {
    let stat = fs::read_to_string(format!("/proc/self/task/{tid}/stat"))?;
    // "tid (name) state ...": the name may hold spaces, so look after the last ')'
    stat.rfind(')')
        .and_then(|end| stat[end + 1..].trim_start().chars().next())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, stat.clone()))
}

/// Waits until thread `tid` of this process is asleep in the kernel
/// (state `'S'`, see [`thread_state`]), at most [`LIMIT`]; running out of
/// time is an error of kind [`io::ErrorKind::TimedOut`].
///
/// It polls `/proc` and yields the processor between looks; it never
/// sleeps on a timer.
pub fn wait_until_blocked(tid: libc::pid_t) -> io::Result<()> {
    crate::timeout::poll_until(
        || thread_state(tid),
        |state| *state == 'S',
        |state| format!("thread {tid} did not block within {LIMIT:?} (state {state})"),
    )
    .map(|_| ())
}

/// Waits until the connection of `socket` is over in both directions: the
/// peer reset it, or both sides have shut it down. At most [`LIMIT`].
///
/// `poll(2)` asking for no event at all: it still reports `POLLHUP` and
/// `POLLERR`, which the kernel raises when a reset arrives (poll(2)). A
/// peer's orderly close (FIN) alone raises neither, only `POLLIN` and
/// `POLLRDHUP`. Returns the events `poll` reported.
pub fn wait_for_hangup<S: AsFd>(socket: &S) -> io::Result<PollFlags> {
    let mut fds = [PollFd::new(socket.as_fd(), PollFlags::empty())];
    let limit = PollTimeout::try_from(LIMIT).expect("LIMIT fits in a poll timeout");
    if poll(&mut fds, limit)? == 0 {
        return Err(io::Error::new(
            io::ErrorKind::TimedOut,
            format!("no hangup within {LIMIT:?}"),
        ));
    }
    Ok(fds[0].revents().unwrap_or(PollFlags::empty()))
}

/// The CPU time the calling thread has used so far: `clock_gettime(2)`
/// with `CLOCK_THREAD_CPUTIME_ID`. A thread asleep in a blocking call uses
/// none; a thread that waits by looping uses all it gets.
pub fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec to the pointer it is given.
    let done = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(done, 0, "CLOCK_THREAD_CPUTIME_ID is always supported");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::sync::mpsc;
    use std::thread;

    #[test]
    fn pair_is_connected_both_ways() {
        let (mut client, mut server) = pair().unwrap();
        assert_eq!(client.peer_addr().unwrap(), server.local_addr().unwrap());
        assert_eq!(server.peer_addr().unwrap(), client.local_addr().unwrap());
        client.write_all(b"ping").unwrap();
        server.write_all(b"pong").unwrap();
        let mut buf = [0; 4];
        server.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"ping");
        client.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"pong");
    }

    #[test]
    fn unread_counts_what_waits_and_unacked_what_is_not_acknowledged() {
        let (mut client, mut server) = pair().unwrap();
        assert_eq!(unread(&server).unwrap(), 0);
        client.write_all(b"hello").unwrap();
        // the bytes arrive at once on loopback; wait for them, bounded
        server.peek(&mut [0; 5]).unwrap();
        assert_eq!(unread(&server).unwrap(), 5);
        server.read_exact(&mut [0; 5]).unwrap();
        assert_eq!(unread(&server).unwrap(), 0);
        // a listening socket has no send queue: the ioctl fails with EINVAL
        let listener = loopback::listener().unwrap();
        assert_eq!(
            unacked(&listener).unwrap_err().raw_os_error(),
            Some(libc::EINVAL)
        );
        assert_eq!(unacked(&client).unwrap(), 0);
    }

    #[test]
    fn tcp_state_follows_the_connection() {
        let listener = loopback::listener().unwrap();
        assert_eq!(tcp_state(&listener).unwrap(), "LISTEN");
        let (mut client, server) = pair().unwrap();
        assert_eq!(tcp_state(&client).unwrap(), "ESTABLISHED");
        drop(server);
        // the FIN has arrived once read(2) returns 0
        assert_eq!(client.read(&mut [0; 4]).unwrap(), 0);
        assert_eq!(tcp_state(&client).unwrap(), "CLOSE_WAIT");
    }

    #[test]
    fn a_thread_blocked_in_read_is_seen_asleep() {
        let (client, mut server) = pair().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = thread::spawn(move || {
            tx.send(nix::unistd::gettid().as_raw()).unwrap();
            server.read(&mut [0; 8])
        });
        let tid = rx.recv_timeout(LIMIT).unwrap();
        wait_until_blocked(tid).unwrap();
        (&client).write_all(b"wake").unwrap();
        assert_eq!(reader.join().unwrap().unwrap(), 4);
    }

    #[test]
    fn a_reset_is_a_hangup_and_a_close_is_not() {
        let (client, server) = pair().unwrap();
        // unread data makes close(2) send a reset instead of a FIN
        (&client).write_all(b"unread").unwrap();
        server.peek(&mut [0; 6]).unwrap();
        drop(server);
        let events = wait_for_hangup(&client).unwrap();
        assert!(events.contains(PollFlags::POLLHUP), "{events:?}");
        assert!(events.contains(PollFlags::POLLERR), "{events:?}");
    }

    #[test]
    fn the_cpu_time_of_this_thread_grows_when_it_works() {
        let before = thread_cpu_time();
        let mut x = 0u64;
        while thread_cpu_time() - before < Duration::from_millis(2) {
            x = std::hint::black_box(x + 1);
        }
        assert!(x > 0);
    }
}
