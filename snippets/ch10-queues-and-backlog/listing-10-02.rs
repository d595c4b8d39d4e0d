// ANCHOR: all
use std::net::TcpStream;
use std::time::Duration;

use sockbook::counters;
use sockbook::state::{self, State, Timer};
use sockbook::{backlog, handshake, loopback};

fn main() {
    for asked in [0, 1, 3] {
        let listener = backlog::listener(asked).unwrap();
        let addr = listener.local_addr().unwrap();
        let room = asked as usize + 1;

        // 前 backlog + 1 个客户端：握手完成，connect() 成功，连接进入 accept 队列
        let clients: Vec<TcpStream> = (0..room)
            .map(|_| loopback::connect(addr).unwrap())
            .collect();
        // 再来一个（非阻塞 connect，不等）：它的 SYN 被丢弃，内核记一次“监听溢出”
        let overflows = counters::counter("TcpExt", "ListenOverflows").unwrap();
        let late = handshake::connect_in_progress(addr).unwrap();
        let late_addr = late.local_addr().unwrap().as_socket().unwrap();
        counters::wait_for_counter("TcpExt", "ListenOverflows", |n| n > overflows).unwrap();

        let sockets = state::on_port(addr.port()).unwrap();
        let listening = sockets.iter().find(|s| s.state == State::Listen).unwrap();
        let from_late: Vec<_> = sockets.iter().filter(|s| s.peer == late_addr).collect();
        let late_end = sockets.iter().find(|s| s.local == late_addr).unwrap();
        println!(
            "backlog {asked}: accept queue {} of {} clients; the next one is {} {:?}",
            listening.recv_queue,
            room + 1,
            late_end.state.ss_name(),
            late_end.timer
        );
        // accept 队列里正好 backlog + 1 个连接
        assert_eq!(listening.send_queue, asked as u32);
        assert_eq!(listening.recv_queue as usize, room);
        // 多出来的那个客户端：服务器一方没有它的任何记录（连半连接都没有）
        assert!(from_late.is_empty(), "{from_late:?}");
        // 它自己停在 SYN_SENT，既没收到 SYN+ACK，也没收到 RST，等着重传 SYN
        assert_eq!(late_end.state, State::SynSent);
        assert!(matches!(
            late_end.timer,
            Some(Timer::Retransmit { count: 0, left }) if left <= Duration::from_secs(1)
        ));
        assert!(late.take_error().unwrap().is_none());

        // accept() 按先来后到取出连接：第一个客户端先出来
        let (_first, peer) = listener.accept().unwrap();
        assert_eq!(peer, clients[0].local_addr().unwrap());
        let sockets = state::on_port(addr.port()).unwrap();
        let listening = sockets.iter().find(|s| s.state == State::Listen).unwrap();
        assert_eq!(listening.recv_queue as usize, room - 1);
        // 空出了一个位置，迟到的客户端却还在 SYN_SENT：它的 SYN 早被丢了，要等重传
        let late_end = sockets.iter().find(|s| s.local == late_addr).unwrap();
        assert_eq!(late_end.state, State::SynSent);
    }
}
// ANCHOR_END: all
