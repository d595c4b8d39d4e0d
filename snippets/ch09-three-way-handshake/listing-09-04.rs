// ANCHOR: all
use std::io::{self, Read};
use std::net::{SocketAddr, SocketAddrV4};
use std::time::Duration;

use sockbook::handshake::{self, Segment, ACK, PSH, SYN};
use sockbook::state::{self, State, Timer};
use sockbook::{loopback, netns};

/// 手工客户端的初始序号：随便挑一个好认的数
const ISN: u32 = 1_000_000;

fn main() {
    let outcome = netns::isolated(|| {
        // 手工客户端住在 192.0.2.1：服务器的回复能送到那里，却没人回 RST
        handshake::silence().unwrap();
        let capture = handshake::capture().unwrap();
        let sender = handshake::sender().unwrap();
        let listener = loopback::listener().unwrap();
        let SocketAddr::V4(server) = listener.local_addr().unwrap() else {
            unreachable!("the listener is on 127.0.0.1")
        };
        let me = SocketAddrV4::new(handshake::SILENT_HOST, 40000);
        let to_me = |s: &Segment| s.source == server && s.destination == me;

        // 第一次握手：我们发 SYN
        let syn = Segment::new(me, server, ISN, 0, SYN, b"");
        println!("{syn}");
        handshake::send(&sender, &syn).unwrap();
        // 第二次握手：内核回 SYN+ACK，确认号是我们的 ISN + 1
        let syn_ack = handshake::next(&capture, to_me).unwrap();
        println!("{syn_ack}");
        assert!(syn_ack.is(SYN | ACK));
        assert_eq!(syn_ack.acknowledgement, ISN + 1);
        let k = syn_ack.sequence;

        // 我们先不回 ACK。服务器一端：一个 SYN_RECV 的半连接，定时器准备重传 SYN+ACK
        let sockets = state::on_port(server.port()).unwrap();
        let half = sockets
            .iter()
            .find(|s| s.peer == SocketAddr::V4(me))
            .unwrap();
        let listening = sockets.iter().find(|s| s.state == State::Listen).unwrap();
        println!("{} {:?}", half.state.ss_name(), half.timer);
        assert_eq!(half.state, State::SynRecv);
        match half.timer {
            Some(Timer::Retransmit { left, count: 0 }) => assert!(left <= Duration::from_secs(1)),
            other => panic!("expected the SYN+ACK retransmission timer, got {other:?}"),
        }
        // 监听套接字还在 LISTEN，accept 队列是空的：半连接不在那里
        assert_eq!(listening.recv_queue, 0);
        listener.set_nonblocking(true).unwrap();
        let err = listener.accept().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
        listener.set_nonblocking(false).unwrap();

        // 第三次握手：我们发 ACK，序号 ISN + 1，确认号 K + 1
        let ack = Segment::new(me, server, ISN + 1, k.wrapping_add(1), ACK, b"");
        println!("{ack}");
        handshake::send(&sender, &ack).unwrap();
        let sockets = state::wait_until(server.port(), |sockets| {
            sockets
                .iter()
                .any(|s| s.state == State::Listen && s.recv_queue == 1)
        })
        .unwrap();
        let full = sockets
            .iter()
            .find(|s| s.peer == SocketAddr::V4(me))
            .unwrap();
        assert_eq!(full.state, State::Established);

        // accept() 取出这个连接，对端正是我们手工扮演的客户端
        let (mut conn, peer) = listener.accept().unwrap();
        assert_eq!(peer, SocketAddr::V4(me));
        // 再手工发 7 个字节的数据，服务器程序照常读到
        let data = Segment::new(
            me,
            server,
            ISN + 1,
            k.wrapping_add(1),
            PSH | ACK,
            b"by hand",
        );
        println!("{data}");
        handshake::send(&sender, &data).unwrap();
        let mut got = [0; 7];
        conn.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"by hand");
        // 服务器确认：确认号 ISN + 1 + 7
        let reply = handshake::next(&capture, to_me).unwrap();
        println!("{reply}");
        assert!(reply.is(ACK));
        assert_eq!(reply.acknowledgement, ISN + 1 + 7);
        assert_eq!(reply.sequence, k.wrapping_add(1));
    });
    if let Err(why) = outcome {
        netns::skip("a hand-made client in a private namespace", &why);
    }
}
// ANCHOR_END: all
