// ANCHOR: all
use std::io;

use sockbook::reuse::{self, Reuse};
use sockbook::{datagram, loopback};

const DATAGRAMS: usize = 16;

fn main() {
    // 两个 UDP 套接字都设 SO_REUSEADDR，绑定同一个单播地址和端口：成功
    let a = reuse::udp(loopback::ANY_PORT, Reuse::ADDR).unwrap();
    let addr = a.local_addr().unwrap();
    let b = reuse::udp(addr, Reuse::ADDR).unwrap();
    // 少了任何一方的选项都不行
    let err = reuse::udp(addr, Reuse::NONE).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
    let alone = reuse::udp(loopback::ANY_PORT, Reuse::NONE).unwrap();
    let err = reuse::udp(alone.local_addr().unwrap(), Reuse::ADDR).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::AddrInUse);

    // 单播数据报不复制：每个只交给一个套接字
    for _ in 0..DATAGRAMS {
        let sender = datagram::bind().unwrap(); // 每次换一个源端口
        sender.send_to(b"unicast", addr).unwrap();
    }
    let got = reuse::receive_spread(&[&a, &b], DATAGRAMS).unwrap();
    let (to_a, to_b) = (got[0].len(), got[1].len());
    println!("first bound got {to_a}, last bound got {to_b}");
    assert_eq!(to_a + to_b, DATAGRAMS); // 没有副本
    assert!(
        to_a == 0 || to_b == 0,
        "SO_REUSEADDR does not share: {to_a} and {to_b}"
    );
}
// ANCHOR_END: all
