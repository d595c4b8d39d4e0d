// ANCHOR: all
use std::net::{Ipv4Addr, SocketAddr};

use sockbook::layers::{self, Ipv4, IPV4_HEADER};
use sockbook::netns;

const ECHO_REQUEST: u8 = 8;
const ECHO_REPLY: u8 = 0;
const ID: u16 = 0x5b0c;

fn main() {
    let outcome = netns::isolated(|| {
        let icmp = layers::protocol("ICMP")
            .unwrap()
            .carrier
            .ip_protocol()
            .unwrap();
        let raw = layers::raw(icmp).unwrap();

        // ICMP 回显请求由应用自己拼：类型、代码、校验和、标识、序号，再加数据
        let mut request = vec![ECHO_REQUEST, 0, 0, 0];
        request.extend(ID.to_be_bytes());
        request.extend(1u16.to_be_bytes());
        request.extend(b"are you there?");
        let checksum = layers::internet_checksum(&request);
        request[2..4].copy_from_slice(&checksum.to_be_bytes());

        // 目的地只有 IP 地址：ICMP 没有端口，这里的 0 不起作用
        let to = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let sent = raw.send_to(&request, &to.into()).unwrap();
        assert_eq!(sent, request.len());

        // 回环上，原始套接字先收到自己发出的请求：内核只在前面加了 IP 首部
        let ours = |kind: u8| {
            move |ip: &Ipv4| {
                ip.payload.len() >= 8
                    && ip.payload[0] == kind
                    && ip.payload[4..6] == ID.to_be_bytes()
            }
        };
        let packet = layers::receive_until(&raw, ours(ECHO_REQUEST)).unwrap();
        let ip = Ipv4::parse(&packet).unwrap();
        assert_eq!(ip.protocol, icmp);
        assert_eq!(ip.header_len, IPV4_HEADER);
        assert_eq!(ip.payload, &request[..]);

        // 然后是回显应答：这个命名空间里没有别的进程，是内核的 ICMP 答的
        let packet = layers::receive_until(&raw, ours(ECHO_REPLY)).unwrap();
        let ip = Ipv4::parse(&packet).unwrap();
        println!(
            "echo reply from {}: {} bytes of ICMP in {} bytes of IP",
            ip.source,
            ip.payload.len(),
            ip.total_len
        );
        assert_eq!(ip.source, Ipv4Addr::LOCALHOST);
        assert_eq!(ip.payload[8..], request[8..]); // 数据原样带回
        assert_eq!(layers::internet_checksum(ip.payload), 0); // 校验和由内核算好
    });
    if let Err(why) = outcome {
        netns::skip("raw ICMP socket in a private network namespace", &why);
    }
}
// ANCHOR_END: all
