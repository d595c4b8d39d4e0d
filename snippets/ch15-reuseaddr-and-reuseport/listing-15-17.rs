// ANCHOR: all
use std::io;
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};

use sockbook::reuse::{self, Reuse};
use sockbook::{datagram, netns};
use socket2::SockRef;

const GROUP: Ipv4Addr = Ipv4Addr::new(239, 1, 2, 3); // 管理范围（239.0.0.0/8）里的一个组
const PORT: u16 = 7000;

fn main() {
    let outcome = netns::isolated(|| {
        let group = SocketAddr::from((GROUP, PORT));
        // 同一个程序的三个实例：都设 SO_REUSEADDR，都绑定组地址和同一端口，都在 lo 上加入组
        let members: Vec<UdpSocket> = (0..3)
            .map(|_| {
                let member = reuse::udp(group, Reuse::ADDR).unwrap();
                member
                    .join_multicast_v4(&GROUP, &Ipv4Addr::LOCALHOST)
                    .unwrap();
                member
            })
            .collect();
        // 对照：一个绑定通配地址、同一端口的套接字
        let wildcard = reuse::udp((Ipv4Addr::UNSPECIFIED, PORT).into(), Reuse::ADDR).unwrap();

        // 命名空间里没有去往 224.0.0.0/4 的路由：绑定通配地址的套接字发不出去
        let unbound = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).unwrap();
        let err = unbound.send_to(b"lost", group).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NetworkUnreachable);
        // 绑定了 127.0.0.1 的套接字从这个地址所在的 lo 发出；多播回环默认开着
        let sender = datagram::bind().unwrap();
        assert!(SockRef::from(&sender).multicast_loop_v4().unwrap());
        sender
            .send_to(b"unicast", (Ipv4Addr::LOCALHOST, PORT))
            .unwrap();
        sender.send_to(b"multicast 1", group).unwrap();
        sender.send_to(b"multicast 2", group).unwrap();

        // 通配地址的套接字收到全部三个
        let mut all = reuse::receive_spread(&[&wildcard], 3).unwrap().remove(0);
        all.sort();
        assert_eq!(all, [&b"multicast 1"[..], b"multicast 2", b"unicast"]);
        // 每个成员各收到一份多播，单播则到不了绑定组地址的套接字
        let mut copies = Vec::new();
        for member in &members {
            let mut got = reuse::receive_spread(&[member], 2).unwrap().remove(0);
            got.sort();
            assert_eq!(got, [&b"multicast 1"[..], b"multicast 2"]);
            copies.push(got.len());
        }
        copies
    });
    match outcome {
        Ok(copies) => println!("each of the three members got {copies:?} datagrams"),
        Err(why) => netns::skip("multicast on lo in a private namespace", &why),
    }
}
// ANCHOR_END: all
