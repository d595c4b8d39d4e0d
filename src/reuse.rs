//! Binding an address that another socket already holds: `SO_REUSEADDR`
//! and `SO_REUSEPORT`, and the tools chapter 15 uses to watch them work.
//!
//! Both are socket-level options set with `setsockopt(2)` before `bind(2)`
//! (socket(7)). Whether a second `bind(2)` (or `listen(2)`) to a port in use
//! succeeds depends on the options of *both* sockets, on the state of the
//! socket already there, and for `SO_REUSEPORT` on who created them; the
//! kernel refuses with `EADDRINUSE`. Every socket made here is bounded by
//! [`timeout::LIMIT`] like the rest of the library.

use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::os::fd::AsFd;
use std::thread;
use std::time::Instant;

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use socket2::{Domain, Socket, Type};

use crate::loopback;
use crate::state::{self, State};
use crate::timeout::{self, LIMIT};

/// Which of the two options a socket sets before it binds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reuse {
    /// `SO_REUSEADDR`.
    pub addr: bool,
    /// `SO_REUSEPORT` (Linux 3.9 and later).
    pub port: bool,
}

impl Reuse {
    /// Neither option.
    pub const NONE: Reuse = Reuse {
        addr: false,
        port: false,
    };
    /// `SO_REUSEADDR` only.
    pub const ADDR: Reuse = Reuse {
        addr: true,
        port: false,
    };
    /// `SO_REUSEPORT` only.
    pub const PORT: Reuse = Reuse {
        addr: false,
        port: true,
    };
    /// Both options.
    pub const BOTH: Reuse = Reuse {
        addr: true,
        port: true,
    };

    /// Sets the options on `socket` with `setsockopt(2)` (`SOL_SOCKET`,
    /// `SO_REUSEADDR` and `SO_REUSEPORT`, socket(7)).
    pub fn apply(self, socket: &Socket) -> io::Result<()> {
        socket.set_reuse_address(self.addr)?;
        socket.set_reuse_port(self.port)
    }
}

/// The user id of `nobody` on Debian and most Linux systems.
pub const NOBODY: u32 = 65534;

/// An IPv4 or IPv6 TCP socket bound to `addr`, not yet listening.
///
/// `socket(2)`, then `setsockopt(2)` for the options of `reuse`, then
/// `bind(2)`, then [`timeout::bound`]. A refused `bind(2)` is the error,
/// usually of kind [`io::ErrorKind::AddrInUse`] (`EADDRINUSE`).
pub fn tcp(addr: SocketAddr, reuse: Reuse) -> io::Result<Socket> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    reuse.apply(&socket)?;
    socket.bind(&addr.into())?;
    timeout::bound(&socket)?;
    Ok(socket)
}

/// [`tcp`], then `listen(2)` with a backlog of 128: a listener whose
/// `accept(2)` is bounded by [`timeout::LIMIT`].
pub fn listener(addr: SocketAddr, reuse: Reuse) -> io::Result<TcpListener> {
    let socket = tcp(addr, reuse)?;
    socket.listen(128)?;
    Ok(socket.into())
}

/// A UDP socket bound to `addr` with the options of `reuse`: `socket(2)`,
/// `setsockopt(2)`, `bind(2)`, then [`timeout::bound`].
pub fn udp(addr: SocketAddr, reuse: Reuse) -> io::Result<UdpSocket> {
    let socket = Socket::new(Domain::for_address(addr), Type::DGRAM, None)?;
    reuse.apply(&socket)?;
    socket.bind(&addr.into())?;
    timeout::bound(&socket)?;
    Ok(socket.into())
}

/// Leaves a connection in `TIME_WAIT` on a server port, and frees the port
/// otherwise. Returns the server's address and the client's.
///
/// A listener on 127.0.0.1, port 0, with the options of `reuse`; a client
/// connects; the server closes its end first (`close(2)`), the client reads
/// the end of the stream and closes too. The server's end, which closed
/// first, stays in `TIME_WAIT` (tcp(7)); the client's end is gone. The
/// client closes only once the server's end is in `FIN_WAIT2`, so that no
/// late segment ends that `TIME_WAIT` early ([`state::wait_for`]). Waits
/// for the `TIME_WAIT` with [`state::wait_until`], then closes the listener.
pub fn server_closed_first(reuse: Reuse) -> io::Result<(SocketAddr, SocketAddr)> {
    let listener = listener(loopback::ANY_PORT, reuse)?;
    let server = listener.local_addr()?;
    let client = loopback::connect(server)?;
    let client_addr = client.local_addr()?;
    let (connection, _) = listener.accept()?;
    drop(connection);
    // The server's FIN arrives: the client reads the end of the stream.
    let read = io::Read::read(&mut &client, &mut [0; 1])?;
    if read != 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "unexpected data",
        ));
    }
    state::wait_for(server, client_addr, State::FinWait2)?;
    drop(client);
    state::wait_until(server.port(), |sockets| {
        sockets
            .iter()
            .any(|s| s.local == server && s.peer == client_addr && s.state == State::TimeWait)
            && !sockets.iter().any(|s| s.local == client_addr)
    })?;
    drop(listener);
    Ok((server, client_addr))
}

/// Accepts every connection waiting in `listener`'s accept queue, without
/// waiting for more: `accept(2)` on the listener made non-blocking
/// (`O_NONBLOCK`) until it fails with `EAGAIN`; the listener is blocking
/// again afterwards.
pub fn accept_waiting(listener: &TcpListener) -> io::Result<Vec<(TcpStream, SocketAddr)>> {
    listener.set_nonblocking(true)?;
    let mut accepted = Vec::new();
    let outcome = loop {
        match listener.accept() {
            Ok(connection) => accepted.push(connection),
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => break Ok(accepted),
            Err(err) => break Err(err),
        }
    };
    listener.set_nonblocking(false)?;
    outcome
}

/// Waits until `total` datagrams have arrived, over all of `sockets`
/// together, and returns the datagrams each socket received.
///
/// `poll(2)` on every socket, bounded by [`timeout::LIMIT`] in all, then a
/// non-blocking `recv(2)` on each socket that is readable; a last round
/// takes whatever else is already queued, so a socket that received more
/// than its share shows it. Fails with `TimedOut` if fewer arrive.
pub fn receive_spread(sockets: &[&UdpSocket], total: usize) -> io::Result<Vec<Vec<Vec<u8>>>> {
    let mut received: Vec<Vec<Vec<u8>>> = vec![Vec::new(); sockets.len()];
    let start = Instant::now();
    let count = |received: &[Vec<Vec<u8>>]| received.iter().map(Vec::len).sum::<usize>();
    while count(&received) < total {
        let left = LIMIT.saturating_sub(start.elapsed());
        if left.is_zero() {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("{} of {total} datagrams arrived", count(&received)),
            ));
        }
        let mut fds: Vec<PollFd> = sockets
            .iter()
            .map(|socket| PollFd::new(socket.as_fd(), PollFlags::POLLIN))
            .collect();
        let timeout = PollTimeout::try_from(left).unwrap_or(PollTimeout::MAX);
        poll(&mut fds, timeout)?;
        for (index, socket) in sockets.iter().enumerate() {
            received[index].extend(drain(socket)?);
        }
    }
    for (index, socket) in sockets.iter().enumerate() {
        received[index].extend(drain(socket)?);
    }
    Ok(received)
}

/// Every datagram queued on `socket` now, by non-blocking `recv(2)`.
fn drain(socket: &UdpSocket) -> io::Result<Vec<Vec<u8>>> {
    socket.set_nonblocking(true)?;
    let mut datagrams = Vec::new();
    let mut buf = [0; 2048];
    let outcome = loop {
        match socket.recv(&mut buf) {
            Ok(n) => datagrams.push(buf[..n].to_vec()),
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => break Ok(datagrams),
            Err(err) => break Err(err),
        }
    };
    socket.set_nonblocking(false)?;
    outcome
}

/// Sets the effective user id of the calling thread only, keeping its real
/// and saved user ids, so that it can set it back.
///
/// Calls the raw `setresuid(2)` system call with -1 for the real and saved
/// ids. The kernel keeps credentials per thread; glibc's `setresuid()`
/// wrapper would change every thread of the process (nptl(7)), which is why
/// this goes around it. The file-system user id follows the effective one,
/// and a socket records it as its owner when it is created (`sock_i_uid`).
/// Needs `CAP_SETUID` (root): otherwise fails with `EPERM`.
pub fn set_thread_euid(euid: u32) -> io::Result<()> {
    // (uid_t) -1: leave the real and saved user ids unchanged.
    let keep = libc::uid_t::MAX;
    // SAFETY: setresuid takes three plain integers and touches no memory.
    let done = unsafe { libc::syscall(libc::SYS_setresuid, keep, euid, keep) };
    if done < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Runs `f` on a new thread whose effective user id is `euid`
/// ([`set_thread_euid`]); the rest of the process is untouched. Fails if
/// the thread cannot change its user id: only root can, and a process
/// that already is `euid` would change nothing, so that is refused too
/// (`PermissionDenied`), and a demonstration skips instead of showing
/// nothing.
pub fn as_user<T, F>(euid: u32, f: F) -> io::Result<T>
where
    T: Send,
    F: FnOnce() -> T + Send,
{
    // SAFETY: geteuid(2) takes nothing and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "changing a thread's user id needs root",
        ));
    }
    thread::scope(|scope| {
        let worker = scope.spawn(move || {
            set_thread_euid(euid)?;
            Ok(f())
        });
        match worker.join() {
            Ok(result) => result,
            Err(panicked) => std::panic::resume_unwind(panicked),
        }
    })
}

/// The inode number of a socket, which [`state::TcpSocket::inode`] reports
/// for the same socket: `fstat(2)`'s `st_ino` on its descriptor.
pub fn inode<S: AsFd>(socket: &S) -> io::Result<u64> {
    let stat = nix::sys::stat::fstat(socket.as_fd())?;
    Ok(stat.st_ino)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netns;

    fn port_of(socket: &Socket) -> SocketAddr {
        socket.local_addr().unwrap().as_socket().unwrap()
    }

    #[test]
    fn options_are_set_before_bind() {
        let socket = tcp(loopback::ANY_PORT, Reuse::BOTH).unwrap();
        assert!(socket.reuse_address().unwrap());
        assert!(socket.reuse_port().unwrap());
        assert_eq!(socket.read_timeout().unwrap(), Some(LIMIT));
        let socket = udp(loopback::ANY_PORT, Reuse::NONE).unwrap();
        let socket = socket2::SockRef::from(&socket);
        assert!(!socket.reuse_address().unwrap());
        assert!(!socket.reuse_port().unwrap());
    }

    #[test]
    fn a_listening_port_is_refused_unless_both_reuse_the_port() {
        let first = listener(loopback::ANY_PORT, Reuse::PORT).unwrap();
        let addr = first.local_addr().unwrap();
        let err = tcp(addr, Reuse::ADDR).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
        let second = listener(addr, Reuse::PORT).unwrap();
        assert_eq!(second.local_addr().unwrap(), addr);
        assert_ne!(
            port_of(&tcp(loopback::ANY_PORT, Reuse::NONE).unwrap()),
            addr
        );
    }

    #[test]
    fn the_server_end_waits_and_the_port_is_free_otherwise() {
        let (server, client) = server_closed_first(Reuse::ADDR).unwrap();
        let sockets = state::on_port(server.port()).unwrap();
        assert!(sockets
            .iter()
            .any(|s| s.local == server && s.peer == client && s.state == State::TimeWait));
        assert!(!sockets.iter().any(|s| s.state == State::Listen));
        assert!(listener(server, Reuse::ADDR).is_ok());
    }

    #[test]
    fn accept_waiting_takes_the_queue_and_no_more() {
        let listener = loopback::listener().unwrap();
        let addr = listener.local_addr().unwrap();
        let clients: Vec<_> = (0..3).map(|_| loopback::connect(addr).unwrap()).collect();
        state::wait_until(addr.port(), |sockets| {
            sockets
                .iter()
                .any(|s| s.state == State::Listen && s.recv_queue == 3)
        })
        .unwrap();
        let accepted = accept_waiting(&listener).unwrap();
        assert_eq!(accepted.len(), 3);
        for (client, (_, peer)) in clients.iter().zip(&accepted) {
            assert_eq!(client.local_addr().unwrap(), *peer);
        }
        assert!(accept_waiting(&listener).unwrap().is_empty());
        // The listener blocks again: a bounded accept(2) waits, then fails.
        timeout::bound_by(&listener, std::time::Duration::from_millis(10)).unwrap();
        let err = listener.accept().map(drop).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
    }

    #[test]
    fn receive_spread_counts_what_each_socket_got() {
        let a = udp(loopback::ANY_PORT, Reuse::NONE).unwrap();
        let b = udp(loopback::ANY_PORT, Reuse::NONE).unwrap();
        let tx = udp(loopback::ANY_PORT, Reuse::NONE).unwrap();
        for _ in 0..3 {
            tx.send_to(b"a", a.local_addr().unwrap()).unwrap();
        }
        tx.send_to(b"b", b.local_addr().unwrap()).unwrap();
        let got = receive_spread(&[&a, &b], 4).unwrap();
        assert_eq!(got, [vec![b"a".to_vec(); 3], vec![b"b".to_vec()]]);
        // The sockets block again afterwards.
        assert!(!socket2::SockRef::from(&a).nonblocking().unwrap());
    }

    #[test]
    fn as_user_changes_one_thread_only() {
        let before = unsafe { libc::geteuid() };
        match as_user(NOBODY, || unsafe { libc::geteuid() }) {
            Ok(inside) => assert_eq!(inside, NOBODY),
            Err(why) => netns::skip("changing a thread's user id", &why),
        }
        assert_eq!(unsafe { libc::geteuid() }, before);
    }

    #[test]
    fn inode_is_the_one_the_inspector_reports() {
        let listener = loopback::listener().unwrap();
        let addr = listener.local_addr().unwrap();
        let sockets = state::on_port(addr.port()).unwrap();
        let listening = sockets.iter().find(|s| s.state == State::Listen).unwrap();
        assert_eq!(u64::from(listening.inode), inode(&listener).unwrap());
    }
}
