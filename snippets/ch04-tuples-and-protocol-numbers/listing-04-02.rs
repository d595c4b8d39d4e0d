// ANCHOR: all
use std::net::UdpSocket;

use sockbook::{loopback, netdb, tuple};

fn main() {
    // 通过 C 库查 /etc/protocols：名字到协议号，协议号到名字
    for (name, number) in [("icmp", 1), ("tcp", 6), ("udp", 17), ("ospf", 89)] {
        let entry = netdb::protocol_by_name(name).unwrap().unwrap();
        println!(
            "{:>4} = {:<3} aliases {:?}",
            entry.name, entry.number, entry.aliases
        );
        assert_eq!(entry.number, number);
        // 反查也回到同一行
        assert_eq!(netdb::protocol_by_number(number).unwrap().unwrap(), entry);
    }
    // C 头文件里的常量与 /etc/protocols 一致
    assert_eq!(libc::IPPROTO_ICMP, 1);
    assert_eq!(libc::IPPROTO_TCP, 6);
    assert_eq!(libc::IPPROTO_UDP, 17);

    // 套接字的 SO_PROTOCOL 就是 IP 头里协议字段要填的那个号
    let listener = loopback::listener().unwrap();
    let udp = UdpSocket::bind(loopback::ANY_PORT).unwrap();
    let tcp_number = netdb::protocol_by_name("tcp").unwrap().unwrap().number;
    let udp_number = netdb::protocol_by_name("udp").unwrap().unwrap().number;
    assert_eq!(tuple::protocol(&listener).unwrap(), tcp_number);
    assert_eq!(tuple::protocol(&udp).unwrap(), udp_number);
}
// ANCHOR_END: all
