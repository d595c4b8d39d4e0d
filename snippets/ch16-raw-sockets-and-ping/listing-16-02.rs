// ANCHOR: all
use std::fs;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::os::fd::AsRawFd;

use nix::sys::socket::{recvfrom, SockaddrIn};
use sockbook::{icmp, layers, netns};

const ID: u16 = 0x1602; // ping 程序常用自己的进程号，这里随便选一个
const DATA: &[u8] = b"sockbook says hello";

fn main() {
    let outcome = netns::isolated(|| {
        let raw = icmp::raw_socket().unwrap();
        // 原始套接字没有端口：getsockname 在端口的位置放的是协议号 1
        let local = raw.local_addr().unwrap().as_socket_ipv4().unwrap();
        println!("raw socket's own address: {local}");
        assert_eq!(local, SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 1));
        let default_ttl = fs::read_to_string("/proc/sys/net/ipv4/ip_default_ttl").unwrap();
        let default_ttl: u8 = default_ttl.trim().parse().unwrap();
        let to = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        // 请求的 TTL 定为 7（IP_TTL 选项），好和应答区分开
        raw.set_ttl_v4(7).unwrap();

        for seq in 1..=3u16 {
            // 回显请求：类型 8、代码 0、校验和、标识、序号，再加数据
            let mut request = vec![8, 0, 0, 0];
            request.extend(ID.to_be_bytes());
            request.extend(seq.to_be_bytes());
            request.extend(DATA);
            let checksum = layers::internet_checksum(&request);
            request[2..4].copy_from_slice(&checksum.to_be_bytes());
            raw.send_to(&request, &to.into()).unwrap();

            // 一个个读，直到读到给我们的应答；自己发出的请求也会先读到
            let mut buf = [0u8; 1500];
            let mut answer = None;
            for _ in 0..10 {
                let (n, from) = recvfrom::<SockaddrIn>(raw.as_raw_fd(), &mut buf).unwrap();
                let icmp = &buf[usize::from(buf[0] & 0x0f) * 4..n];
                if icmp[4..8] != request[4..8] {
                    continue; // 不是这一轮的
                }
                if icmp[0] == 8 {
                    assert_eq!(buf[8], 7); // 自己的请求：TTL 是我们定的 7
                } else {
                    answer = Some((n, from));
                    break;
                }
            }
            let (n, from) = answer.unwrap();
            let p = &buf[..n];

            // IP 首部，逐个字段读
            let version = p[0] >> 4;
            let header_len = usize::from(p[0] & 0x0f) * 4; // IHL 以 4 字节为单位
            let total_len = usize::from(u16::from_be_bytes([p[2], p[3]]));
            let ttl = p[8];
            let protocol = p[9];
            let source = Ipv4Addr::new(p[12], p[13], p[14], p[15]);
            let destination = Ipv4Addr::new(p[16], p[17], p[18], p[19]);
            assert_eq!((version, header_len, total_len), (4, 20, n));
            assert_eq!(ttl, default_ttl); // 应答是内核新发的包，TTL 是默认值，不是 7
            assert_eq!(protocol, 1); // 1 是 ICMP
            assert_eq!(layers::internet_checksum(&p[..header_len]), 0); // 首部校验和正确
            assert_eq!(
                (source, destination),
                (Ipv4Addr::LOCALHOST, Ipv4Addr::LOCALHOST)
            );
            // recvfrom 给的地址就是 IP 首部里的源地址，端口一栏是 0
            assert_eq!(from.unwrap().ip(), source);
            assert_eq!(from.unwrap().port(), 0);

            // ICMP 回显应答
            let icmp = &p[header_len..];
            let (kind, code) = (icmp[0], icmp[1]);
            let ident = u16::from_be_bytes([icmp[4], icmp[5]]);
            let sequence = u16::from_be_bytes([icmp[6], icmp[7]]);
            assert_eq!((kind, code), (0, 0)); // 类型 0：回显应答
            assert_eq!((ident, sequence), (ID, seq));
            assert_eq!(layers::internet_checksum(icmp), 0); // ICMP 校验和正确
            assert_eq!(&icmp[8..], DATA); // 数据原样带回
            println!(
                "{} bytes from {source}: icmp_seq={sequence} ttl={ttl} (IP header {header_len}, total {total_len})",
                icmp.len()
            );
        }
    });
    if let Err(why) = outcome {
        netns::skip("ping by hand over a raw socket", &why);
    }
}
// ANCHOR_END: all
