//! The bound on every blocking call a listing makes.
//!
//! A socket call can block forever: `accept(2)` with no client, `read(2)`
//! from a peer that never writes. In a test suite that is a hang, not a
//! failure. The kernel can bound those calls itself with the socket options
//! `SO_RCVTIMEO` and `SO_SNDTIMEO` (socket(7)); this module sets them.

use std::io;
use std::os::fd::AsFd;
use std::time::Duration;

use socket2::SockRef;

/// How long a listing may wait on any one blocking call before it fails.
///
/// Long enough for a loaded machine, short enough that a broken listing
/// fails in seconds.
pub const LIMIT: Duration = Duration::from_secs(5);

/// Bounds the blocking calls on `socket` by [`LIMIT`].
///
/// Sets `SO_RCVTIMEO` (bounds `read(2)`, `recv(2)` and, on a listening
/// socket, `accept(2)`) and `SO_SNDTIMEO` (bounds `write(2)`, `send(2)` and
/// `connect(2)`) with `setsockopt(2)`. A read, write or accept that runs
/// out of time fails with `EAGAIN`, which Rust reports as
/// [`io::ErrorKind::WouldBlock`]; a `connect(2)` fails with `EINPROGRESS`,
/// and the handshake goes on (listing 12-8).
pub fn bound<S: AsFd>(socket: &S) -> io::Result<()> {
    bound_by(socket, LIMIT)
}

/// Like [`bound`], with a limit of your choice.
pub fn bound_by<S: AsFd>(socket: &S, limit: Duration) -> io::Result<()> {
    let socket = SockRef::from(socket);
    socket.set_read_timeout(Some(limit))?;
    socket.set_write_timeout(Some(limit))
}

/// Reads `read` again and again until `done` holds for what it returned,
/// for at most [`LIMIT`], yielding the processor between reads: a listing
/// waits on the kernel's own state (a socket's TCP state, a counter, a
/// thread's state in `/proc`), never on a timer. Running out of time fails
/// with [`io::ErrorKind::TimedOut`] and `stuck`'s account of the last value.
pub fn poll_until<T>(
    mut read: impl FnMut() -> io::Result<T>,
    mut done: impl FnMut(&T) -> bool,
    stuck: impl FnOnce(&T) -> String,
) -> io::Result<T> {
    let start = std::time::Instant::now();
    loop {
        let value = read()?;
        if done(&value) {
            return Ok(value);
        }
        if start.elapsed() > LIMIT {
            return Err(io::Error::new(io::ErrorKind::TimedOut, stuck(&value)));
        }
        std::thread::yield_now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::UdpSocket;

    #[test]
    fn bound_sets_both_socket_options() {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        assert_eq!(socket.read_timeout().unwrap(), None);
        bound(&socket).unwrap();
        assert_eq!(socket.read_timeout().unwrap(), Some(LIMIT));
        assert_eq!(socket.write_timeout().unwrap(), Some(LIMIT));
    }

    #[test]
    fn a_bounded_read_fails_with_would_block() {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        bound_by(&socket, Duration::from_millis(20)).unwrap();
        let err = socket.recv(&mut [0; 8]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
    }
}
