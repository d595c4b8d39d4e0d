// ANCHOR: all
use std::collections::HashSet;

use sockbook::{loopback, tuple};

fn main() {
    // 一个监听套接字，三个客户端连上来
    let listener = loopback::listener().unwrap();
    let server_addr = listener.local_addr().unwrap();
    let clients: Vec<_> = (0..3)
        .map(|_| loopback::connect(server_addr).unwrap())
        .collect();

    // 服务器 accept 三次，读出每条连接的五元组
    let mut threes = HashSet::new();
    let mut fours = HashSet::new();
    for client in &clients {
        let (served, _) = listener.accept().unwrap();
        let seen = tuple::five(&served).unwrap();
        println!("server side: {seen}");

        // 协议、本地地址、本地端口：三条连接完全相同
        assert_eq!(seen.protocol, libc::IPPROTO_TCP);
        assert_eq!(seen.local, server_addr);
        // 只有对方那一半不同，它正是客户端自己的地址
        assert_eq!(seen.peer, client.local_addr().unwrap());
        // 客户端看到的是同一个五元组，两端互换
        assert_eq!(tuple::five(client).unwrap(), seen.reversed());

        threes.insert(seen.three());
        fours.insert(seen.four());
    }

    // 三元组只有一个，分不开三条连接；四元组有三个，一条连接一个
    assert_eq!(threes.len(), 1);
    assert_eq!(fours.len(), 3);
    // 监听套接字自己的三元组就是那一个
    assert!(threes.contains(&tuple::three(&listener).unwrap()));
}
// ANCHOR_END: all
