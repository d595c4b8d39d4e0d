// ANCHOR: all
use std::io::Read;
use std::net::{Ipv4Addr, SocketAddr};

use sockbook::{netdb, netns, timeout};
use socket2::{Domain, Protocol, Socket, Type};

fn main() {
    // OSPF 在 /etc/protocols 里是 89 号协议
    let ospf = netdb::protocol_by_name("ospf").unwrap().unwrap();
    assert_eq!(ospf.number, 89);
    assert!(ospf.aliases.iter().any(|alias| alias == "OSPFIGP"));
    // 在 /etc/services 里却没有端口：TCP 和 UDP 下都查不到
    for transport in ["tcp", "udp"] {
        for name in ["ospf", "OSPFIGP", "ospfigp"] {
            assert_eq!(netdb::service_by_name(name, transport).unwrap(), None);
        }
    }
    // 叫 ospfd 的那一行是路由守护进程的管理终端，不是 OSPF 协议本身
    let vty = netdb::service_by_name("ospfd", "tcp").unwrap().unwrap();
    assert_eq!(vty.port, 2604);
    // 对照：跑在 UDP、TCP 之上的路由协议才有端口
    let rip = netdb::service_by_name("route", "udp").unwrap().unwrap();
    let bgp = netdb::service_by_name("bgp", "tcp").unwrap().unwrap();
    assert_eq!((rip.port, bgp.port), (520, 179));

    // 在私有网络命名空间里，用两个 89 号原始套接字收发一个 IP 包
    let outcome = netns::isolated(move || {
        let number = Protocol::from(ospf.number);
        let sender = Socket::new(Domain::IPV4, Type::RAW, Some(number)).unwrap();
        let receiver = Socket::new(Domain::IPV4, Type::RAW, Some(number)).unwrap();
        timeout::bound(&receiver).unwrap();
        assert_eq!(receiver.protocol().unwrap(), Some(number));

        // 目的地址里的“端口”写 0：原始套接字没有端口可言
        let to = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let payload = b"an OSPF message would start here";
        sender.send_to(payload, &to.into()).unwrap();

        let mut packet = [0u8; 256];
        let n = (&receiver).read(&mut packet).unwrap();
        packet[..n].to_vec()
    });
    let packet = match outcome {
        Ok(packet) => packet,
        Err(why) => return netns::skip("raw IP sockets of protocol 89", &why),
    };

    // IPv4 头：版本 4，首部长度 IHL*4 字节，偏移 9 处是协议号
    let header_len = usize::from(packet[0] & 0x0f) * 4;
    println!("IP header: {:02x?}", &packet[..header_len]);
    assert_eq!(packet[0] >> 4, 4);
    assert_eq!(packet[9], 89);
    assert_eq!(&packet[12..16], &[127, 0, 0, 1]);
    assert_eq!(&packet[16..20], &[127, 0, 0, 1]);
    // 紧跟在 IP 头后面的就是载荷：中间没有 TCP 或 UDP 头，也就没有端口
    assert_eq!(&packet[header_len..], b"an OSPF message would start here");
}
// ANCHOR_END: all
