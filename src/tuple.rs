//! The tuples that name a connection, read from a live socket.
//!
//! The kernel keeps, for every socket, its protocol and its local address,
//! and for a connected socket also the peer's address. Three system calls
//! read them back: `getsockname(2)` (local), `getpeername(2)` (peer), and
//! `getsockopt(2)` with `SO_PROTOCOL` (socket(7)). This module puts them
//! together as the tuples the literature talks about:
//!
//! - [`ThreeTuple`]: protocol, local address, local port: one endpoint;
//! - [`FourTuple`]: local address and port, peer address and port;
//! - [`FiveTuple`]: the four plus the protocol number.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::os::fd::AsFd;

use socket2::SockRef;

/// One endpoint: (protocol, local address, local port). Document 000 calls
/// it a "half association"; every connection accepted on one listening
/// socket has the same one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ThreeTuple {
    /// The IP protocol number, as `SO_PROTOCOL` reports it (6 for TCP).
    pub protocol: i32,
    /// The local address and port, as `getsockname(2)` reports them.
    pub local: SocketAddr,
}

/// A connection without its protocol: the two addresses and two ports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FourTuple {
    /// The local address and port, as `getsockname(2)` reports them.
    pub local: SocketAddr,
    /// The peer's address and port, as `getpeername(2)` reports them.
    pub peer: SocketAddr,
}

/// A connection with its protocol: what the kernel looks up to hand an
/// arriving packet to a socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FiveTuple {
    /// The IP protocol number, as `SO_PROTOCOL` reports it (6 for TCP).
    pub protocol: i32,
    /// The local address and port, as `getsockname(2)` reports them.
    pub local: SocketAddr,
    /// The peer's address and port, as `getpeername(2)` reports them.
    pub peer: SocketAddr,
}

/// The protocol number of `socket`, read with `getsockopt(2)` and
/// `SO_PROTOCOL` (socket(7)): the protocol the kernel chose at `socket(2)`,
/// even when the program passed 0 there.
pub fn protocol<S: AsFd>(socket: &S) -> io::Result<i32> {
    let socket = SockRef::from(socket);
    Ok(socket.protocol()?.map_or(0, i32::from))
}

/// The local address of `socket`, with `getsockname(2)`.
fn local<S: AsFd>(socket: &S) -> io::Result<SocketAddr> {
    inet(SockRef::from(socket).local_addr()?)
}

/// The peer's address of `socket`, with `getpeername(2)`; `ENOTCONN`
/// ([`io::ErrorKind::NotConnected`]) if it has no peer.
fn peer<S: AsFd>(socket: &S) -> io::Result<SocketAddr> {
    inet(SockRef::from(socket).peer_addr()?)
}

fn inet(addr: socket2::SockAddr) -> io::Result<SocketAddr> {
    addr.as_socket().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "not an AF_INET or AF_INET6 socket",
        )
    })
}

/// The endpoint of `socket`: `SO_PROTOCOL` and `getsockname(2)`.
pub fn three<S: AsFd>(socket: &S) -> io::Result<ThreeTuple> {
    Ok(ThreeTuple {
        protocol: protocol(socket)?,
        local: local(socket)?,
    })
}

/// The 4-tuple of a connected `socket`: `getsockname(2)` and `getpeername(2)`.
pub fn four<S: AsFd>(socket: &S) -> io::Result<FourTuple> {
    Ok(FourTuple {
        local: local(socket)?,
        peer: peer(socket)?,
    })
}

/// The 5-tuple of a connected `socket`: `SO_PROTOCOL`, `getsockname(2)`
/// and `getpeername(2)`.
pub fn five<S: AsFd>(socket: &S) -> io::Result<FiveTuple> {
    Ok(FiveTuple {
        protocol: protocol(socket)?,
        local: local(socket)?,
        peer: peer(socket)?,
    })
}

impl FiveTuple {
    /// The same connection without its protocol.
    pub fn four(&self) -> FourTuple {
        FourTuple {
            local: self.local,
            peer: self.peer,
        }
    }

    /// The local endpoint: protocol, local address, local port.
    pub fn three(&self) -> ThreeTuple {
        ThreeTuple {
            protocol: self.protocol,
            local: self.local,
        }
    }

    /// The same connection seen from the other end: local and peer swapped.
    pub fn reversed(&self) -> FiveTuple {
        FiveTuple {
            protocol: self.protocol,
            local: self.peer,
            peer: self.local,
        }
    }
}

impl fmt::Display for ThreeTuple {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}, {})", self.protocol, self.local)
    }
}

impl fmt::Display for FourTuple {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({} -> {})", self.local, self.peer)
    }
}

impl fmt::Display for FiveTuple {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}, {} -> {})", self.protocol, self.local, self.peer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loopback;
    use std::net::UdpSocket;

    #[test]
    fn both_ends_of_a_connection_see_the_same_tuple_reversed() {
        let listener = loopback::listener().unwrap();
        let client = loopback::connect(listener.local_addr().unwrap()).unwrap();
        let (served, _) = listener.accept().unwrap();
        let seen_by_client = five(&client).unwrap();
        let seen_by_server = five(&served).unwrap();
        assert_eq!(seen_by_client.protocol, libc::IPPROTO_TCP);
        assert_eq!(seen_by_client.reversed(), seen_by_server);
        assert_eq!(seen_by_server.local, listener.local_addr().unwrap());
        assert_eq!(seen_by_server.three(), three(&listener).unwrap());
        assert_eq!(seen_by_server.four(), four(&served).unwrap());
    }

    #[test]
    fn a_connected_udp_socket_has_a_five_tuple_too() {
        let a = UdpSocket::bind(loopback::ANY_PORT).unwrap();
        let b = UdpSocket::bind(loopback::ANY_PORT).unwrap();
        a.connect(b.local_addr().unwrap()).unwrap();
        let tuple = five(&a).unwrap();
        assert_eq!(tuple.protocol, libc::IPPROTO_UDP);
        assert_eq!(tuple.peer, b.local_addr().unwrap());
    }

    #[test]
    fn a_socket_without_a_peer_has_only_three() {
        let lone = UdpSocket::bind(loopback::ANY_PORT).unwrap();
        assert_eq!(three(&lone).unwrap().protocol, libc::IPPROTO_UDP);
        assert_eq!(four(&lone).unwrap_err().kind(), io::ErrorKind::NotConnected);
    }

    #[test]
    fn displays_read_like_the_book() {
        let tuple = FiveTuple {
            protocol: 6,
            local: "127.0.0.1:80".parse().unwrap(),
            peer: "127.0.0.1:40000".parse().unwrap(),
        };
        assert_eq!(tuple.to_string(), "(6, 127.0.0.1:80 -> 127.0.0.1:40000)");
        assert_eq!(
            tuple.four().to_string(),
            "(127.0.0.1:80 -> 127.0.0.1:40000)"
        );
        assert_eq!(tuple.three().to_string(), "(6, 127.0.0.1:80)");
    }
}
