// ANCHOR: all
use std::io;
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};

use sockbook::reuse::{self, Reuse};
use sockbook::{datagram, netns};

const GROUP: Ipv4Addr = Ipv4Addr::new(239, 1, 2, 3);

fn members(group: SocketAddr, reuse: Reuse) -> Vec<UdpSocket> {
    (0..3)
        .map(|_| {
            let member = reuse::udp(group, reuse).unwrap();
            member
                .join_multicast_v4(&GROUP, &Ipv4Addr::LOCALHOST)
                .unwrap();
            member
        })
        .collect()
}

fn main() {
    let outcome = netns::isolated(|| {
        let by_addr = SocketAddr::from((GROUP, 7000));
        let by_port = SocketAddr::from((GROUP, 7001));
        let addr_members = members(by_addr, Reuse::ADDR);
        let port_members = members(by_port, Reuse::PORT);

        let sender = datagram::bind().unwrap(); // 127.0.0.1：多播从 lo 发出
        for to in [by_addr, by_port] {
            sender.send_to(b"first", to).unwrap();
            sender.send_to(b"second", to).unwrap();
        }
        // 对多播来说两个选项效果一样：每个成员各收到一份，SO_REUSEPORT 并不分摊
        for member in addr_members.iter().chain(&port_members) {
            let mut got = reuse::receive_spread(&[member], 2).unwrap().remove(0);
            got.sort();
            assert_eq!(got, [&b"first"[..], b"second"]);
        }

        // 但两个选项不能混用：每一组只认它自己的那个选项
        let err = reuse::udp(by_addr, Reuse::PORT).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
        let err = reuse::udp(by_port, Reuse::ADDR).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
        // 两个都设的，哪一组都能加入
        let both = reuse::udp(by_addr, Reuse::BOTH).unwrap();
        let also = reuse::udp(by_port, Reuse::BOTH).unwrap();
        (both.local_addr().unwrap(), also.local_addr().unwrap())
    });
    match outcome {
        Ok((a, b)) => println!("sockets with both options joined {a} and {b}"),
        Err(why) => netns::skip("multicast with SO_REUSEPORT in a private namespace", &why),
    }
}
// ANCHOR_END: all
