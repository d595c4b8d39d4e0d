// ANCHOR: all
//! 练习 2-2：亲手写出内核替 UDP 数据加上的两个首部。
use std::net::SocketAddrV4;

use sockbook::layers;

/// 像内核那样，在 `data` 前面加上 8 字节的 UDP 首部（RFC 768）和 20 字节的
/// IPv4 首部（RFC 791，不带选项），返回整个 IP 包：
/// - IPv4 首部：版本 4 和首部长度 5（第一个字节 0x45），服务类型 0，总长度，
///   标识 0，标志“不分片”（0x4000），生存时间 64，协议 17，首部校验和，
///   源地址，目的地址。校验和用 `layers::internet_checksum` 对整个首部计算，
///   计算时校验和字段先填 0；
/// - UDP 首部：源端口，目的端口，长度（8 加上数据的长度），校验和
///   （在 IPv4 上填 0，意思是“没有校验和”）。
///
/// 多字节的字段一律按网络字节序（大端）写。
pub fn udp_packet(from: SocketAddrV4, to: SocketAddrV4, data: &[u8]) -> Vec<u8> {
    // ANCHOR: solution
    let udp_length = layers::UDP_HEADER + data.len();
    let total_length = layers::IPV4_HEADER + udp_length;
    let mut packet = vec![0x45, 0];
    packet.extend_from_slice(&(total_length as u16).to_be_bytes());
    // 标识、标志与片偏移、生存时间、协议、校验和（先填 0）
    packet.extend_from_slice(&[0, 0, 0x40, 0, 64, 17, 0, 0]);
    packet.extend_from_slice(&from.ip().octets());
    packet.extend_from_slice(&to.ip().octets());
    let checksum = layers::internet_checksum(&packet);
    packet[10..12].copy_from_slice(&checksum.to_be_bytes());
    packet.extend_from_slice(&from.port().to_be_bytes());
    packet.extend_from_slice(&to.port().to_be_bytes());
    packet.extend_from_slice(&(udp_length as u16).to_be_bytes());
    packet.extend_from_slice(&[0, 0]);
    packet.extend_from_slice(data);
    packet
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};

    use sockbook::layers::{self, Ipv4, Udp};
    use sockbook::{datagram, netns};

    use super::udp_packet;

    fn v4(addr: SocketAddr) -> SocketAddrV4 {
        match addr {
            SocketAddr::V4(addr) => addr,
            SocketAddr::V6(addr) => panic!("{addr} is not IPv4"),
        }
    }

    /// 用支持库的解析器拆开：每个字段都在它该在的位置上，首部校验和正确。
    #[test]
    fn the_headers_come_apart_again() {
        let from = SocketAddrV4::new(Ipv4Addr::new(127, 0, 0, 1), 40000);
        let to = SocketAddrV4::new(Ipv4Addr::new(127, 0, 0, 2), 50000);
        let packet = udp_packet(from, to, b"layer cake");
        assert_eq!(packet.len(), 20 + 8 + 10);
        let ip = Ipv4::parse(&packet).expect("an IPv4 packet");
        assert_eq!((ip.header_len, ip.total_len, ip.protocol), (20, 38, 17));
        assert_eq!((ip.source, ip.destination), (*from.ip(), *to.ip()));
        assert_eq!(packet[8], 64);
        // 连同校验和在内再算一遍，结果是 0
        assert_eq!(layers::internet_checksum(&packet[..20]), 0);
        let udp = Udp::parse(ip.payload).expect("a UDP datagram");
        assert_eq!((udp.source_port, udp.destination_port), (40000, 50000));
        assert_eq!(udp.length, 18);
        assert_eq!(udp.payload, b"layer cake");
    }

    /// 在私有网络命名空间里用原始套接字（IPPROTO_RAW，首部由程序自己写）把它发出去：
    /// 内核认得它，把数据交给目的端口上的 UDP 套接字，源地址就是首部里写的。
    #[test]
    fn the_kernel_delivers_it_to_a_udp_socket() {
        let any = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 9);
        assert_eq!(udp_packet(any, any, b"hand made").len(), 37);
        let outcome = netns::isolated(|| {
            let receiver = datagram::bind().unwrap();
            let sender = datagram::bind().unwrap();
            let to = v4(receiver.local_addr().unwrap());
            let from = v4(sender.local_addr().unwrap());
            let raw = layers::raw(libc::IPPROTO_RAW as u8).unwrap();
            let packet = udp_packet(from, to, b"hand made");
            let sent = raw.send_to(&packet, &SocketAddr::V4(to).into()).unwrap();
            let mut buf = [0; 64];
            let (n, source) = receiver.recv_from(&mut buf).unwrap();
            (sent, packet.len(), buf[..n].to_vec(), source, from)
        });
        match outcome {
            Ok((sent, length, data, source, from)) => {
                assert_eq!(sent, length);
                assert_eq!(data, b"hand made");
                assert_eq!(source, SocketAddr::V4(from));
            }
            Err(why) => netns::skip("sending a hand-made packet", &why),
        }
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
