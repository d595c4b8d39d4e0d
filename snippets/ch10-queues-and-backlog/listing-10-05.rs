// ANCHOR: all
use std::net::{SocketAddr, SocketAddrV4};

use sockbook::counters;
use sockbook::handshake::{self, Segment, ACK, SYN};
use sockbook::state::{self, State};
use sockbook::{backlog, netns};

const ISN: u32 = 1_000_000;

/// 监听在 port 上的半连接（SYN_RECV）个数，以及 accept 队列的长度
fn queues(port: u16) -> (usize, u32) {
    let sockets = state::on_port(port).unwrap();
    let half_open = sockets.iter().filter(|s| s.state == State::SynRecv).count();
    let listening = sockets.iter().find(|s| s.state == State::Listen).unwrap();
    (half_open, listening.recv_queue)
}

fn count(name: &str) -> u64 {
    counters::counter("TcpExt", name).unwrap()
}

fn main() {
    let outcome = netns::isolated(|| {
        handshake::silence().unwrap();
        let capture = handshake::capture().unwrap();
        let sender = handshake::sender().unwrap();
        assert_eq!(backlog::sysctl("net.ipv4.tcp_syncookies").unwrap(), "1");

        for cookies in ["1", "0"] {
            backlog::set_sysctl("net.ipv4.tcp_syncookies", cookies).unwrap();
            let listener = backlog::listener(2).unwrap();
            let SocketAddr::V4(server) = listener.local_addr().unwrap() else {
                unreachable!("the listener is on 127.0.0.1")
            };
            let port = server.port();
            // 从 192.0.2.1 的不同端口发 SYN，一个也不回 ACK
            let syn_from = |n: u16| {
                let me = SocketAddrV4::new(handshake::SILENT_HOST, 40000 + n);
                handshake::send(&sender, &Segment::new(me, server, ISN, 0, SYN, b"")).unwrap();
                me
            };
            // 前 3 个（backlog + 1）各得到一个 SYN+ACK，各占一个半连接
            for n in 0..3 {
                let me = syn_from(n);
                let reply =
                    handshake::next(&capture, |s| s.source == server && s.destination == me)
                        .unwrap();
                assert!(reply.is(SYN | ACK));
            }
            assert_eq!(queues(port), (3, 0));

            // 第 4 个 SYN：SYN 队列已满
            let (sent, full_drops) = (count("SyncookiesSent"), count("TCPReqQFullDrop"));
            let fourth = syn_from(3);
            if cookies == "1" {
                // 开着 SYN cookie：照样回 SYN+ACK，但不留半连接
                let reply =
                    handshake::next(&capture, |s| s.source == server && s.destination == fourth)
                        .unwrap();
                assert!(reply.is(SYN | ACK));
                assert_eq!(count("SyncookiesSent"), sent + 1);
                assert_eq!(queues(port), (3, 0));
                // 它的 ACK 带回那个 cookie（确认号 - 1），内核据此直接建立连接
                let cookie = reply.sequence;
                let ack = Segment::new(fourth, server, ISN + 1, cookie.wrapping_add(1), ACK, b"");
                handshake::send(&sender, &ack).unwrap();
                state::wait_until(port, |sockets| {
                    sockets
                        .iter()
                        .any(|s| s.peer == SocketAddr::V4(fourth) && s.state == State::Established)
                })
                .unwrap();
                assert_eq!(count("SyncookiesRecv"), 1);
                assert_eq!(queues(port), (3, 1)); // 直接进了 accept 队列
                println!("syncookies 1: the 4th SYN got a cookie, its ACK a connection");
            } else {
                // 关掉 SYN cookie：第 4 个 SYN 被丢弃
                counters::wait_for_counter("TcpExt", "TCPReqQFullDrop", |n| n == full_drops + 1)
                    .unwrap();
                assert_eq!(count("SyncookiesSent"), sent);
                assert_eq!(queues(port), (3, 0));
                println!("syncookies 0: the 4th SYN was dropped");
            }
        }
    });
    if let Err(why) = outcome {
        netns::skip("the SYN queue of a private namespace", &why);
    }
}
// ANCHOR_END: all
