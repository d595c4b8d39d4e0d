//! The three-way handshake segment by segment: TCP segments with their
//! sequence and acknowledgement numbers, a client made by hand that sends
//! them one at a time, and a network that never answers.
//!
//! [`crate::layers`] reads the headers the kernel wrote; this module also
//! writes them. A raw socket of protocol `IPPROTO_RAW` sends an IPv4 packet
//! exactly as the program wrote it, header included (raw(7)), so a listing
//! can play a client that sends a SYN and then waits as long as it likes
//! before it sends the ACK, something no real socket does.
//!
//! Everything here needs `CAP_NET_RAW` or `CAP_NET_ADMIN`, and changes or
//! sees the whole network stack: use it inside [`crate::netns::isolated`].

use std::fmt;
use std::fs;
use std::io::{self, Read};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::os::fd::AsRawFd;
use std::time::Instant;

use socket2::{Domain, Protocol, Socket, Type};

use crate::layers::{self, internet_checksum, Ipv4, IPV4_HEADER, TCP_HEADER};
use crate::timeout;

/// The FIN flag: the sender has no more data.
pub const FIN: u8 = 0x01;
/// The SYN flag: synchronise sequence numbers, the first two segments of
/// a handshake.
pub const SYN: u8 = 0x02;
/// The RST flag: reset, "there is no such connection".
pub const RST: u8 = 0x04;
/// The PSH flag: deliver the data to the application now.
pub const PSH: u8 = 0x08;
/// The ACK flag: the acknowledgement number is valid.
pub const ACK: u8 = 0x10;

/// The network the listings use for a peer that never answers:
/// 192.0.2.0/24, TEST-NET-1, reserved for documentation (RFC 5737), so it
/// is nobody's real address.
pub const SILENT_NET: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 0);
/// The length of [`SILENT_NET`]'s prefix.
pub const SILENT_PREFIX: u8 = 24;
/// A host of [`SILENT_NET`]: the address of the hand-made client, or of a
/// server that never answers.
pub const SILENT_HOST: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);

/// The window a hand-made segment offers.
const WINDOW: u16 = 65_535;

/// A TCP segment (RFC 9293, section 3.1) with the addresses of the IPv4
/// packet that carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// Source address and port.
    pub source: SocketAddrV4,
    /// Destination address and port.
    pub destination: SocketAddrV4,
    /// Sequence number: the number of the first byte of data, or the ISN
    /// in a SYN.
    pub sequence: u32,
    /// Acknowledgement number: the next sequence number the sender
    /// expects; valid when [`ACK`] is set.
    pub acknowledgement: u32,
    /// The flags byte: [`FIN`], [`SYN`], [`RST`], [`PSH`], [`ACK`].
    pub flags: u8,
    /// The receive window.
    pub window: u16,
    /// Header length in bytes (Data Offset × 4): 20 without options.
    pub header_len: usize,
    /// The data.
    pub payload: Vec<u8>,
}

impl Segment {
    /// A segment without options, as the hand-made client sends it.
    pub fn new(
        source: SocketAddrV4,
        destination: SocketAddrV4,
        sequence: u32,
        acknowledgement: u32,
        flags: u8,
        payload: &[u8],
    ) -> Segment {
        Segment {
            source,
            destination,
            sequence,
            acknowledgement,
            flags,
            window: WINDOW,
            header_len: TCP_HEADER,
            payload: payload.to_vec(),
        }
    }

    /// Takes apart an IPv4 packet that carries a TCP segment, as a raw
    /// socket returns it. `None` if it is not one, or is cut short.
    pub fn parse(packet: &[u8]) -> Option<Segment> {
        let ip = Ipv4::parse(packet)?;
        if i32::from(ip.protocol) != libc::IPPROTO_TCP {
            return None;
        }
        let tcp = ip.payload;
        if tcp.len() < TCP_HEADER {
            return None;
        }
        let header_len = usize::from(tcp[12] >> 4) * 4;
        if header_len < TCP_HEADER || tcp.len() < header_len {
            return None;
        }
        let port = |at: usize| u16::from_be_bytes([tcp[at], tcp[at + 1]]);
        let number =
            |at: usize| u32::from_be_bytes([tcp[at], tcp[at + 1], tcp[at + 2], tcp[at + 3]]);
        Some(Segment {
            source: SocketAddrV4::new(ip.source, port(0)),
            destination: SocketAddrV4::new(ip.destination, port(2)),
            sequence: number(4),
            acknowledgement: number(8),
            flags: tcp[13],
            window: port(14),
            header_len,
            payload: tcp[header_len..].to_vec(),
        })
    }

    /// Whether every flag of `flags` is set (`has(SYN | ACK)`).
    pub fn has(&self, flags: u8) -> bool {
        self.flags & flags == flags
    }

    /// Whether the flags are exactly `flags`, ignoring [`PSH`].
    pub fn is(&self, flags: u8) -> bool {
        self.flags & !PSH == flags
    }

    /// How much sequence space the segment takes: one for a SYN, one for a
    /// FIN, one per byte of data. The peer's acknowledgement of it is
    /// `sequence + seq_len()`.
    pub fn seq_len(&self) -> u32 {
        let flags = u32::from(self.has(SYN)) + u32::from(self.has(FIN));
        flags + self.payload.len() as u32
    }

    /// The flags by name, as tcpdump spells them out: `SYN`, `SYN+ACK`,
    /// `PSH+ACK`, `RST+ACK`.
    pub fn flag_names(&self) -> String {
        let names = [
            (SYN, "SYN"),
            (FIN, "FIN"),
            (RST, "RST"),
            (PSH, "PSH"),
            (ACK, "ACK"),
        ];
        let set: Vec<&str> = names
            .iter()
            .filter(|(flag, _)| self.has(*flag))
            .map(|(_, name)| *name)
            .collect();
        set.join("+")
    }

    /// The whole IPv4 packet ([`ipv4_packet`]): the IPv4 header, the TCP
    /// header and the data, with both checksums. The TCP checksum covers a
    /// pseudo-header of the two addresses, the protocol and the length
    /// (RFC 9293, section 3.1). Options are not written.
    pub fn to_packet(&self) -> Vec<u8> {
        let tcp_len = TCP_HEADER + self.payload.len();
        let mut tcp = Vec::with_capacity(tcp_len);
        tcp.extend(self.source.port().to_be_bytes());
        tcp.extend(self.destination.port().to_be_bytes());
        tcp.extend(self.sequence.to_be_bytes());
        tcp.extend(self.acknowledgement.to_be_bytes());
        tcp.extend([((TCP_HEADER / 4) as u8) << 4, self.flags]);
        tcp.extend(self.window.to_be_bytes());
        tcp.extend([0, 0, 0, 0]); // checksum, urgent pointer
        tcp.extend(&self.payload);
        let mut pseudo = Vec::with_capacity(12 + tcp_len);
        pseudo.extend(self.source.ip().octets());
        pseudo.extend(self.destination.ip().octets());
        pseudo.extend([0, libc::IPPROTO_TCP as u8]);
        pseudo.extend((tcp_len as u16).to_be_bytes());
        pseudo.extend(&tcp);
        let tcp_sum = internet_checksum(&pseudo);
        tcp[16..18].copy_from_slice(&tcp_sum.to_be_bytes());

        ipv4_packet(
            *self.source.ip(),
            *self.destination.ip(),
            libc::IPPROTO_TCP as u8,
            &tcp,
        )
    }
}

/// An IPv4 packet carrying `payload` for IP protocol `protocol`: a 20-byte
/// header without options (RFC 791, section 3.1), with its checksum, then
/// the payload. TTL 64, "don't fragment".
pub fn ipv4_packet(
    source: Ipv4Addr,
    destination: Ipv4Addr,
    protocol: u8,
    payload: &[u8],
) -> Vec<u8> {
    let total = IPV4_HEADER + payload.len();
    let mut packet = Vec::with_capacity(total);
    // version 4, IHL 5; TOS; Total Length; ID; flags DF; TTL 64; protocol
    packet.extend([0x45, 0]);
    packet.extend((total as u16).to_be_bytes());
    packet.extend([0, 0, 0x40, 0, 64, protocol, 0, 0]);
    packet.extend(source.octets());
    packet.extend(destination.octets());
    let sum = internet_checksum(&packet);
    packet[10..12].copy_from_slice(&sum.to_be_bytes());
    packet.extend(payload);
    packet
}

impl fmt::Display for Segment {
    /// One line, as tcpdump prints it: addresses, flags, numbers, length.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} > {} {:<7} seq={}",
            self.source,
            self.destination,
            self.flag_names(),
            self.sequence
        )?;
        if self.has(ACK) {
            write!(f, " ack={}", self.acknowledgement)?;
        }
        write!(f, " len={}", self.payload.len())
    }
}

/// A raw socket that sends whole IPv4 packets, header included:
/// `socket(AF_INET, SOCK_RAW, IPPROTO_RAW)` (raw(7)). `IPPROTO_RAW` implies
/// `IP_HDRINCL`, so the kernel keeps the source address the program wrote,
/// and such a socket receives nothing. Needs `CAP_NET_RAW`.
pub fn sender() -> io::Result<Socket> {
    let socket = Socket::new(
        Domain::IPV4,
        Type::RAW,
        Some(Protocol::from(libc::IPPROTO_RAW)),
    )?;
    timeout::bound(&socket)?;
    Ok(socket)
}

/// Sends `segment` from `sender` with `sendto(2)`, to the segment's own
/// destination address.
pub fn send(sender: &Socket, segment: &Segment) -> io::Result<()> {
    send_packet(sender, &segment.to_packet())
}

/// Sends a whole IPv4 packet from `sender` with `sendto(2)`, to the
/// destination address written in its header.
pub fn send_packet(sender: &Socket, packet: &[u8]) -> io::Result<()> {
    let ip = Ipv4::parse(packet)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not an IPv4 packet"))?;
    let to = SocketAddr::V4(SocketAddrV4::new(ip.destination, 0));
    let sent = sender.send_to(packet, &to.into())?;
    if sent != packet.len() {
        return Err(io::Error::other("a raw socket sends a packet whole"));
    }
    Ok(())
}

/// A raw socket that receives a copy of every TCP segment arriving at this
/// network namespace: [`layers::raw`] with `IPPROTO_TCP`. On loopback that
/// is both directions of every connection.
pub fn capture() -> io::Result<Socket> {
    layers::raw(libc::IPPROTO_TCP as u8)
}

/// Reads `capture` (`read(2)`) until a TCP segment that `wanted` accepts,
/// and returns it; skips the others. Fails with
/// [`io::ErrorKind::TimedOut`] if none comes within [`timeout::LIMIT`].
pub fn next<F>(capture: &Socket, mut wanted: F) -> io::Result<Segment>
where
    F: FnMut(&Segment) -> bool,
{
    let deadline = Instant::now() + timeout::LIMIT;
    let mut buf = vec![0; layers::MAX_LENGTH_FIELD];
    while Instant::now() < deadline {
        let n = (&*capture).read(&mut buf)?;
        if let Some(segment) = Segment::parse(&buf[..n]) {
            if wanted(&segment) {
                return Ok(segment);
            }
        }
    }
    Err(io::Error::new(
        io::ErrorKind::TimedOut,
        format!("no wanted segment within {:?}", timeout::LIMIT),
    ))
}

/// A TCP socket bound to 127.0.0.1 (port 0) whose `connect(2)` to `addr`
/// has begun and not finished: the socket is non-blocking (`O_NONBLOCK`),
/// so `connect` sends the SYN and returns at once with `EINPROGRESS`
/// instead of waiting for the handshake (connect(2)). Any other outcome of
/// `connect` is returned as an error. The socket stays non-blocking.
pub fn connect_in_progress(addr: SocketAddr) -> io::Result<Socket> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    timeout::bound(&socket)?;
    socket.bind(&crate::loopback::ANY_PORT.into())?;
    socket.set_nonblocking(true)?;
    match socket.connect(&addr.into()) {
        Err(err) if err.raw_os_error() == Some(libc::EINPROGRESS) => Ok(socket),
        Err(err) => Err(err),
        Ok(()) => Err(io::Error::other(format!(
            "connect to {addr} finished at once"
        ))),
    }
}

/// Whether the calling thread lives in a network namespace of its own,
/// not the one the process started in: whether `/proc/thread-self/ns/net`
/// and `/proc/self/ns/net` (namespaces(7)) name different namespaces, as
/// they do inside [`crate::netns::isolated`].
pub fn in_private_namespace() -> io::Result<bool> {
    let thread = fs::read_link("/proc/thread-self/ns/net")?;
    let process = fs::read_link("/proc/self/ns/net")?;
    Ok(thread != process)
}

/// Routes [`SILENT_NET`] out of the loopback interface, as
/// `ip route add 192.0.2.0/24 dev lo` would, with the `SIOCADDRT` ioctl
/// that route(8) uses (`<net/route.h>`). Refuses to run outside a private
/// network namespace: it would change the host's routing table.
///
/// What it makes: a packet sent to an address of that network goes out of
/// `lo`, comes straight back in, and is handed to the local TCP, which
/// finds no socket for it. Because the address is not one of the host's
/// own, TCP sends no RST either (`tcp_v4_send_reset` only answers segments
/// addressed to a local address). The segment vanishes: this is a network
/// where nobody ever answers, and where a listing can wait without a timer.
pub fn silence() -> io::Result<()> {
    if !in_private_namespace()? {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "refusing to add a route outside a private network namespace",
        ));
    }
    let socket = Socket::new(Domain::IPV4, Type::DGRAM, None)?;
    let mut device = *b"lo\0";
    // SAFETY: rtentry is plain old data; all zeroes is a valid value.
    let mut route: libc::rtentry = unsafe { std::mem::zeroed() };
    route.rt_dst = sockaddr(SILENT_NET);
    route.rt_genmask = sockaddr(Ipv4Addr::from(u32::MAX << (32 - SILENT_PREFIX)));
    route.rt_flags = libc::RTF_UP;
    route.rt_dev = device.as_mut_ptr().cast();
    // SAFETY: SIOCADDRT reads a complete rtentry whose rt_dev points to a
    // NUL-terminated name that outlives the call.
    if unsafe { libc::ioctl(socket.as_raw_fd(), libc::SIOCADDRT, &route) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// An IPv4 address as the generic `sockaddr` that `rtentry` holds.
fn sockaddr(address: Ipv4Addr) -> libc::sockaddr {
    let inet = libc::sockaddr_in {
        sin_family: libc::AF_INET as libc::sa_family_t,
        sin_port: 0,
        sin_addr: libc::in_addr {
            s_addr: u32::from(address).to_be(),
        },
        sin_zero: [0; 8],
    };
    // SAFETY: sockaddr_in and sockaddr have the same size (16 bytes), and
    // sockaddr is plain old data.
    unsafe { std::mem::transmute::<libc::sockaddr_in, libc::sockaddr>(inet) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{loopback, netns};

    fn addr(last: u8, port: u16) -> SocketAddrV4 {
        SocketAddrV4::new(Ipv4Addr::new(127, 0, 0, last), port)
    }

    #[test]
    fn a_written_segment_reads_back_with_valid_checksums() {
        let segment = Segment::new(addr(1, 40000), addr(2, 80), 7, 9, PSH | ACK, b"hi");
        let packet = segment.to_packet();
        assert_eq!(packet.len(), IPV4_HEADER + TCP_HEADER + 2);
        assert_eq!(internet_checksum(&packet[..IPV4_HEADER]), 0);
        let mut pseudo = packet[12..20].to_vec();
        pseudo.extend([0, 6, 0, (TCP_HEADER + 2) as u8]);
        pseudo.extend(&packet[IPV4_HEADER..]);
        assert_eq!(internet_checksum(&pseudo), 0);
        assert_eq!(Segment::parse(&packet), Some(segment.clone()));
        assert_eq!(segment.flag_names(), "PSH+ACK");
        assert!(segment.is(ACK) && segment.has(ACK) && !segment.has(SYN));
        assert_eq!(segment.seq_len(), 2);
        assert_eq!(
            segment.to_string(),
            "127.0.0.1:40000 > 127.0.0.2:80 PSH+ACK seq=7 ack=9 len=2"
        );
        let syn = Segment::new(addr(1, 1), addr(1, 2), 0, 0, SYN, b"");
        assert_eq!((syn.seq_len(), syn.flag_names()), (1, "SYN".to_string()));
        assert!(Segment::parse(&packet[..30]).is_none());
    }

    #[test]
    fn a_connect_in_progress_is_bound_to_loopback() {
        let listener = loopback::listener().unwrap();
        let socket = connect_in_progress(listener.local_addr().unwrap()).unwrap();
        let local = socket.local_addr().unwrap().as_socket().unwrap();
        assert_eq!(local.ip(), Ipv4Addr::LOCALHOST);
        let (_, peer) = listener.accept().unwrap();
        assert_eq!(peer, local);
    }

    #[test]
    fn no_route_is_added_outside_a_private_namespace() {
        assert!(!in_private_namespace().unwrap());
        let err = silence().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
    }

    #[test]
    fn a_hand_made_syn_gets_a_syn_ack_that_acknowledges_it() {
        let outcome = netns::isolated(|| {
            assert!(in_private_namespace().unwrap());
            silence().unwrap();
            let capture = capture().unwrap();
            let listener = loopback::listener().unwrap();
            let SocketAddr::V4(server) = listener.local_addr().unwrap() else {
                unreachable!()
            };
            let client = SocketAddrV4::new(SILENT_HOST, 40000);
            send(
                &sender().unwrap(),
                &Segment::new(client, server, 1000, 0, SYN, b""),
            )
            .unwrap();
            next(&capture, |s| s.source == server && s.destination == client).unwrap()
        });
        match outcome {
            Ok(reply) => {
                assert!(reply.is(SYN | ACK), "{reply}");
                assert_eq!(reply.acknowledgement, 1001);
            }
            Err(why) => netns::skip("hand-made segments in a private namespace", &why),
        }
    }
}
