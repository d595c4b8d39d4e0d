// ANCHOR: all
use std::net::{SocketAddr, SocketAddrV4};

use sockbook::counters;
use sockbook::handshake::{self, Segment, ACK, RST, SYN};
use sockbook::state::{self, State};
use sockbook::{backlog, loopback, netns};

const ISN: u32 = 1_000_000;

fn main() {
    let outcome = netns::isolated(|| {
        handshake::silence().unwrap();
        let capture = handshake::capture().unwrap();
        let sender = handshake::sender().unwrap();

        for (abort, port) in [("0", 40000), ("1", 40001)] {
            backlog::set_sysctl("net.ipv4.tcp_abort_on_overflow", abort).unwrap();
            let listener = backlog::listener(1).unwrap();
            let SocketAddr::V4(server) = listener.local_addr().unwrap() else {
                unreachable!("the listener is on 127.0.0.1")
            };
            let me = SocketAddrV4::new(handshake::SILENT_HOST, port);
            let peer_is_me = |s: &state::TcpSocket| s.peer == SocketAddr::V4(me);

            // 手工客户端：SYN 到达时 accept 队列还空着，服务器回 SYN+ACK
            let syn = Segment::new(me, server, ISN, 0, SYN, b"");
            handshake::send(&sender, &syn).unwrap();
            let syn_ack = handshake::next(&capture, |s| s.destination == me).unwrap();
            assert!(syn_ack.is(SYN | ACK));
            // 我们的 ACK 还没发，两个真正的客户端先连上，把 accept 队列占满
            let _clients = [
                loopback::connect(server.into()).unwrap(),
                loopback::connect(server.into()).unwrap(),
            ];
            let overflows = counters::counter("TcpExt", "ListenOverflows").unwrap();

            // 现在才发第三次握手的 ACK：队列已满，放不进去
            let k = syn_ack.sequence;
            let ack = Segment::new(me, server, ISN + 1, k.wrapping_add(1), ACK, b"");
            handshake::send(&sender, &ack).unwrap();
            counters::wait_for_counter("TcpExt", "ListenOverflows", |n| n == overflows + 1)
                .unwrap();

            if abort == "0" {
                // 默认：当作没收到这个 ACK，半连接留在 SYN_RECV，不回 RST
                let sockets = state::on_port(server.port()).unwrap();
                let half = sockets.iter().find(|s| peer_is_me(s)).unwrap();
                assert_eq!(half.state, State::SynRecv);
                assert_eq!(counters::counter("Tcp", "OutRsts").unwrap(), 0);
                println!(
                    "abort_on_overflow 0: the ACK is ignored, {}",
                    half.state.ss_name()
                );
                // accept() 空出一个位置后，客户端再发一次 ACK，连接就建立了
                let (_first, _) = listener.accept().unwrap();
                handshake::send(&sender, &ack).unwrap();
                let sockets = state::wait_until(server.port(), |sockets| {
                    sockets
                        .iter()
                        .any(|s| peer_is_me(s) && s.state == State::Established)
                })
                .unwrap();
                let listening = sockets.iter().find(|s| s.state == State::Listen).unwrap();
                assert_eq!(listening.recv_queue, 2);
            } else {
                // tcp_abort_on_overflow = 1：回一个 RST，半连接被删掉
                let rst = handshake::next(&capture, |s| s.destination == me).unwrap();
                println!("abort_on_overflow 1: {rst}");
                assert!(rst.is(RST));
                assert_eq!(rst.sequence, k.wrapping_add(1));
                assert_eq!(counters::counter("TcpExt", "EmbryonicRsts").unwrap(), 1);
                let sockets = state::on_port(server.port()).unwrap();
                assert!(!sockets.iter().any(peer_is_me), "{sockets:?}");
            }
        }
    });
    if let Err(why) = outcome {
        netns::skip("a hand-made client in a private namespace", &why);
    }
}
// ANCHOR_END: all
