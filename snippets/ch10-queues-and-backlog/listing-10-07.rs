// ANCHOR: all
use std::io;
use std::net::{SocketAddr, SocketAddrV4, TcpStream};

use sockbook::handshake::{self, Segment, SYN};
use sockbook::state::{self, State};
use sockbook::{backlog, loopback, netns};

fn main() {
    let outcome = netns::isolated(|| {
        handshake::silence().unwrap();
        let capture = handshake::capture().unwrap();
        let sender = handshake::sender().unwrap();
        let listener = backlog::listener(2).unwrap();
        let SocketAddr::V4(server) = listener.local_addr().unwrap() else {
            unreachable!("the listener is on 127.0.0.1")
        };

        // 两个手工客户端只发 SYN：两个半连接
        for port in [40000, 40001] {
            let me = SocketAddrV4::new(handshake::SILENT_HOST, port);
            handshake::send(&sender, &Segment::new(me, server, 1, 0, SYN, b"")).unwrap();
            handshake::next(&capture, |s| s.source == server && s.destination == me).unwrap();
        }
        // 三个真正的客户端完成握手：accept 队列满了（backlog + 1）
        let clients: Vec<TcpStream> = (0..3)
            .map(|_| loopback::connect(server.into()).unwrap())
            .collect();

        let sockets = state::on_port(server.port()).unwrap();
        let half_open = sockets.iter().filter(|s| s.state == State::SynRecv).count();
        let listening = sockets.iter().find(|s| s.state == State::Listen).unwrap();
        println!(
            "backlog {}: {half_open} half-open + {} in the accept queue",
            listening.send_queue, listening.recv_queue
        );
        // backlog 是 2，内核却同时替它排着 2 + 3 = 5 个连接
        assert_eq!(listening.send_queue, 2);
        assert_eq!(half_open, 2);
        assert_eq!(listening.recv_queue, 3);

        // accept() 只取已完成的连接，按到达的顺序
        for client in &clients {
            let (_conn, peer) = listener.accept().unwrap();
            assert_eq!(peer, client.local_addr().unwrap());
        }
        // 剩下的只有半连接：accept() 取不到，非阻塞时立即失败
        listener.set_nonblocking(true).unwrap();
        let err = listener.accept().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
        let sockets = state::on_port(server.port()).unwrap();
        let half_open = sockets.iter().filter(|s| s.state == State::SynRecv).count();
        assert_eq!(half_open, 2);
    });
    if let Err(why) = outcome {
        netns::skip("half-open connections in a private namespace", &why);
    }
}
// ANCHOR_END: all
