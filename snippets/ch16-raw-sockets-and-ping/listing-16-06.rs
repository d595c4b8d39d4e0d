// ANCHOR: all
use std::net::{Ipv4Addr, SocketAddr};

use sockbook::icmp::{self, Ipv4Header, DESTINATION_UNREACHABLE, PROTOCOL_UNREACHABLE};
use sockbook::layers::{self, Ipv4, IPV4_HEADER};
use sockbook::netns;
use socket2::{Domain, Protocol, Socket, Type};

const MINE: u8 = 253; // RFC 3692 留给实验的协议号
const OSPF: u8 = 89;

/// 我们自己的传输层协议：2 字节的目的“端口”，然后是数据
fn message(port: u16, data: &[u8]) -> Vec<u8> {
    let mut message = port.to_be_bytes().to_vec();
    message.extend(data);
    message
}

fn main() {
    let outcome = netns::isolated(|| {
        let to = SocketAddr::from((Ipv4Addr::LOCALHOST, 0)).into();
        let watcher = icmp::raw_socket().unwrap();
        // 两个“应用”，各自认定自己是 7 号和 9 号端口
        let port7 = layers::raw(MINE).unwrap();
        let port9 = layers::raw(MINE).unwrap();

        let sent = message(7, b"for port 7 only");
        port9.send_to(&sent, &to).unwrap();
        // 内核不懂我们的“端口”：两个套接字都收到，连发送者自己也收到
        for raw in [&port7, &port9] {
            let packet = layers::receive_until(raw, |ip| ip.protocol == MINE).unwrap();
            let ip = Ipv4::parse(&packet).unwrap();
            assert_eq!(ip.payload, &sent[..]); // IP 首部之后，全是我们自己定的格式
            let port = u16::from_be_bytes([ip.payload[0], ip.payload[1]]);
            println!("protocol {} packet to our port {port}", ip.protocol);
        }

        // 协议号 89 是 OSPF。内核自己不实现它；没有人打开 89 号原始套接字时：
        let send_only = Socket::new(
            Domain::IPV4,
            Type::RAW,
            Some(Protocol::from(libc::IPPROTO_RAW)),
        )
        .unwrap();
        let mut packet = Ipv4Header {
            version: 4,
            header_len: IPV4_HEADER,
            tos: 0,
            total_len: 0,
            identification: 0x1606,
            dont_fragment: false,
            more_fragments: false,
            fragment_offset: 0,
            ttl: 1,
            protocol: OSPF,
            checksum: 0,
            source: Ipv4Addr::UNSPECIFIED,
            destination: Ipv4Addr::LOCALHOST,
        }
        .to_bytes();
        packet.extend(b"hello, router?");
        send_only.send_to(&packet, &to).unwrap();

        // 内核回了“协议不可达”（类型 3 代码 2）。旁观者收到的第一个 ICMP 就是它：
        // 253 号协议的包有原始套接字收下，内核没有为它回任何差错
        let error = layers::receive_until(&watcher, |_| true).unwrap();
        let error = Ipv4::parse(&error).unwrap().payload.to_vec();
        assert_eq!(error[..2], [DESTINATION_UNREACHABLE, PROTOCOL_UNREACHABLE]);
        let quoted = Ipv4Header::parse(&error[8..]).unwrap();
        assert_eq!((quoted.protocol, quoted.identification), (OSPF, 0x1606));
        println!("protocol {OSPF} with nobody listening: protocol unreachable");
    });
    if let Err(why) = outcome {
        netns::skip("a transport protocol in user space", &why);
    }
}
// ANCHOR_END: all
