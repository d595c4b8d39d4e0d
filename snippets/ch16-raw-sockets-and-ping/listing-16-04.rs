// ANCHOR: all
use std::net::{Ipv4Addr, SocketAddr};
use std::os::fd::AsRawFd;

use nix::errno::Errno;
use nix::sys::socket::{recv, MsgFlags};
use sockbook::icmp::{self, Ipv4Header, ECHO_REPLY, ECHO_REQUEST};
use sockbook::netns;
use socket2::{Domain, Protocol, Socket, Type};

const ID: u16 = 0x1604;

fn main() {
    let outcome = netns::isolated(|| {
        let to = SocketAddr::from((Ipv4Addr::LOCALHOST, 0)).into();
        let watcher = icmp::raw_socket().unwrap();
        let sender = icmp::raw_socket().unwrap();
        assert!(!sender.header_included_v4().unwrap()); // 默认：IP 首部由内核写
        sender.set_header_included_v4(true).unwrap(); // IP_HDRINCL：自己写

        // 自己写的 IP 首部：TTL 3，标识 0x4444；有三个字段故意不填
        let mut header = Ipv4Header {
            version: 4,
            header_len: 20,
            tos: 0,
            total_len: 0, // 不填：内核总会填上
            identification: 0x4444,
            dont_fragment: false,
            more_fragments: false,
            fragment_offset: 0,
            ttl: 3,
            protocol: 1,
            checksum: 0xdead,                 // 故意写错：内核总会重算
            source: Ipv4Addr::UNSPECIFIED,    // 0.0.0.0：内核替我们填
            destination: Ipv4Addr::LOCALHOST, // 目的地址照写
        };
        let mut packet = header.to_bytes();
        packet.extend(icmp::echo_request(ID, 1, b"my own header"));
        assert_eq!(sender.send_to(&packet, &to).unwrap(), packet.len());

        let seen = icmp::receive_echo(&watcher, ECHO_REQUEST, ID, 1).unwrap();
        let ip = Ipv4Header::parse(&seen).unwrap();
        println!("sent   {header:?}");
        println!("on lo  {ip:?}");
        assert_eq!((ip.ttl, ip.identification), (3, 0x4444)); // 我们写的，原样保留
        assert_eq!(usize::from(ip.total_len), packet.len()); // 内核填的
        assert!(icmp::checksum_ok(&seen[..20])); // 内核重算的
        assert_eq!(ip.source, Ipv4Addr::LOCALHOST); // 内核填的

        // 源地址写成 127.0.0.2：内核照发，应答就发往 127.0.0.2
        header.source = Ipv4Addr::new(127, 0, 0, 2);
        let mut packet = header.to_bytes();
        packet.extend(icmp::echo_request(ID, 2, b"not really from me"));
        sender.send_to(&packet, &to).unwrap();
        let reply = icmp::receive_echo(&watcher, ECHO_REPLY, ID, 2).unwrap();
        let ip = Ipv4Header::parse(&reply).unwrap();
        assert_eq!(ip.destination, Ipv4Addr::new(127, 0, 0, 2));
        println!(
            "reply to the forged source: {} -> {}",
            ip.source, ip.destination
        );

        // 协议号 IPPROTO_RAW（255）：隐含 IP_HDRINCL，只能发，不能收
        let send_only = Socket::new(
            Domain::IPV4,
            Type::RAW,
            Some(Protocol::from(libc::IPPROTO_RAW)),
        )
        .unwrap();
        assert!(send_only.header_included_v4().unwrap());
        header.source = Ipv4Addr::UNSPECIFIED;
        let mut packet = header.to_bytes();
        packet.extend(icmp::echo_request(ID, 3, b"from IPPROTO_RAW"));
        send_only.send_to(&packet, &to).unwrap();
        // 包发出去了，旁观者收到了；发它的套接字却什么也收不到
        icmp::receive_echo(&watcher, ECHO_REQUEST, ID, 3).unwrap();
        let mut buf = [0u8; 1500];
        let nothing = recv(send_only.as_raw_fd(), &mut buf, MsgFlags::MSG_DONTWAIT);
        assert_eq!(nothing, Err(Errno::EAGAIN));
    });
    if let Err(why) = outcome {
        netns::skip("IP_HDRINCL in a private network namespace", &why);
    }
}
// ANCHOR_END: all
