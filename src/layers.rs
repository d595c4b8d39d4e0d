//! The layers of the two network models, and where each protocol sits.
//!
//! The OSI reference model (ISO/IEC 7498-1) has seven layers; the TCP/IP
//! model (RFC 1122) has four, or five when its link layer is split into a
//! physical and a data link layer. This module keeps both, and the protocols
//! the book's sources name, as plain data, so that a listing can put the
//! table beside what the kernel does: the protocol number a socket reports,
//! the headers the kernel writes in front of a payload.
//!
//! The last part reads those headers: [`raw`] opens a raw socket (raw(7))
//! that receives whole IPv4 packets, and [`Ipv4`], [`Udp`] and [`Tcp`] take
//! them apart.

use std::io::{self, Read};
use std::net::Ipv4Addr;
use std::time::Instant;

use socket2::{Domain, Protocol as SockProtocol, Socket, Type};

use crate::timeout::{self, LIMIT};

/// A layer of the OSI reference model, numbered from the bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Osi {
    /// 1: bits on a wire, a fibre or the air.
    Physical = 1,
    /// 2: frames between neighbours on one link.
    DataLink = 2,
    /// 3: packets across networks, from host to host.
    Network = 3,
    /// 4: from a process on one host to a process on another.
    Transport = 4,
    /// 5: dialogues between applications.
    Session = 5,
    /// 6: how data is encoded.
    Presentation = 6,
    /// 7: the application's own protocol.
    Application = 7,
}

impl Osi {
    /// The seven layers, bottom up.
    pub const ALL: [Osi; 7] = [
        Osi::Physical,
        Osi::DataLink,
        Osi::Network,
        Osi::Transport,
        Osi::Session,
        Osi::Presentation,
        Osi::Application,
    ];

    /// The layer's number, 1 (physical) to 7 (application).
    pub fn number(self) -> u8 {
        self as u8
    }

    /// The layer of the TCP/IP model that does this layer's work.
    pub fn tcp_ip(self) -> TcpIp {
        match self {
            Osi::Physical | Osi::DataLink => TcpIp::Link,
            Osi::Network => TcpIp::Internet,
            Osi::Transport => TcpIp::Transport,
            Osi::Session | Osi::Presentation | Osi::Application => TcpIp::Application,
        }
    }

    /// The layer of the five-layer model that does this layer's work.
    pub fn five(self) -> Five {
        match self {
            Osi::Physical => Five::Physical,
            Osi::DataLink => Five::DataLink,
            Osi::Network => Five::Network,
            Osi::Transport => Five::Transport,
            Osi::Session | Osi::Presentation | Osi::Application => Five::Application,
        }
    }
}

/// A layer of the TCP/IP model (RFC 1122, section 1.1.3), numbered from the
/// bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TcpIp {
    /// 1: the network interface and its driver (OSI 1 and 2).
    Link = 1,
    /// 2: IP and its helpers (OSI 3).
    Internet = 2,
    /// 3: TCP and UDP (OSI 4).
    Transport = 3,
    /// 4: everything the application does itself (OSI 5 to 7).
    Application = 4,
}

impl TcpIp {
    /// The four layers, bottom up.
    pub const ALL: [TcpIp; 4] = [
        TcpIp::Link,
        TcpIp::Internet,
        TcpIp::Transport,
        TcpIp::Application,
    ];

    /// The OSI layers this layer covers, bottom up.
    pub fn osi(self) -> Vec<Osi> {
        Osi::ALL
            .into_iter()
            .filter(|layer| layer.tcp_ip() == self)
            .collect()
    }

    /// Whether the kernel implements this layer. On Linux the socket API is
    /// the boundary: the application layer runs in the process, the rest in
    /// the kernel (and the network card).
    pub fn in_kernel(self) -> bool {
        self != TcpIp::Application
    }
}

/// A layer of the five-layer model: TCP/IP with its link layer split in two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Five {
    /// 1: as OSI 1.
    Physical = 1,
    /// 2: as OSI 2.
    DataLink = 2,
    /// 3: as OSI 3, TCP/IP's internet layer.
    Network = 3,
    /// 4: as OSI 4.
    Transport = 4,
    /// 5: OSI 5 to 7.
    Application = 5,
}

impl Five {
    /// The five layers, bottom up.
    pub const ALL: [Five; 5] = [
        Five::Physical,
        Five::DataLink,
        Five::Network,
        Five::Transport,
        Five::Application,
    ];

    /// The OSI layers this layer covers, bottom up.
    pub fn osi(self) -> Vec<Osi> {
        Osi::ALL
            .into_iter()
            .filter(|layer| layer.five() == self)
            .collect()
    }
}

/// What a protocol's messages travel inside: the field of the layer below
/// that tells the receiver whom to hand them to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Carrier {
    /// Sent on the medium itself (a link-layer frame format).
    Medium,
    /// In a link-layer frame, told apart by its EtherType (IEEE 802.3).
    EtherType(u16),
    /// Directly in an IP packet, told apart by the IPv4 header's Protocol
    /// field (IPv6: Next Header). No port: the IP layer has none.
    Ip(u8),
    /// In TCP segments, at a well-known port.
    Tcp(u16),
    /// In UDP datagrams, at a well-known port.
    Udp(u16),
    /// In TCP and in UDP, at the same well-known port.
    TcpAndUdp(u16),
}

impl Carrier {
    /// The IP protocol number, for a protocol carried directly in IP.
    pub fn ip_protocol(self) -> Option<u8> {
        match self {
            Carrier::Ip(number) => Some(number),
            _ => None,
        }
    }

    /// The well-known port, for a protocol carried by TCP or UDP.
    pub fn port(self) -> Option<u16> {
        match self {
            Carrier::Tcp(port) | Carrier::Udp(port) | Carrier::TcpAndUdp(port) => Some(port),
            _ => None,
        }
    }

    /// The TCP/IP layer whose header names this carrier, if any.
    pub fn layer(self) -> Option<TcpIp> {
        match self {
            Carrier::Medium => None,
            Carrier::EtherType(_) => Some(TcpIp::Link),
            Carrier::Ip(_) => Some(TcpIp::Internet),
            Carrier::Tcp(_) | Carrier::Udp(_) | Carrier::TcpAndUdp(_) => Some(TcpIp::Transport),
        }
    }
}

/// A protocol, the layer it belongs to, and how it is carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Protocol {
    /// Its usual short name, as the sources write it.
    pub name: &'static str,
    /// What the name stands for.
    pub full_name: &'static str,
    /// The TCP/IP layer it belongs to.
    pub layer: TcpIp,
    /// What carries it.
    pub carrier: Carrier,
}

/// The protocols the book's sources name, bottom up.
///
/// Numbers come from IANA's registries: EtherTypes (IEEE 802), "Assigned
/// Internet Protocol Numbers" (as in `/etc/protocols`, protocols(5)), and
/// "Service Name and Transport Protocol Port Number" (as in `/etc/services`,
/// services(5)). ICMP, IGMP and OSPF are carried directly in IP but belong
/// to the internet layer: they are IP's own control and routing protocols,
/// and have no port.
pub const PROTOCOLS: &[Protocol] = &[
    Protocol {
        name: "Ethernet",
        full_name: "Ethernet (IEEE 802.3)",
        layer: TcpIp::Link,
        carrier: Carrier::Medium,
    },
    Protocol {
        name: "ARP",
        full_name: "Address Resolution Protocol",
        layer: TcpIp::Link,
        carrier: Carrier::EtherType(0x0806),
    },
    Protocol {
        name: "IP",
        full_name: "Internet Protocol, version 4",
        layer: TcpIp::Internet,
        carrier: Carrier::EtherType(0x0800),
    },
    Protocol {
        name: "IPv6",
        full_name: "Internet Protocol, version 6",
        layer: TcpIp::Internet,
        carrier: Carrier::EtherType(0x86DD),
    },
    Protocol {
        name: "ICMP",
        full_name: "Internet Control Message Protocol",
        layer: TcpIp::Internet,
        carrier: Carrier::Ip(1),
    },
    Protocol {
        name: "IGMP",
        full_name: "Internet Group Management Protocol",
        layer: TcpIp::Internet,
        carrier: Carrier::Ip(2),
    },
    Protocol {
        name: "OSPF",
        full_name: "Open Shortest Path First",
        layer: TcpIp::Internet,
        carrier: Carrier::Ip(89),
    },
    Protocol {
        name: "TCP",
        full_name: "Transmission Control Protocol",
        layer: TcpIp::Transport,
        carrier: Carrier::Ip(6),
    },
    Protocol {
        name: "UDP",
        full_name: "User Datagram Protocol",
        layer: TcpIp::Transport,
        carrier: Carrier::Ip(17),
    },
    Protocol {
        name: "DCCP",
        full_name: "Datagram Congestion Control Protocol",
        layer: TcpIp::Transport,
        carrier: Carrier::Ip(33),
    },
    Protocol {
        name: "SCTP",
        full_name: "Stream Control Transmission Protocol",
        layer: TcpIp::Transport,
        carrier: Carrier::Ip(132),
    },
    Protocol {
        name: "FTP",
        full_name: "File Transfer Protocol",
        layer: TcpIp::Application,
        carrier: Carrier::Tcp(21),
    },
    Protocol {
        name: "Telnet",
        full_name: "Telnet",
        layer: TcpIp::Application,
        carrier: Carrier::Tcp(23),
    },
    Protocol {
        name: "SMTP",
        full_name: "Simple Mail Transfer Protocol",
        layer: TcpIp::Application,
        carrier: Carrier::Tcp(25),
    },
    Protocol {
        name: "DNS",
        full_name: "Domain Name System",
        layer: TcpIp::Application,
        carrier: Carrier::TcpAndUdp(53),
    },
    Protocol {
        name: "DHCP",
        full_name: "Dynamic Host Configuration Protocol (server 67, client 68)",
        layer: TcpIp::Application,
        carrier: Carrier::Udp(67),
    },
    Protocol {
        name: "TFTP",
        full_name: "Trivial File Transfer Protocol",
        layer: TcpIp::Application,
        carrier: Carrier::Udp(69),
    },
    Protocol {
        name: "HTTP",
        full_name: "Hypertext Transfer Protocol",
        layer: TcpIp::Application,
        carrier: Carrier::Tcp(80),
    },
    Protocol {
        name: "POP3",
        full_name: "Post Office Protocol, version 3",
        layer: TcpIp::Application,
        carrier: Carrier::Tcp(110),
    },
    Protocol {
        name: "SNMP",
        full_name: "Simple Network Management Protocol",
        layer: TcpIp::Application,
        carrier: Carrier::Udp(161),
    },
    Protocol {
        name: "NFS",
        full_name: "Network File System (version 4 over TCP only)",
        layer: TcpIp::Application,
        carrier: Carrier::TcpAndUdp(2049),
    },
];

/// The protocol called `name` in [`PROTOCOLS`], ignoring case.
pub fn protocol(name: &str) -> Option<&'static Protocol> {
    PROTOCOLS
        .iter()
        .find(|protocol| protocol.name.eq_ignore_ascii_case(name))
}

/// The protocols of one layer, bottom up.
pub fn protocols_of(layer: TcpIp) -> impl Iterator<Item = &'static Protocol> {
    PROTOCOLS
        .iter()
        .filter(move |protocol| protocol.layer == layer)
}

/// Size of an IPv4 header without options (RFC 791, section 3.1).
pub const IPV4_HEADER: usize = 20;
/// Size of the fixed IPv6 header (RFC 8200, section 3).
pub const IPV6_HEADER: usize = 40;
/// Size of a UDP header (RFC 768).
pub const UDP_HEADER: usize = 8;
/// Size of a TCP header without options (RFC 9293, section 3.1).
pub const TCP_HEADER: usize = 20;
/// The largest value of a 16-bit length field: IPv4's Total Length, IPv6's
/// Payload Length and UDP's Length all have 16 bits.
pub const MAX_LENGTH_FIELD: usize = u16::MAX as usize;

/// An IPv4 packet taken apart: the fields of its header a listing looks at,
/// and what follows the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ipv4<'a> {
    /// Header length in bytes (IHL × 4): 20 without options.
    pub header_len: usize,
    /// Total Length: header and payload, in bytes.
    pub total_len: usize,
    /// Protocol: who gets the payload (6 TCP, 17 UDP, 1 ICMP).
    pub protocol: u8,
    /// Source address.
    pub source: Ipv4Addr,
    /// Destination address.
    pub destination: Ipv4Addr,
    /// What follows the header, up to Total Length.
    pub payload: &'a [u8],
}

impl<'a> Ipv4<'a> {
    /// Takes apart `packet`, which starts with an IPv4 header (RFC 791), as
    /// a raw socket returns it. `None` if it is not one, or is cut short.
    pub fn parse(packet: &'a [u8]) -> Option<Self> {
        let first = *packet.first()?;
        let header_len = usize::from(first & 0x0f) * 4;
        if first >> 4 != 4 || header_len < IPV4_HEADER || packet.len() < header_len {
            return None;
        }
        let total_len = usize::from(u16::from_be_bytes([packet[2], packet[3]]));
        if total_len < header_len || packet.len() < total_len {
            return None;
        }
        let address =
            |at: usize| Ipv4Addr::new(packet[at], packet[at + 1], packet[at + 2], packet[at + 3]);
        Some(Ipv4 {
            header_len,
            total_len,
            protocol: packet[9],
            source: address(12),
            destination: address(16),
            payload: &packet[header_len..total_len],
        })
    }
}

/// A UDP datagram taken apart (RFC 768).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Udp<'a> {
    /// Source port.
    pub source_port: u16,
    /// Destination port.
    pub destination_port: u16,
    /// Length: header and data, in bytes.
    pub length: usize,
    /// The data: what the receiving socket's `recv(2)` returns.
    pub payload: &'a [u8],
}

impl<'a> Udp<'a> {
    /// Takes apart `datagram`, which starts with a UDP header. `None` if it
    /// is cut short.
    pub fn parse(datagram: &'a [u8]) -> Option<Self> {
        if datagram.len() < UDP_HEADER {
            return None;
        }
        let field = |at: usize| u16::from_be_bytes([datagram[at], datagram[at + 1]]);
        let length = usize::from(field(4));
        if length < UDP_HEADER || datagram.len() < length {
            return None;
        }
        Some(Udp {
            source_port: field(0),
            destination_port: field(2),
            length,
            payload: &datagram[UDP_HEADER..length],
        })
    }
}

/// A TCP segment taken apart (RFC 9293, section 3.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tcp<'a> {
    /// Source port.
    pub source_port: u16,
    /// Destination port.
    pub destination_port: u16,
    /// Sequence number.
    pub sequence: u32,
    /// Header length in bytes (Data Offset × 4): 20 without options.
    pub header_len: usize,
    /// The SYN flag: the segment opens a connection.
    pub syn: bool,
    /// The ACK flag.
    pub ack: bool,
    /// The FIN flag: the sender has no more data.
    pub fin: bool,
    /// The data: bytes of the stream the application wrote.
    pub payload: &'a [u8],
}

impl<'a> Tcp<'a> {
    /// Takes apart `segment`, which starts with a TCP header. `None` if it is
    /// cut short.
    pub fn parse(segment: &'a [u8]) -> Option<Self> {
        if segment.len() < TCP_HEADER {
            return None;
        }
        let header_len = usize::from(segment[12] >> 4) * 4;
        if header_len < TCP_HEADER || segment.len() < header_len {
            return None;
        }
        let flags = segment[13];
        Some(Tcp {
            source_port: u16::from_be_bytes([segment[0], segment[1]]),
            destination_port: u16::from_be_bytes([segment[2], segment[3]]),
            sequence: u32::from_be_bytes([segment[4], segment[5], segment[6], segment[7]]),
            header_len,
            fin: flags & 0x01 != 0,
            syn: flags & 0x02 != 0,
            ack: flags & 0x10 != 0,
            payload: &segment[header_len..],
        })
    }
}

/// The Internet checksum of `data` (RFC 1071): the ones' complement of the
/// ones' complement sum of its 16-bit words. ICMP's header carries it, and
/// a raw ICMP socket leaves computing it to the application.
pub fn internet_checksum(data: &[u8]) -> u16 {
    let mut sum: u32 = data
        .chunks(2)
        .map(|pair| u32::from(u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)])))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// A raw IPv4 socket for IP protocol `protocol`, bounded by [`LIMIT`].
///
/// `socket(AF_INET, SOCK_RAW, protocol)` (raw(7)). On Linux it receives a
/// copy of every incoming IPv4 packet of that protocol, header included, as
/// it reaches the host's IP layer; what it sends gets an IP header from the
/// kernel. It needs `CAP_NET_RAW`: use it inside [`crate::netns::isolated`],
/// where the only traffic is the listing's own.
pub fn raw(protocol: u8) -> io::Result<Socket> {
    let socket = Socket::new(
        Domain::IPV4,
        Type::RAW,
        Some(SockProtocol::from(i32::from(protocol))),
    )?;
    timeout::bound(&socket)?;
    Ok(socket)
}

/// Reads packets from a raw socket (`read(2)`) until one that `wanted`
/// accepts, and returns that packet. Packets that are not IPv4 or that
/// `wanted` rejects are skipped. Fails with [`io::ErrorKind::TimedOut`] if
/// none comes within [`LIMIT`].
pub fn receive_until<F>(raw: &Socket, mut wanted: F) -> io::Result<Vec<u8>>
where
    F: FnMut(&Ipv4<'_>) -> bool,
{
    let deadline = Instant::now() + LIMIT;
    let mut buf = vec![0; MAX_LENGTH_FIELD];
    while Instant::now() < deadline {
        let n = (&*raw).read(&mut buf)?;
        if Ipv4::parse(&buf[..n]).is_some_and(|packet| wanted(&packet)) {
            buf.truncate(n);
            return Ok(buf);
        }
    }
    Err(io::Error::new(
        io::ErrorKind::TimedOut,
        format!("no wanted packet within {LIMIT:?}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netns;
    use std::net::UdpSocket;

    #[test]
    fn every_osi_layer_has_one_place_in_each_model() {
        let four: Vec<Osi> = TcpIp::ALL.into_iter().flat_map(TcpIp::osi).collect();
        let five: Vec<Osi> = Five::ALL.into_iter().flat_map(Five::osi).collect();
        assert_eq!(four, Osi::ALL);
        assert_eq!(five, Osi::ALL);
        assert_eq!(
            TcpIp::Application.osi(),
            [Osi::Session, Osi::Presentation, Osi::Application]
        );
        assert_eq!(TcpIp::Link.osi(), [Osi::Physical, Osi::DataLink]);
        assert!(TcpIp::Transport.in_kernel() && !TcpIp::Application.in_kernel());
    }

    #[test]
    fn protocol_numbers_agree_with_the_c_library() {
        let number = |name| protocol(name).unwrap().carrier.ip_protocol().unwrap();
        assert_eq!(i32::from(number("icmp")), libc::IPPROTO_ICMP);
        assert_eq!(i32::from(number("igmp")), libc::IPPROTO_IGMP);
        assert_eq!(i32::from(number("tcp")), libc::IPPROTO_TCP);
        assert_eq!(i32::from(number("udp")), libc::IPPROTO_UDP);
        assert_eq!(i32::from(number("dccp")), libc::IPPROTO_DCCP);
        assert_eq!(i32::from(number("sctp")), libc::IPPROTO_SCTP);
        let ether = |name| match protocol(name).unwrap().carrier {
            Carrier::EtherType(kind) => i32::from(kind),
            other => panic!("{other:?}"),
        };
        assert_eq!(ether("ip"), libc::ETH_P_IP);
        assert_eq!(ether("ipv6"), libc::ETH_P_IPV6);
        assert_eq!(ether("arp"), libc::ETH_P_ARP);
    }

    #[test]
    fn ports_belong_to_the_application_layer_only() {
        for protocol in PROTOCOLS {
            assert_eq!(
                protocol.carrier.port().is_some(),
                protocol.layer == TcpIp::Application,
                "{protocol:?}"
            );
        }
        assert_eq!(protocols_of(TcpIp::Transport).count(), 4);
        assert!(protocol("nosuch").is_none());
    }

    #[test]
    fn parses_headers_written_by_hand() {
        let mut packet = vec![0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 17, 0, 0];
        packet.extend([127, 0, 0, 1, 127, 0, 0, 2]);
        packet.extend([0x1f, 0x90, 0x00, 0x35, 0, 10, 0, 0, b'h', b'i']);
        packet[3] = packet.len() as u8;
        packet.extend(b"trailing bytes are not the packet's");
        let ip = Ipv4::parse(&packet).unwrap();
        assert_eq!((ip.header_len, ip.total_len, ip.protocol), (20, 30, 17));
        assert_eq!(ip.destination, Ipv4Addr::new(127, 0, 0, 2));
        let udp = Udp::parse(ip.payload).unwrap();
        assert_eq!((udp.source_port, udp.destination_port), (8080, 53));
        assert_eq!(udp.payload, b"hi");
        assert!(Ipv4::parse(&packet[..25]).is_none());
        assert!(Ipv4::parse(&[0x60; 40]).is_none());

        let mut segment = vec![0, 80, 0x1f, 0x90, 0, 0, 0, 7, 0, 0, 0, 0, 0x50, 0x12];
        segment.extend([0; 6]);
        segment.extend(b"data");
        let tcp = Tcp::parse(&segment).unwrap();
        assert_eq!((tcp.source_port, tcp.sequence, tcp.header_len), (80, 7, 20));
        assert!(tcp.syn && tcp.ack && !tcp.fin);
        assert_eq!(tcp.payload, b"data");
        assert!(Tcp::parse(&segment[..19]).is_none());
    }

    #[test]
    fn checksum_matches_rfc_1071_example() {
        // RFC 1071, section 3: the sum of these words is 0xddf2.
        let data = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(internet_checksum(&data), !0xddf2);
        // A message with its checksum in it sums to zero.
        let mut message = vec![8, 0, 0, 0, 1, 2, 3];
        let sum = internet_checksum(&message);
        message[2..4].copy_from_slice(&sum.to_be_bytes());
        assert_eq!(internet_checksum(&message), 0);
    }

    #[test]
    fn a_raw_socket_sees_the_headers_the_kernel_wrote() {
        let seen = netns::isolated(|| {
            let raw = raw(17).unwrap();
            let a = UdpSocket::bind("127.0.0.1:0").unwrap();
            let b = UdpSocket::bind("127.0.0.1:0").unwrap();
            a.send_to(b"ping", b.local_addr().unwrap()).unwrap();
            let port = b.local_addr().unwrap().port();
            let packet = receive_until(&raw, |ip| {
                Udp::parse(ip.payload).is_some_and(|udp| udp.destination_port == port)
            })
            .unwrap();
            let ip = Ipv4::parse(&packet).unwrap();
            (
                ip.protocol,
                Udp::parse(ip.payload).unwrap().payload.to_vec(),
            )
        });
        match seen {
            Ok(seen) => assert_eq!(seen, (17, b"ping".to_vec())),
            Err(why) => netns::skip("raw socket in a private namespace", &why),
        }
    }
}
