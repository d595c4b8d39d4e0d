//! The transports the benchmark compares, each as a connected pair of
//! sockets on this machine.
//!
//! - TCP over 127.0.0.1: `socket(2)`, `bind(2)`, `listen(2)`, `connect(2)`
//!   and `accept(2)`, through [`crate::loopback`];
//! - a Unix stream socket pair and a Unix datagram socket pair:
//!   `socketpair(2)` (unix(7)), the same kernel path as named Unix sockets
//!   once connected;
//! - UDP over 127.0.0.1: two sockets `bind(2)` to port 0 and `connect(2)`
//!   to each other, so each `send(2)` goes to the other (udp(7)).
//!
//! Every socket is bounded by [`crate::timeout::LIMIT`]: a measurement that
//! stalls fails in seconds instead of hanging.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream, UdpSocket};
use std::os::unix::net::{UnixDatagram, UnixStream};

use crate::{datagram, loopback, timeout};

/// A transport, as the benchmark names it in its tables and charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Transport {
    /// TCP over 127.0.0.1 with Nagle's algorithm on (the default).
    Tcp,
    /// TCP over 127.0.0.1 with `TCP_NODELAY` set (tcp(7)): no segment
    /// waits for the ACK of the previous one.
    TcpNoDelay,
    /// A Unix domain stream socket (`SOCK_STREAM`).
    UnixStream,
    /// UDP over 127.0.0.1.
    Udp,
    /// A Unix domain datagram socket (`SOCK_DGRAM`).
    UnixDatagram,
}

impl Transport {
    /// The name in tables and charts (English: the charts serve both
    /// editions).
    pub fn name(self) -> &'static str {
        match self {
            Transport::Tcp => "TCP",
            Transport::TcpNoDelay => "TCP_NODELAY",
            Transport::UnixStream => "Unix stream",
            Transport::Udp => "UDP",
            Transport::UnixDatagram => "Unix datagram",
        }
    }

    /// Whether the transport keeps message boundaries (and may lose
    /// messages, for UDP).
    pub fn is_datagram(self) -> bool {
        matches!(self, Transport::Udp | Transport::UnixDatagram)
    }

    /// Two connected sockets of this transport, each bounded by
    /// [`timeout::LIMIT`].
    pub fn pair(self) -> io::Result<(Endpoint, Endpoint)> {
        match self {
            Transport::Tcp | Transport::TcpNoDelay => {
                let listener = loopback::listener()?;
                let client = loopback::connect(listener.local_addr()?)?;
                let (served, _) = listener.accept()?;
                for stream in [&client, &served] {
                    stream.set_nodelay(self == Transport::TcpNoDelay)?;
                }
                Ok((Endpoint::Tcp(client), Endpoint::Tcp(served)))
            }
            Transport::UnixStream => {
                let (a, b) = UnixStream::pair()?;
                timeout::bound(&a)?;
                timeout::bound(&b)?;
                Ok((Endpoint::UnixStream(a), Endpoint::UnixStream(b)))
            }
            Transport::Udp => {
                let (a, b) = (datagram::bind()?, datagram::bind()?);
                a.connect(b.local_addr()?)?;
                b.connect(a.local_addr()?)?;
                Ok((Endpoint::Udp(a), Endpoint::Udp(b)))
            }
            Transport::UnixDatagram => {
                let (a, b) = UnixDatagram::pair()?;
                timeout::bound(&a)?;
                timeout::bound(&b)?;
                Ok((Endpoint::UnixDatagram(a), Endpoint::UnixDatagram(b)))
            }
        }
    }
}

/// One end of a connected pair.
#[derive(Debug)]
pub enum Endpoint {
    /// A TCP connection.
    Tcp(TcpStream),
    /// A Unix stream socket.
    UnixStream(UnixStream),
    /// A connected UDP socket.
    Udp(UdpSocket),
    /// A connected Unix datagram socket.
    UnixDatagram(UnixDatagram),
}

impl Endpoint {
    /// One `write(2)` on a stream, one `send(2)` of one datagram otherwise;
    /// returns how many bytes the kernel took.
    pub fn send(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Endpoint::Tcp(stream) => stream.write(buf),
            Endpoint::UnixStream(stream) => stream.write(buf),
            Endpoint::Udp(socket) => socket.send(buf),
            Endpoint::UnixDatagram(socket) => socket.send(buf),
        }
    }

    /// One `read(2)` on a stream, one `recv(2)` of one datagram otherwise;
    /// returns how many bytes arrived (0: the peer finished).
    pub fn recv(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Endpoint::Tcp(stream) => stream.read(buf),
            Endpoint::UnixStream(stream) => stream.read(buf),
            Endpoint::Udp(socket) => socket.recv(buf),
            Endpoint::UnixDatagram(socket) => socket.recv(buf),
        }
    }

    /// Sends all of `buf`: as many `write(2)` as a stream needs, or one
    /// datagram, which the kernel takes whole or refuses.
    pub fn send_message(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Endpoint::Tcp(stream) => stream.write_all(buf),
            Endpoint::UnixStream(stream) => stream.write_all(buf),
            _ => self.send(buf).map(drop),
        }
    }

    /// Receives one message of `buf.len()` bytes: `read(2)` until it is
    /// whole on a stream, one datagram otherwise. Returns `false` when the
    /// peer finished instead ([`Endpoint::finish`]).
    pub fn recv_message(&mut self, buf: &mut [u8]) -> io::Result<bool> {
        let whole = |result: io::Result<()>| match result {
            Ok(()) => Ok(true),
            Err(err) if err.kind() == io::ErrorKind::UnexpectedEof => Ok(false),
            Err(err) => Err(err),
        };
        match self {
            Endpoint::Tcp(stream) => whole(stream.read_exact(buf)),
            Endpoint::UnixStream(stream) => whole(stream.read_exact(buf)),
            _ => match self.recv(buf)? {
                0 => Ok(false),
                n if n == buf.len() => Ok(true),
                n => Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("a datagram of {n} bytes, not {}", buf.len()),
                )),
            },
        }
    }

    /// Tells the peer there is nothing more: `shutdown(2)` with `SHUT_WR`
    /// on a stream (its next read returns 0), an empty datagram otherwise
    /// (its next `recv(2)` returns 0 too).
    pub fn finish(&mut self) -> io::Result<()> {
        match self {
            Endpoint::Tcp(stream) => stream.shutdown(Shutdown::Write),
            Endpoint::UnixStream(stream) => stream.shutdown(Shutdown::Write),
            _ => self.send(&[]).map(drop),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pair_carries_a_message_each_way_and_then_finishes() {
        for transport in [
            Transport::Tcp,
            Transport::TcpNoDelay,
            Transport::UnixStream,
            Transport::Udp,
            Transport::UnixDatagram,
        ] {
            let (mut a, mut b) = transport.pair().unwrap();
            let mut buf = [0; 5];
            a.send_message(b"hello").unwrap();
            assert!(b.recv_message(&mut buf).unwrap(), "{transport:?}");
            b.send_message(&buf).unwrap();
            assert!(a.recv_message(&mut buf).unwrap(), "{transport:?}");
            assert_eq!(&buf, b"hello");
            a.finish().unwrap();
            assert!(!b.recv_message(&mut buf).unwrap(), "{transport:?}");
        }
    }
}
