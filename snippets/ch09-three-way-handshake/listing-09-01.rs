// ANCHOR: all
use std::io::{Read, Write};
use std::net::SocketAddr;

use sockbook::handshake::{self, Segment, ACK, SYN};
use sockbook::{loopback, netns};

fn main() {
    let outcome = netns::isolated(|| {
        // 原始套接字：收下这个私有命名空间里每个到达的 TCP 段
        let capture = handshake::capture().unwrap();
        let listener = loopback::listener().unwrap();
        let server = listener.local_addr().unwrap();
        let mut client = loopback::connect(server).unwrap();
        client.write_all(b"hello").unwrap();
        let me = client.local_addr().unwrap();
        // 属于这条连接的段：客户端发的，或发给客户端的
        let ours = |s: &Segment| {
            let (from, to) = (SocketAddr::V4(s.source), SocketAddr::V4(s.destination));
            (from, to) == (me, server) || (from, to) == (server, me)
        };

        // 按到达的顺序收下各段，直到第一个带数据的段
        let mut segments: Vec<Segment> = Vec::new();
        while segments.last().is_none_or(|s| s.payload.is_empty()) {
            let segment = handshake::next(&capture, ours).unwrap();
            println!("{segment}");
            segments.push(segment);
        }
        let [syn, syn_ack, ack, data] = &segments[..] else {
            panic!("expected 4 segments, got {segments:#?}");
        };
        let from_client = |s: &Segment| SocketAddr::V4(s.source) == me;

        // 第一次：客户端发 SYN，序号 J 是它的初始序号，不带数据
        assert!(from_client(syn) && syn.is(SYN) && syn.payload.is_empty());
        let j = syn.sequence;
        // 第二次：服务器发 SYN+ACK，确认号 J+1，自己的初始序号 K
        assert!(!from_client(syn_ack) && syn_ack.is(SYN | ACK));
        assert!(syn_ack.payload.is_empty());
        assert_eq!(syn_ack.acknowledgement, j.wrapping_add(1));
        let k = syn_ack.sequence;
        assert_ne!(j, k, "each side picks its own initial sequence number");
        // 第三次：客户端发 ACK，序号 J+1，确认号 K+1，不带数据
        assert!(from_client(ack) && ack.is(ACK) && ack.payload.is_empty());
        assert_eq!(ack.sequence, j.wrapping_add(1));
        assert_eq!(ack.acknowledgement, k.wrapping_add(1));
        // 然后才是数据：SYN 用掉了一个序号，第一个字节的序号是 J+1
        assert!(from_client(data) && data.has(ACK) && !data.has(SYN));
        assert_eq!(data.payload, b"hello");
        assert_eq!(data.sequence, j.wrapping_add(1));
        assert_eq!(data.acknowledgement, k.wrapping_add(1));

        // 到这里服务器还没有调用过 accept()，握手却早已完成
        let (mut conn, peer) = listener.accept().unwrap();
        assert_eq!(peer, me);
        let mut got = [0; 5];
        conn.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"hello");
        // 服务器确认这 5 个字节：确认号 J+1+5
        let reply =
            handshake::next(&capture, |s| ours(s) && SocketAddr::V4(s.source) == server).unwrap();
        println!("{reply}");
        assert!(reply.is(ACK));
        assert_eq!(reply.acknowledgement, j.wrapping_add(1 + 5));
        assert_eq!(reply.sequence, k.wrapping_add(1));
    });
    if let Err(why) = outcome {
        netns::skip("raw sockets in a private network namespace", &why);
    }
}
// ANCHOR_END: all
