// ANCHOR: all
use std::collections::BTreeSet;
use std::net::TcpStream;

use sockbook::loopback;
use sockbook::reuse::{self, Reuse};
use sockbook::state::{self, State};

// 每条连接落到哪个监听套接字，由四元组的哈希决定，近似各一半：
// 64 条全落在同一个上的概率是 2 × 2^-64 = 2^-63，约 1e-19
const CONNECTIONS: usize = 64;

fn main() {
    let a = reuse::listener(loopback::ANY_PORT, Reuse::PORT).unwrap();
    let addr = a.local_addr().unwrap();
    let b = reuse::listener(addr, Reuse::PORT).unwrap();

    let clients: Vec<TcpStream> = (0..CONNECTIONS)
        .map(|_| loopback::connect(addr).unwrap())
        .collect();
    // 等内核把每条连接都放进某个监听套接字的接受队列
    let sockets = state::wait_until(addr.port(), |sockets| {
        let listening = sockets.iter().filter(|s| s.state == State::Listen);
        listening.map(|s| s.recv_queue as usize).sum::<usize>() == CONNECTIONS
    })
    .unwrap();
    // 检查器按 inode 认出这两个监听套接字，报告各自队列里有几条
    let queued = |inode: u64| {
        let socket = sockets
            .iter()
            .find(|s| u64::from(s.inode) == inode)
            .unwrap();
        assert_eq!((socket.state, socket.local), (State::Listen, addr));
        socket.recv_queue as usize
    };
    let (queued_a, queued_b) = (
        queued(reuse::inode(&a).unwrap()),
        queued(reuse::inode(&b).unwrap()),
    );
    println!(
        "{CONNECTIONS} connections: {queued_a} to the first listener, {queued_b} to the second"
    );

    let to_a = reuse::accept_waiting(&a).unwrap();
    let to_b = reuse::accept_waiting(&b).unwrap();
    assert_eq!((to_a.len(), to_b.len()), (queued_a, queued_b));
    assert!(!to_a.is_empty() && !to_b.is_empty());
    // 每个客户端恰好被接受一次
    let peers: BTreeSet<_> = to_a.iter().chain(&to_b).map(|(_, peer)| *peer).collect();
    let expected: BTreeSet<_> = clients.iter().map(|c| c.local_addr().unwrap()).collect();
    assert_eq!(peers, expected);
}
// ANCHOR_END: all
