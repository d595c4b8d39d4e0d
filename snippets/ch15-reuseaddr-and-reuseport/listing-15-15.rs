// ANCHOR: all
use std::net::UdpSocket;

use sockbook::reuse::{self, Reuse};
use sockbook::{datagram, loopback};

// 和示例 15-14 一样：64 个不同的源端口全落到同一个套接字上的概率约 1e-19
const SENDERS: usize = 64;
const REPEATS: usize = 8;

fn main() {
    let a = reuse::udp(loopback::ANY_PORT, Reuse::PORT).unwrap();
    let addr = a.local_addr().unwrap();
    let b = reuse::udp(addr, Reuse::PORT).unwrap();

    // 64 个发送者，各用自己的源端口发一个数据报
    let senders: Vec<UdpSocket> = (0..SENDERS).map(|_| datagram::bind().unwrap()).collect();
    for sender in &senders {
        sender.send_to(b"one of many", addr).unwrap();
    }
    let got = reuse::receive_spread(&[&a, &b], SENDERS).unwrap();
    let (to_a, to_b) = (got[0].len(), got[1].len());
    println!("{SENDERS} senders: {to_a} datagrams to the first socket, {to_b} to the second");
    assert_eq!(to_a + to_b, SENDERS);
    assert!(to_a > 0 && to_b > 0);

    // 同一个发送者（同一个四元组）的数据报，总是交给同一个套接字
    let one = datagram::bind().unwrap();
    for _ in 0..REPEATS {
        one.send_to(b"same sender", addr).unwrap();
    }
    let got = reuse::receive_spread(&[&a, &b], REPEATS).unwrap();
    println!("one sender: {} and {}", got[0].len(), got[1].len());
    assert!(got[0].len() == REPEATS || got[1].len() == REPEATS);
}
// ANCHOR_END: all
