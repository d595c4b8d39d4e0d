// ANCHOR: all
use std::fs;
use std::net::{TcpListener, UdpSocket};

use sockbook::{loopback, netdb, ports};

fn main() {
    // 内核自己分配端口时用的范围
    let range = ports::ephemeral_range().unwrap();
    // 低于这个号码的端口需要特权
    let unprivileged: u16 = fs::read_to_string("/proc/sys/net/ipv4/ip_unprivileged_port_start")
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    println!("ip_local_port_range        = {range:?}");
    println!("ip_unprivileged_port_start = {unprivileged}");

    // 绑定端口 0，让内核挑：每次都落在临时端口范围里
    for _ in 0..20 {
        let tcp = TcpListener::bind(loopback::ANY_PORT).unwrap();
        let udp = UdpSocket::bind(loopback::ANY_PORT).unwrap();
        for port in [
            tcp.local_addr().unwrap().port(),
            udp.local_addr().unwrap().port(),
        ] {
            assert!(range.contains(&port), "{port} not in {range:?}");
        }
    }

    // 这台机器上，动态端口不是从 1024 开始的
    assert_ne!(*range.start(), 1024);
    assert!(!range.contains(&1024));
    // 内核保证：临时端口范围不会伸进特权端口
    assert!(*range.start() >= unprivileged);
    // 1024 在 /etc/services 里也不是什么特殊的号码
    assert_eq!(netdb::service_by_port(1024, "tcp").unwrap(), None);
}
// ANCHOR_END: all
