//! Sockets on the loopback interface, and only there.
//!
//! Every listing binds 127.0.0.1 and lets the kernel choose the port (port
//! 0), so listings can run in parallel and never reach the network.

use std::io;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener, TcpStream};

use socket2::{Domain, Socket, Type};

use crate::timeout::{self, LIMIT};

/// 127.0.0.1, port 0: "this machine, any free port".
pub const ANY_PORT: SocketAddr = SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0));

/// A TCP listener on 127.0.0.1 with a port chosen by the kernel.
///
/// `socket(2)`, `bind(2)` and `listen(2)`, as [`TcpListener::bind`] makes
/// them, then [`timeout::bound`]: on Linux `SO_RCVTIMEO` also bounds
/// `accept(2)`, and the connected sockets that `accept` returns inherit both
/// timeouts. Ask the listener for its port with `local_addr()`.
pub fn listener() -> io::Result<TcpListener> {
    let listener = TcpListener::bind(ANY_PORT)?;
    timeout::bound(&listener)?;
    Ok(listener)
}

/// A TCP connection to `addr`, with every blocking call bounded.
///
/// `socket(2)` then `connect(2)` with a deadline of [`LIMIT`]
/// ([`TcpStream::connect_timeout`]), then [`timeout::bound`] for the reads
/// and writes that follow.
pub fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
    let stream = TcpStream::connect_timeout(&addr, LIMIT)?;
    timeout::bound(&stream)?;
    Ok(stream)
}

/// A TCP port on 127.0.0.1 where nobody listens, and the socket holding it.
///
/// The socket is bound (`bind(2)`) but never listens, so no other program
/// can take the port while you hold it, and a `connect(2)` to it meets a
/// reset (`ECONNREFUSED`). Drop the socket to free the port.
pub fn closed_port() -> io::Result<(Socket, SocketAddr)> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    socket.bind(&ANY_PORT.into())?;
    let addr = socket
        .local_addr()?
        .as_socket()
        .expect("an AF_INET socket has an IP address");
    Ok((socket, addr))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn listener_is_on_loopback_with_a_real_port() {
        let listener = listener().unwrap();
        let addr = listener.local_addr().unwrap();
        assert_eq!(addr.ip(), Ipv4Addr::LOCALHOST);
        assert_ne!(addr.port(), 0);
    }

    #[test]
    fn accept_is_bounded_and_accepted_sockets_inherit_the_bound() {
        let listener = listener().unwrap();
        let client = connect(listener.local_addr().unwrap()).unwrap();
        let (mut served, peer) = listener.accept().unwrap();
        assert_eq!(peer, client.local_addr().unwrap());
        assert_eq!(served.read_timeout().unwrap(), Some(LIMIT));
        assert_eq!(served.write_timeout().unwrap(), Some(LIMIT));
        (&client).write_all(b"ping").unwrap();
        let mut buf = [0; 4];
        served.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"ping");
    }

    #[test]
    fn a_bounded_accept_with_no_client_times_out() {
        let listener = listener().unwrap();
        timeout::bound_by(&listener, std::time::Duration::from_millis(20)).unwrap();
        let err = listener.accept().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
    }

    #[test]
    fn connecting_to_the_closed_port_is_refused() {
        let (_held, addr) = closed_port().unwrap();
        let err = connect(addr).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
    }
}
