// ANCHOR: all
use std::net::{SocketAddr, SocketAddrV4};

use sockbook::counters;
use sockbook::handshake::{self, Segment, SYN};
use sockbook::state::{self, State};
use sockbook::{backlog, netns};

/// 从 192.0.2.1 的 20 个不同端口向 server 发 SYN，等内核处理完每一个，
/// 返回（半连接个数，丢弃的 SYN 个数）
fn send_20_syns(server: SocketAddrV4) -> (usize, u64) {
    let sender = handshake::sender().unwrap();
    let drops = counters::counter("TcpExt", "ListenDrops").unwrap();
    for n in 0..20 {
        let me = SocketAddrV4::new(handshake::SILENT_HOST, 40000 + n);
        handshake::send(&sender, &Segment::new(me, server, 1, 0, SYN, b"")).unwrap();
    }
    let mut outcome = (0, 0);
    state::wait_until(server.port(), |sockets| {
        let half_open = sockets.iter().filter(|s| s.state == State::SynRecv).count();
        let dropped = counters::counter("TcpExt", "ListenDrops").unwrap() - drops;
        outcome = (half_open, dropped);
        half_open as u64 + dropped == 20
    })
    .unwrap();
    outcome
}

fn main() {
    let outcome = netns::isolated(|| {
        handshake::silence().unwrap();
        backlog::set_sysctl("net.ipv4.tcp_max_syn_backlog", "8").unwrap();

        for cookies in ["0", "1"] {
            backlog::set_sysctl("net.ipv4.tcp_syncookies", cookies).unwrap();
            // backlog 100：SYN 队列不会因为 backlog 而满
            let listener = backlog::listener(100).unwrap();
            let SocketAddr::V4(server) = listener.local_addr().unwrap() else {
                unreachable!("the listener is on 127.0.0.1")
            };
            let (half_open, dropped) = send_20_syns(server);
            println!("tcp_max_syn_backlog 8, syncookies {cookies}: 20 SYNs -> {half_open} half-open, {dropped} dropped");
            if cookies == "0" {
                // 关掉 cookie 时，tcp_max_syn_backlog 起作用：最后四分之一留给“验证过的”对端
                assert_eq!(half_open, 8 - 8 / 4 + 1);
                assert_eq!(dropped, 20 - 7);
            } else {
                // 开着 cookie 时，它不起作用：20 个都成了半连接
                assert_eq!(half_open, 20);
                assert_eq!(dropped, 0);
            }
        }
    });
    if let Err(why) = outcome {
        netns::skip("tcp_max_syn_backlog of a private namespace", &why);
    }
}
// ANCHOR_END: all
