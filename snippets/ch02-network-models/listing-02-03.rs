// ANCHOR: all
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr};

use sockbook::layers::{self, Ipv4, Tcp, Udp, IPV4_HEADER, TCP_HEADER, UDP_HEADER};
use sockbook::{datagram, loopback, netns};

const DATA: &[u8] = b"layer cake";

/// 把包的每个字节按十六进制打印出来
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x} ")).collect()
}

fn main() {
    let outcome = netns::isolated(|| {
        // 原始套接字：收下本机 IP 层收到的每个 UDP 包、每个 TCP 段，连同首部
        let udp_number = layers::protocol("UDP").unwrap().carrier.ip_protocol();
        let tcp_number = layers::protocol("TCP").unwrap().carrier.ip_protocol();
        let raw_udp = layers::raw(udp_number.unwrap()).unwrap();
        let raw_tcp = layers::raw(tcp_number.unwrap()).unwrap();

        // ---- UDP：应用交出 10 个字节 ----
        let rx = datagram::bind().unwrap();
        let tx = datagram::bind().unwrap();
        let (from, to) = (tx.local_addr().unwrap(), rx.local_addr().unwrap());
        tx.send_to(DATA, to).unwrap();
        let mut buf = [0u8; 2048];
        let n = rx.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], DATA); // 接收方的应用只拿到这 10 个字节

        let packet = layers::receive_until(&raw_udp, |ip| {
            Udp::parse(ip.payload).is_some_and(|udp| udp.destination_port == to.port())
        })
        .unwrap();
        println!("UDP on the wire, {} bytes: {}", packet.len(), hex(&packet));
        // 线上是 20 字节 IP 首部 + 8 字节 UDP 首部 + 10 字节数据，首部都是内核写的
        assert_eq!(packet.len(), IPV4_HEADER + UDP_HEADER + DATA.len());
        let ip = Ipv4::parse(&packet).unwrap();
        assert_eq!(Some(ip.protocol), udp_number); // IP 首部说：里面是 UDP
        assert_eq!(ip.header_len, IPV4_HEADER);
        assert_eq!(ip.total_len, packet.len());
        assert_eq!(
            (ip.source, ip.destination),
            (Ipv4Addr::LOCALHOST, Ipv4Addr::LOCALHOST)
        );
        let udp = Udp::parse(ip.payload).unwrap();
        assert_eq!(
            (udp.source_port, udp.destination_port),
            (from.port(), to.port())
        );
        assert_eq!(udp.length, UDP_HEADER + DATA.len());
        assert_eq!(udp.payload, DATA);

        // ---- TCP：先握手，再交出同样的 10 个字节 ----
        let listener = loopback::listener().unwrap();
        let server: SocketAddr = listener.local_addr().unwrap();
        let mut client = loopback::connect(server).unwrap();
        let (mut conn, _) = listener.accept().unwrap();
        let client_port = client.local_addr().unwrap().port();
        let from_client =
            |ip: &Ipv4| Tcp::parse(ip.payload).is_some_and(|tcp| tcp.source_port == client_port);

        // 握手的第一个段：SYN，不带数据
        let syn = layers::receive_until(&raw_tcp, |ip| from_client(ip)).unwrap();
        let ip = Ipv4::parse(&syn).unwrap();
        let tcp = Tcp::parse(ip.payload).unwrap();
        println!("SYN, {} bytes: {}", syn.len(), hex(&syn));
        assert!(tcp.syn && !tcp.ack);
        assert!(tcp.payload.is_empty());
        assert_eq!(tcp.destination_port, server.port());

        client.write_all(DATA).unwrap();
        let mut got = [0u8; 10];
        conn.read_exact(&mut got).unwrap();
        assert_eq!(&got, DATA);

        let segment = layers::receive_until(&raw_tcp, |ip| {
            from_client(ip) && !Tcp::parse(ip.payload).unwrap().payload.is_empty()
        })
        .unwrap();
        let ip = Ipv4::parse(&segment).unwrap();
        let tcp = Tcp::parse(ip.payload).unwrap();
        println!(
            "TCP on the wire, {} bytes: IP {} + TCP {} + data {}",
            segment.len(),
            ip.header_len,
            tcp.header_len,
            tcp.payload.len()
        );
        assert_eq!(Some(ip.protocol), tcp_number); // IP 首部说：里面是 TCP
        assert!(tcp.header_len >= TCP_HEADER);
        // 开着 TCP 时间戳（默认如此）时，每个段多带 12 字节的时间戳选项
        let timestamps = std::fs::read_to_string("/proc/sys/net/ipv4/tcp_timestamps").unwrap();
        if timestamps.trim() == "1" {
            assert_eq!(tcp.header_len, TCP_HEADER + 12);
        }
        assert_eq!(tcp.payload, DATA);
        assert_eq!(segment.len(), ip.header_len + tcp.header_len + DATA.len());
    });
    if let Err(why) = outcome {
        netns::skip("raw sockets in a private network namespace", &why);
    }
}
// ANCHOR_END: all
