//! Closing a TCP connection: the segments on the wire, the kernel settings
//! that time its states, and a way to fill a connection's buffers.
//!
//! [`state`](crate::state) shows the states a connection passes through on
//! its way out (`FIN_WAIT1`, `FIN_WAIT2`, `TIME_WAIT`, `CLOSE_WAIT`,
//! `LAST_ACK`); this module adds what a listing needs around them:
//!
//! - [`Segment`] reads a TCP header with every flag, RST included, and the
//!   acknowledgment number, so a listing can tell which segment acknowledges
//!   which FIN; [`capture`] collects the segments of one connection from a
//!   raw socket ([`layers::raw`]);
//! - [`fin_timeout`] and [`set_fin_timeout`] read and write the sysctl
//!   `net.ipv4.tcp_fin_timeout` (tcp(7)); [`TIME_WAIT_LEN`] is the length of
//!   `TIME_WAIT`, which no sysctl sets, and [`rfc1337`] says whether a
//!   reset may end it early;
//! - [`fill`] writes to a connection until the kernel takes no more, so
//!   that a FIN has to wait behind data.

use std::fs;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use socket2::{Domain, Socket, Type};

use crate::layers::{self, Ipv4, TCP_HEADER};
use crate::timeout::{self, LIMIT};

/// How long Linux keeps a socket in `TIME_WAIT`: `TCP_TIMEWAIT_LEN` in the
/// kernel's `include/net/tcp.h`, 60 seconds, fixed at compile time.
///
/// RFC 793 asks for twice the Maximum Segment Lifetime (2 MSL) and takes
/// the MSL to be two minutes, which makes four; Linux waits 60 seconds
/// whatever the sysctls say. `net.ipv4.tcp_fin_timeout` is another timer (see
/// [`fin_timeout`]).
pub const TIME_WAIT_LEN: Duration = Duration::from_secs(60);

/// Where the sysctl `net.ipv4.tcp_fin_timeout` lives (proc(5)).
pub const FIN_TIMEOUT_PATH: &str = "/proc/sys/net/ipv4/tcp_fin_timeout";

/// The sysctl `net.ipv4.tcp_fin_timeout`, read from
/// [`FIN_TIMEOUT_PATH`]: how long an orphaned connection (closed with
/// `close(2)`, so no descriptor refers to it) may stay in `FIN_WAIT2`
/// waiting for the peer's FIN (tcp(7)). It does not set the length of
/// `TIME_WAIT`.
///
/// Each network namespace has its own value; the calling thread's
/// namespace is the one read.
pub fn fin_timeout() -> io::Result<Duration> {
    Ok(Duration::from_secs(sysctl_number(FIN_TIMEOUT_PATH)?))
}

/// Where the sysctl `net.ipv4.tcp_rfc1337` lives (proc(5)).
pub const RFC1337_PATH: &str = "/proc/sys/net/ipv4/tcp_rfc1337";

/// The sysctl `net.ipv4.tcp_rfc1337` (tcp(7)), read from [`RFC1337_PATH`]:
/// `true` if a socket in `TIME_WAIT` ignores a reset, as RFC 1337
/// recommends. Linux's default is `false`: a reset in sequence ends
/// `TIME_WAIT` at once. Each network namespace has its own value.
pub fn rfc1337() -> io::Result<bool> {
    Ok(sysctl_number(RFC1337_PATH)? != 0)
}

/// A sysctl that holds one number, read from its file under `/proc/sys`.
fn sysctl_number(path: &str) -> io::Result<u64> {
    let text = fs::read_to_string(path)?;
    text.trim()
        .parse()
        .map_err(|err| io::Error::new(io::ErrorKind::InvalidData, format!("{text:?}: {err}")))
}

/// Sets `net.ipv4.tcp_fin_timeout` by writing whole seconds to
/// [`FIN_TIMEOUT_PATH`], as `sysctl -w` does. Needs `CAP_NET_ADMIN`.
///
/// The setting belongs to the calling thread's network namespace: call it
/// inside [`crate::netns::isolated`], never on the host.
pub fn set_fin_timeout(timeout: Duration) -> io::Result<()> {
    fs::write(FIN_TIMEOUT_PATH, timeout.as_secs().to_string())
}

/// Writes `0xAB` bytes to `stream` until the kernel accepts no more: the
/// peer's receive buffer and this socket's send buffer are then full.
/// Returns how many bytes the kernel took.
///
/// Makes the socket non-blocking (`O_NONBLOCK` with `fcntl(2)`) and calls
/// `write(2)` until it fails with `EAGAIN` (`WouldBlock`), then makes it
/// blocking again. Shrink the buffers first (`SO_SNDBUF` on this socket,
/// `SO_RCVBUF` on the peer, socket(7)) to keep the amount small.
pub fn fill(stream: &TcpStream) -> io::Result<usize> {
    let chunk = [0xAB; 4096];
    let mut total = 0;
    stream.set_nonblocking(true)?;
    let outcome = loop {
        match (&*stream).write(&chunk) {
            Ok(n) => total += n,
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => break Ok(total),
            Err(err) => break Err(err),
        }
    };
    stream.set_nonblocking(false)?;
    outcome
}

/// A TCP connection to `addr` whose receive buffer is `size` bytes from
/// the start, with every blocking call bounded.
///
/// `socket(2)`, then `SO_RCVBUF` (socket(7)) with `setsockopt(2)`, then a
/// bounded `connect(2)`. The option is set before the handshake on purpose:
/// the kernel sizes the window it offers from the buffer it has then, and a
/// buffer shrunk later leaves a sender waiting on window probes instead of
/// window updates. Linux doubles `size` for its bookkeeping (socket(7)).
/// On the server side, set the option on the listener before the client
/// connects: accepted sockets inherit it.
pub fn connect_with_receive_buffer(addr: SocketAddr, size: usize) -> io::Result<TcpStream> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_recv_buffer_size(size)?;
    timeout::bound(&socket)?;
    socket.connect_timeout(&addr.into(), LIMIT)?;
    Ok(socket.into())
}

/// The control flags of a TCP header (RFC 9293, section 3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flags {
    /// FIN: the sender has no more data.
    pub fin: bool,
    /// SYN: synchronise sequence numbers (opens a connection).
    pub syn: bool,
    /// RST: reset the connection.
    pub rst: bool,
    /// PSH: push the data to the application.
    pub psh: bool,
    /// ACK: the acknowledgment number is valid.
    pub ack: bool,
}

impl Flags {
    /// The flags of byte 13 of a TCP header.
    pub fn from_byte(byte: u8) -> Flags {
        Flags {
            fin: byte & 0x01 != 0,
            syn: byte & 0x02 != 0,
            rst: byte & 0x04 != 0,
            psh: byte & 0x08 != 0,
            ack: byte & 0x10 != 0,
        }
    }

    /// The flags set, as `tcpdump` would name them: `"FIN+ACK"`, `"ACK"`.
    pub fn names(self) -> String {
        let all = [
            (self.syn, "SYN"),
            (self.fin, "FIN"),
            (self.rst, "RST"),
            (self.psh, "PSH"),
            (self.ack, "ACK"),
        ];
        let set: Vec<&str> = all
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, name)| *name)
            .collect();
        set.join("+")
    }
}

/// A TCP segment's header, with what [`layers::Tcp`] leaves out: the
/// acknowledgment number and the RST and PSH flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// Source port.
    pub source_port: u16,
    /// Destination port.
    pub destination_port: u16,
    /// Sequence number: of the first data byte, or of the SYN or FIN.
    pub sequence: u32,
    /// Acknowledgment number: the next sequence number the sender expects.
    pub acknowledgment: u32,
    /// The control flags.
    pub flags: Flags,
    /// How many data bytes follow the header.
    pub data_len: usize,
}

impl Segment {
    /// Reads the header at the start of `segment` (an IPv4 packet's
    /// payload). `None` if it is cut short.
    pub fn parse(segment: &[u8]) -> Option<Segment> {
        if segment.len() < TCP_HEADER {
            return None;
        }
        let header_len = usize::from(segment[12] >> 4) * 4;
        if header_len < TCP_HEADER || segment.len() < header_len {
            return None;
        }
        let word = |at: usize| {
            u32::from_be_bytes([
                segment[at],
                segment[at + 1],
                segment[at + 2],
                segment[at + 3],
            ])
        };
        Some(Segment {
            source_port: u16::from_be_bytes([segment[0], segment[1]]),
            destination_port: u16::from_be_bytes([segment[2], segment[3]]),
            sequence: word(4),
            acknowledgment: word(8),
            flags: Flags::from_byte(segment[13]),
            data_len: segment.len() - header_len,
        })
    }

    /// Whether this segment acknowledges `fin`: its ACK flag is set and it
    /// expects the sequence number after the FIN's (a FIN takes one).
    pub fn acknowledges(&self, fin: &Segment) -> bool {
        self.flags.ack && self.acknowledgment == fin.sequence.wrapping_add(1)
    }
}

/// Reads TCP segments from `raw` (a raw socket from [`layers::raw`] for
/// protocol 6) and keeps those between ports `a` and `b`, in either
/// direction, until `done` holds for the segments kept so far. Returns
/// them in the order they arrived.
///
/// Each `read(2)` on the raw socket returns one IPv4 packet. Fails with
/// [`io::ErrorKind::TimedOut`] if `done` does not hold within [`LIMIT`].
pub fn capture(
    raw: &Socket,
    (a, b): (u16, u16),
    mut done: impl FnMut(&[Segment]) -> bool,
) -> io::Result<Vec<Segment>> {
    let deadline = Instant::now() + LIMIT;
    let mut buf = vec![0; layers::MAX_LENGTH_FIELD];
    let mut kept = Vec::new();
    while Instant::now() < deadline {
        let n = (&*raw).read(&mut buf)?;
        let Some(segment) = Ipv4::parse(&buf[..n]).and_then(|ip| Segment::parse(ip.payload)) else {
            continue;
        };
        let ports = (segment.source_port, segment.destination_port);
        if ports == (a, b) || ports == (b, a) {
            kept.push(segment);
            if done(&kept) {
                return Ok(kept);
            }
        }
    }
    Err(io::Error::new(
        io::ErrorKind::TimedOut,
        format!("capture incomplete after {LIMIT:?}: {kept:?}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{loopback, netns};

    #[test]
    fn reads_every_flag_and_the_acknowledgment_number() {
        let mut header = vec![0x1f, 0x90, 0, 80, 0, 0, 0, 9, 0, 0, 0, 42, 0x50, 0x11];
        header.extend([0; 6]);
        let fin = Segment::parse(&header).unwrap();
        assert_eq!((fin.source_port, fin.destination_port), (8080, 80));
        assert_eq!((fin.sequence, fin.acknowledgment), (9, 42));
        assert_eq!(fin.flags.names(), "FIN+ACK");
        assert_eq!(fin.data_len, 0);
        header[13] = 0x14;
        header[11] = 10;
        let rst = Segment::parse(&header).unwrap();
        assert!(rst.flags.rst && !rst.flags.fin);
        assert_eq!(rst.flags.names(), "RST+ACK");
        assert!(rst.acknowledges(&fin));
        assert!(!fin.acknowledges(&fin));
        assert!(Segment::parse(&header[..19]).is_none());
        assert_eq!(Flags::from_byte(0x02).names(), "SYN");
    }

    #[test]
    fn the_host_has_a_fin_timeout() {
        let timeout = fin_timeout().unwrap();
        assert!(timeout > Duration::ZERO, "{timeout:?}");
    }

    #[test]
    fn fill_stops_when_the_kernel_takes_no_more() {
        let listener = loopback::listener().unwrap();
        let client = loopback::connect(listener.local_addr().unwrap()).unwrap();
        let (mut server, _) = listener.accept().unwrap();
        let written = fill(&client).unwrap();
        assert!(written > 0);
        let mut buf = vec![0; written];
        server.read_exact(&mut buf).unwrap();
        assert!(buf.iter().all(|&b| b == 0xAB));
        // The socket is blocking again.
        let flags = nix::fcntl::fcntl(&client, nix::fcntl::FcntlArg::F_GETFL).unwrap();
        assert_eq!(flags & libc::O_NONBLOCK, 0);
    }

    #[test]
    fn the_receive_buffer_is_set_before_the_handshake() {
        let listener = loopback::listener().unwrap();
        let client = connect_with_receive_buffer(listener.local_addr().unwrap(), 4096).unwrap();
        let (_server, peer) = listener.accept().unwrap();
        assert_eq!(peer, client.local_addr().unwrap());
        // Linux doubles the value asked for (socket(7)).
        let size = socket2::SockRef::from(&client).recv_buffer_size().unwrap();
        assert_eq!(size, 2 * 4096);
        assert_eq!(client.read_timeout().unwrap(), Some(LIMIT));
    }

    #[test]
    fn captures_both_fins_of_a_connection() {
        let seen = netns::isolated(|| {
            let raw = layers::raw(6).unwrap();
            let listener = loopback::listener().unwrap();
            let addr = listener.local_addr().unwrap();
            let client = loopback::connect(addr).unwrap();
            let (server, _) = listener.accept().unwrap();
            let port = client.local_addr().unwrap().port();
            drop(client);
            drop(server);
            let segments = capture(&raw, (port, addr.port()), |kept| {
                kept.iter().filter(|s| s.flags.fin).count() == 2
            })
            .unwrap();
            segments[0].flags
        });
        match seen {
            Ok(first) => assert!(first.syn && !first.ack),
            Err(why) => netns::skip("raw socket in a private namespace", &why),
        }
    }

    #[test]
    fn the_fin_timeout_is_per_namespace() {
        let host = fin_timeout().unwrap();
        let inside = netns::isolated(move || {
            let other = if host == Duration::from_secs(7) { 8 } else { 7 };
            set_fin_timeout(Duration::from_secs(other)).unwrap();
            fin_timeout().unwrap()
        });
        match inside {
            Ok(inside) => {
                assert_ne!(inside, host);
                assert_eq!(
                    fin_timeout().unwrap(),
                    host,
                    "the host's value is untouched"
                );
            }
            Err(why) => netns::skip("sysctl in a private namespace", &why),
        }
    }
}
