// ANCHOR: all
use std::net::{Ipv4Addr, SocketAddr};

use sockbook::icmp::{self, Echo, Ipv4Header, ECHO_REPLY, ECHO_REQUEST};
use sockbook::layers::{self, IPV4_HEADER};
use sockbook::netns;

const ID: u16 = 0x1605;
const DATA: &[u8] = b"one packet, sent in two pieces";

/// 一个 IP 分片：标识相同，偏移和 MF 标志不同
fn fragment(identification: u16, offset: usize, more: bool, data: &[u8]) -> Vec<u8> {
    let header = Ipv4Header {
        version: 4,
        header_len: IPV4_HEADER,
        tos: 0,
        total_len: 0,
        identification,
        dont_fragment: false,
        more_fragments: more,
        fragment_offset: offset,
        ttl: 64,
        protocol: 1,
        checksum: 0,
        source: Ipv4Addr::LOCALHOST,
        destination: Ipv4Addr::LOCALHOST,
    };
    let mut packet = header.to_bytes();
    packet.extend(data);
    packet
}

fn main() {
    let outcome = netns::isolated(|| {
        let to = SocketAddr::from((Ipv4Addr::LOCALHOST, 0)).into();
        let watcher = icmp::raw_socket().unwrap();
        let sender = icmp::raw_socket().unwrap();
        sender.set_header_included_v4(true).unwrap();

        // 一个永远等不到后半截的分片
        let orphan = icmp::echo_request(ID, 1, DATA);
        sender
            .send_to(&fragment(0x0bad, 0, true, &orphan[..16]), &to)
            .unwrap();

        // 一个 38 字节的回显请求，切成两片：前 16 字节，后 22 字节
        let request = icmp::echo_request(ID, 2, DATA);
        let first = fragment(0x1605, 0, true, &request[..16]);
        let second = fragment(0x1605, 16, false, &request[16..]);
        sender.send_to(&first, &to).unwrap();
        sender.send_to(&second, &to).unwrap();

        // 原始套接字读到的第一个包：重组好的整包，不是分片
        let packet = layers::receive_until(&watcher, |_| true).unwrap();
        let ip = Ipv4Header::parse(&packet).unwrap();
        println!(
            "sent fragments of {} and {} bytes, the raw socket read {} bytes: {ip:?}",
            first.len(),
            second.len(),
            packet.len()
        );
        assert_eq!(packet.len(), IPV4_HEADER + request.len());
        assert_eq!(usize::from(ip.total_len), packet.len());
        assert_eq!(ip.identification, 0x1605);
        assert!(!ip.more_fragments);
        assert_eq!(ip.fragment_offset, 0);
        assert_eq!(&packet[IPV4_HEADER..], &request[..]);
        // 那个孤零零的分片从没交给原始套接字：它还在内核的重组队列里等着
        let echo = Echo::parse(&packet[IPV4_HEADER..]).unwrap();
        assert_eq!((echo.kind, echo.sequence), (ECHO_REQUEST, 2));

        // 内核也照常处理了这个包：它回了应答
        let reply = icmp::receive_echo(&watcher, ECHO_REPLY, ID, 2).unwrap();
        assert_eq!(&reply[IPV4_HEADER + 8..], DATA);
    });
    if let Err(why) = outcome {
        netns::skip("IP fragments and a raw socket", &why);
    }
}
// ANCHOR_END: all
