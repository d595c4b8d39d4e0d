//! ICMP echo, the message `ping` sends, by hand and by the kernel.
//!
//! An ICMP echo request (RFC 792: type 8, code 0) carries an identifier, a
//! sequence number and any data; the host that receives it sends the same
//! identifier, sequence number and data back in an echo reply (type 0). On
//! Linux a program can send one in two ways:
//!
//! - through a raw socket, `socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)`
//!   (raw(7)), which needs `CAP_NET_RAW`. The program writes the whole ICMP
//!   message, checksum included ([`echo_request`]), and reads whole IPv4
//!   packets, header included ([`Ipv4Header`], [`Echo`]);
//! - through a "ping socket", `socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)`
//!   (icmp(7)), allowed to the groups in the sysctl
//!   `net.ipv4.ping_group_range` ([`ping_socket`], [`ping_group_range`]).
//!   The kernel fills in the identifier and the checksum, and hands back
//!   the ICMP message without its IP header.
//!
//! The rest of the IPv4 header is here too, because a raw socket with
//! `IP_HDRINCL` writes it itself: [`Ipv4Header::to_bytes`].

use std::fs;
use std::io;
use std::net::Ipv4Addr;
use std::os::fd::AsRawFd;

use socket2::{Domain, Protocol, Socket, Type};

use crate::layers::{self, internet_checksum, Ipv4, IPV4_HEADER};
use crate::timeout;

/// ICMP type 0: echo reply (RFC 792).
pub const ECHO_REPLY: u8 = 0;
/// ICMP type 3: destination unreachable (RFC 792). Its code says why.
pub const DESTINATION_UNREACHABLE: u8 = 3;
/// ICMP type 8: echo request (RFC 792).
pub const ECHO_REQUEST: u8 = 8;
/// Destination unreachable, code 2: no protocol on the host takes the IP
/// packet's Protocol number.
pub const PROTOCOL_UNREACHABLE: u8 = 2;
/// Destination unreachable, code 3: no socket on the host has the port.
pub const PORT_UNREACHABLE: u8 = 3;
/// Size of the echo header: type, code, checksum, identifier, sequence.
pub const ECHO_HEADER: usize = 8;
/// The sysctl `net.ipv4.ping_group_range` (icmp(7)), one per network
/// namespace: the lowest and highest group ID allowed to make ping sockets.
pub const PING_GROUP_RANGE: &str = "/proc/sys/net/ipv4/ping_group_range";

/// `ICMP_FILTER`, an option of level `SOL_RAW` (<linux/icmp.h>: 1).
const ICMP_FILTER: libc::c_int = 1;

/// An echo request or echo reply, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Echo<'a> {
    /// Type: [`ECHO_REQUEST`] or [`ECHO_REPLY`].
    pub kind: u8,
    /// Code: 0 for both.
    pub code: u8,
    /// Checksum, as found in the message.
    pub checksum: u16,
    /// Identifier: which ping this belongs to.
    pub identifier: u16,
    /// Sequence number: which request of that ping.
    pub sequence: u16,
    /// The data, echoed unchanged.
    pub payload: &'a [u8],
}

impl<'a> Echo<'a> {
    /// Takes apart `message`, which starts with an ICMP header. `None` if
    /// it is not an echo request or reply, or is cut short.
    pub fn parse(message: &'a [u8]) -> Option<Self> {
        if message.len() < ECHO_HEADER || ![ECHO_REQUEST, ECHO_REPLY].contains(&message[0]) {
            return None;
        }
        let field = |at: usize| u16::from_be_bytes([message[at], message[at + 1]]);
        Some(Echo {
            kind: message[0],
            code: message[1],
            checksum: field(2),
            identifier: field(4),
            sequence: field(6),
            payload: &message[ECHO_HEADER..],
        })
    }
}

/// An echo request with its checksum (RFC 1071) filled in, as a raw ICMP
/// socket must send it: the kernel adds only the IP header.
pub fn echo_request(identifier: u16, sequence: u16, payload: &[u8]) -> Vec<u8> {
    let mut message = vec![ECHO_REQUEST, 0, 0, 0];
    message.extend(identifier.to_be_bytes());
    message.extend(sequence.to_be_bytes());
    message.extend(payload);
    let checksum = internet_checksum(&message);
    message[2..4].copy_from_slice(&checksum.to_be_bytes());
    message
}

/// Whether a message (an ICMP message, or an IPv4 header) carries a right
/// Internet checksum: summed with its checksum field, its words give
/// 0xffff, so the checksum of the whole is 0 (RFC 1071).
pub fn checksum_ok(message: &[u8]) -> bool {
    internet_checksum(message) == 0
}

/// Every field of an IPv4 header without options (RFC 791, section 3.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ipv4Header {
    /// Version: 4.
    pub version: u8,
    /// Header length in bytes (IHL × 4).
    pub header_len: usize,
    /// Type of service (now DSCP and ECN).
    pub tos: u8,
    /// Total Length: header and payload.
    pub total_len: u16,
    /// Identification: which packet the fragments belong to.
    pub identification: u16,
    /// The DF flag: do not fragment.
    pub dont_fragment: bool,
    /// The MF flag: more fragments follow.
    pub more_fragments: bool,
    /// Where this fragment's data starts in the packet, in bytes (the
    /// field counts units of 8 bytes).
    pub fragment_offset: usize,
    /// Time to live: hops left.
    pub ttl: u8,
    /// Protocol: 1 ICMP, 6 TCP, 17 UDP.
    pub protocol: u8,
    /// Header checksum, as found.
    pub checksum: u16,
    /// Source address.
    pub source: Ipv4Addr,
    /// Destination address.
    pub destination: Ipv4Addr,
}

impl Ipv4Header {
    /// Reads the header at the start of `packet`. `None` if it is shorter
    /// than 20 bytes or than its own IHL says; the version is not checked.
    pub fn parse(packet: &[u8]) -> Option<Self> {
        if packet.len() < IPV4_HEADER {
            return None;
        }
        let header_len = usize::from(packet[0] & 0x0f) * 4;
        if header_len < IPV4_HEADER || packet.len() < header_len {
            return None;
        }
        let field = |at: usize| u16::from_be_bytes([packet[at], packet[at + 1]]);
        let address =
            |at: usize| Ipv4Addr::new(packet[at], packet[at + 1], packet[at + 2], packet[at + 3]);
        let flags_and_offset = field(6);
        Some(Ipv4Header {
            version: packet[0] >> 4,
            header_len,
            tos: packet[1],
            total_len: field(2),
            identification: field(4),
            dont_fragment: flags_and_offset & 0x4000 != 0,
            more_fragments: flags_and_offset & 0x2000 != 0,
            fragment_offset: usize::from(flags_and_offset & 0x1fff) * 8,
            ttl: packet[8],
            protocol: packet[9],
            checksum: field(10),
            source: address(12),
            destination: address(16),
        })
    }

    /// The 20 bytes of this header, as a raw socket with `IP_HDRINCL`
    /// sends them (raw(7)). Written as they are: no option, and the
    /// checksum and Total Length are not computed, since the kernel always
    /// fills them in. `fragment_offset` must be a multiple of 8.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut flags_and_offset = (self.fragment_offset / 8) as u16;
        if self.dont_fragment {
            flags_and_offset |= 0x4000;
        }
        if self.more_fragments {
            flags_and_offset |= 0x2000;
        }
        let mut header = vec![0x45, self.tos];
        header.extend(self.total_len.to_be_bytes());
        header.extend(self.identification.to_be_bytes());
        header.extend(flags_and_offset.to_be_bytes());
        header.extend([self.ttl, self.protocol]);
        header.extend(self.checksum.to_be_bytes());
        header.extend(self.source.octets());
        header.extend(self.destination.octets());
        header
    }
}

/// A raw ICMP socket, `socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)` (raw(7)),
/// bounded by [`crate::timeout::LIMIT`]. Fails with `EPERM` without
/// `CAP_NET_RAW`.
pub fn raw_socket() -> io::Result<Socket> {
    layers::raw(libc::IPPROTO_ICMP as u8)
}

/// Reads a raw ICMP socket until an echo message of type `kind` with this
/// `identifier` and `sequence` comes, and returns the whole IPv4 packet.
/// Every raw ICMP socket gets every ICMP packet, so a pinger must pick its
/// own out by identifier, as this does. Fails with
/// [`io::ErrorKind::TimedOut`] after [`crate::timeout::LIMIT`].
pub fn receive_echo(raw: &Socket, kind: u8, identifier: u16, sequence: u16) -> io::Result<Vec<u8>> {
    layers::receive_until(raw, |ip: &Ipv4<'_>| {
        ip.protocol == 1
            && Echo::parse(ip.payload).is_some_and(|echo| {
                (echo.kind, echo.identifier, echo.sequence) == (kind, identifier, sequence)
            })
    })
}

/// Sets the `ICMP_FILTER` option of a raw ICMP socket (raw(7),
/// `setsockopt(2)` at level `SOL_RAW`): from then on the socket receives
/// only ICMP messages whose type is in `pass`. The option is a 32-bit mask
/// with a bit set for each type to drop; types above 31 always pass.
pub fn set_filter(raw: &Socket, pass: &[u8]) -> io::Result<()> {
    let mut mask: u32 = !0;
    for &kind in pass.iter().filter(|&&kind| kind < 32) {
        mask &= !(1 << kind);
    }
    // SAFETY: the option value is the u32 the kernel expects, with its size.
    let status = unsafe {
        libc::setsockopt(
            raw.as_raw_fd(),
            libc::SOL_RAW,
            ICMP_FILTER,
            (&mask as *const u32).cast(),
            std::mem::size_of::<u32>() as libc::socklen_t,
        )
    };
    if status < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// A ping socket, `socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP)` (icmp(7)),
/// bounded by [`crate::timeout::LIMIT`]. Fails with `EACCES` unless the
/// thread's effective group or one of its supplementary groups is in
/// [`ping_group_range`]; no capability is checked.
pub fn ping_socket() -> io::Result<Socket> {
    let socket = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::ICMPV4))?;
    timeout::bound(&socket)?;
    Ok(socket)
}

/// Reads `net.ipv4.ping_group_range` of the calling thread's network
/// namespace from [`PING_GROUP_RANGE`]: the lowest and highest group
/// allowed. The default, `1 0`, is an empty range: nobody.
pub fn ping_group_range() -> io::Result<(u32, u32)> {
    let text = fs::read_to_string(PING_GROUP_RANGE)?;
    let bad = || io::Error::new(io::ErrorKind::InvalidData, format!("{text:?}"));
    let mut numbers = text.split_whitespace().map(str::parse::<u32>);
    match (numbers.next(), numbers.next(), numbers.next()) {
        (Some(Ok(low)), Some(Ok(high)), None) => Ok((low, high)),
        _ => Err(bad()),
    }
}

/// Writes `net.ipv4.ping_group_range` of the calling thread's network
/// namespace. Needs `CAP_NET_ADMIN`. The kernel refuses (`EINVAL`) a group
/// above 2³¹ − 1, and stores a range whose low end is above its high end as
/// the empty range `1 0`.
pub fn set_ping_group_range(low: u32, high: u32) -> io::Result<()> {
    fs::write(PING_GROUP_RANGE, format!("{low} {high}"))
}

/// The groups the kernel looks at when a ping socket is made: the
/// effective group (`getegid(2)`) and the supplementary groups
/// (`getgroups(2)`).
pub fn groups() -> io::Result<Vec<u32>> {
    // SAFETY: with a size of 0, getgroups only counts.
    let count = unsafe { libc::getgroups(0, std::ptr::null_mut()) };
    if count < 0 {
        return Err(io::Error::last_os_error());
    }
    let mut groups = vec![0; count as usize];
    // SAFETY: the buffer holds `count` group IDs.
    let count = unsafe { libc::getgroups(count, groups.as_mut_ptr()) };
    if count < 0 {
        return Err(io::Error::last_os_error());
    }
    groups.truncate(count as usize);
    // SAFETY: getegid cannot fail.
    groups.push(unsafe { libc::getegid() });
    Ok(groups)
}

/// Whether [`ping_socket`] should succeed here: whether one of [`groups`]
/// is in [`ping_group_range`].
pub fn may_ping() -> io::Result<bool> {
    let (low, high) = ping_group_range()?;
    Ok(groups()?.iter().any(|group| (low..=high).contains(group)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netns;
    use std::net::SocketAddr;

    #[test]
    fn an_echo_request_round_trips() {
        let message = echo_request(0x1234, 7, b"abc");
        assert_eq!(message.len(), ECHO_HEADER + 3);
        assert!(checksum_ok(&message));
        let echo = Echo::parse(&message).unwrap();
        assert_eq!(
            (echo.kind, echo.code, echo.identifier, echo.sequence),
            (ECHO_REQUEST, 0, 0x1234, 7)
        );
        assert_eq!(echo.payload, b"abc");
        assert!(Echo::parse(&message[..7]).is_none());
        assert!(Echo::parse(&[DESTINATION_UNREACHABLE, 3, 0, 0, 0, 0, 0, 0]).is_none());
    }

    #[test]
    fn an_ipv4_header_round_trips() {
        let header = Ipv4Header {
            version: 4,
            header_len: 20,
            tos: 0,
            total_len: 28,
            identification: 0xbeef,
            dont_fragment: false,
            more_fragments: true,
            fragment_offset: 16,
            ttl: 64,
            protocol: 1,
            checksum: 0,
            source: Ipv4Addr::LOCALHOST,
            destination: Ipv4Addr::new(127, 0, 0, 2),
        };
        let mut bytes = header.to_bytes();
        assert_eq!(bytes.len(), IPV4_HEADER);
        assert_eq!(Ipv4Header::parse(&bytes).unwrap(), header);
        let checksum = internet_checksum(&bytes);
        bytes[10..12].copy_from_slice(&checksum.to_be_bytes());
        assert!(checksum_ok(&bytes));
        assert!(Ipv4Header::parse(&bytes[..19]).is_none());
    }

    #[test]
    fn the_range_is_read_and_the_groups_found() {
        let (low, high) = ping_group_range().unwrap();
        let groups = groups().unwrap();
        // SAFETY: getegid cannot fail.
        assert!(groups.contains(&unsafe { libc::getegid() }));
        let allowed = groups.iter().any(|g| low <= *g && *g <= high);
        assert_eq!(may_ping().unwrap(), allowed);
        match ping_socket() {
            Ok(_) => assert!(allowed),
            Err(err) => assert_eq!((err.raw_os_error(), allowed), (Some(libc::EACCES), false)),
        }
    }

    #[test]
    fn a_filtered_raw_socket_sees_only_replies() {
        let seen = netns::isolated(|| {
            let watcher = raw_socket().unwrap();
            set_filter(&watcher, &[ECHO_REPLY]).unwrap();
            let pinger = raw_socket().unwrap();
            let to = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
            pinger
                .send_to(&echo_request(0x5151, 1, b"f"), &to.into())
                .unwrap();
            receive_echo(&pinger, ECHO_REPLY, 0x5151, 1).unwrap();
            let packet = layers::receive_until(&watcher, |_| true).unwrap();
            Echo::parse(Ipv4::parse(&packet).unwrap().payload)
                .unwrap()
                .kind
        });
        match seen {
            Ok(kind) => assert_eq!(kind, ECHO_REPLY),
            Err(why) => netns::skip("raw ICMP sockets in a private namespace", &why),
        }
    }
}
