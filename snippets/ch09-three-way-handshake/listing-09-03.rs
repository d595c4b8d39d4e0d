// ANCHOR: all
use std::net::{SocketAddr, SocketAddrV4};
use std::time::Duration;

use sockbook::backlog;
use sockbook::counters;
use sockbook::handshake::{self, Segment, ACK, SYN};
use sockbook::state::{self, State, Timer};
use sockbook::{loopback, netns};
use socket2::{Domain, Socket, Type};

/// 我们扮演服务器时用的初始序号
const K: u32 = 2_000_000;

fn main() {
    let outcome = netns::isolated(|| {
        // 192.0.2.0/24 经 lo 路由：发往那里的段有去无回，也没有 RST
        handshake::silence().unwrap();
        let capture = handshake::capture().unwrap();
        let nowhere = SocketAddrV4::new(handshake::SILENT_HOST, 80);

        // 非阻塞的 connect()：发出 SYN，不等握手，立即返回 EINPROGRESS
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        socket.bind(&loopback::ANY_PORT.into()).unwrap();
        socket.set_nonblocking(true).unwrap();
        let err = socket.connect(&nowhere.into()).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EINPROGRESS));
        let me = socket.local_addr().unwrap().as_socket().unwrap();

        // SYN 确实发出去了，而且没有人回 RST
        let syn = handshake::next(&capture, |s| SocketAddr::V4(s.source) == me).unwrap();
        println!("{syn}");
        assert!(syn.is(SYN));
        assert_eq!(counters::counter("Tcp", "OutRsts").unwrap(), 0);

        // 内核的看法：SYN_SENT，发送队列里是那个还没被确认的 SYN（占 1 个序号）
        let mine = state::find(me, nowhere.into())
            .unwrap()
            .expect("the kernel knows the socket");
        println!(
            "{} {:?} send-q {}",
            mine.state.ss_name(),
            mine.timer,
            mine.send_queue
        );
        assert_eq!(mine.state, State::SynSent);
        assert_eq!(mine.send_queue, 1);
        // 重传定时器：还没重传过（count 0），大约 1 秒后重传
        match mine.timer {
            Some(Timer::Retransmit { left, count }) => {
                assert_eq!(count, 0);
                assert!(left <= Duration::from_secs(1), "{left:?}");
                assert!(left > Duration::from_millis(500), "{left:?}");
            }
            other => panic!("expected the retransmission timer, got {other:?}"),
        }

        // 重传几次后放弃：每次等待加倍，1 + 2 + 4 + … 秒
        let retries: u32 = std::fs::read_to_string("/proc/sys/net/ipv4/tcp_syn_retries")
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        assert_eq!(retries, 6); // 新命名空间里的默认值
        let give_up: u64 = (0..=retries).map(|n| 1u64 << n).sum();
        println!("tcp_syn_retries = {retries}: connect() would fail after {give_up} s");

        // 现在我们替 192.0.2.1 回一个 SYN+ACK：确认号 J+1，序号是我们的 K
        let SocketAddr::V4(client) = me else {
            unreachable!("the client is on 127.0.0.1")
        };
        let syn_ack = Segment::new(
            nowhere,
            client,
            K,
            syn.sequence.wrapping_add(1),
            SYN | ACK,
            b"",
        );
        println!("{syn_ack}");
        handshake::send(&handshake::sender().unwrap(), &syn_ack).unwrap();
        // 客户端内核回 ACK（确认号 K+1），连接在客户端这一边建立了
        let ack = handshake::next(&capture, |s| s.source == client).unwrap();
        println!("{ack}");
        assert!(ack.is(ACK));
        assert_eq!(ack.sequence, syn.sequence.wrapping_add(1));
        assert_eq!(ack.acknowledgement, K + 1);
        state::wait_until(me.port(), |sockets| {
            sockets
                .iter()
                .any(|s| s.local == me && s.state == State::Established)
        })
        .unwrap();
        // connect() 成功完成：没有错误，对端就是 192.0.2.1:80
        assert!(socket.take_error().unwrap().is_none());
        assert_eq!(
            socket.peer_addr().unwrap().as_socket(),
            Some(nowhere.into())
        );
    });
    if let Err(why) = outcome {
        netns::skip("a silent network in a private namespace", &why);
    }
}
// ANCHOR_END: all
