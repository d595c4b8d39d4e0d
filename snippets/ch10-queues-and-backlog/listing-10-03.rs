// ANCHOR: all
use std::net::SocketAddr;

use sockbook::counters;
use sockbook::handshake::{self, SYN};
use sockbook::state::{self, State};
use sockbook::{backlog, loopback, netns};

/// 这个私有命名空间里的一个计数器
fn count(name: &str) -> u64 {
    counters::counter("TcpExt", name).unwrap()
}

fn main() {
    let outcome = netns::isolated(|| {
        // 新的命名空间，计数器都从 0 开始，只数这个示例自己的段
        let capture = handshake::capture().unwrap();
        let listener = backlog::listener(1).unwrap();
        let addr = listener.local_addr().unwrap();
        let _clients = [
            loopback::connect(addr).unwrap(),
            loopback::connect(addr).unwrap(),
        ];
        assert_eq!(count("ListenOverflows"), 0);

        for abort in ["0", "1"] {
            backlog::set_sysctl("net.ipv4.tcp_abort_on_overflow", abort).unwrap();
            let before = count("ListenOverflows");
            let late = handshake::connect_in_progress(addr).unwrap();
            let me = late.local_addr().unwrap().as_socket().unwrap();
            // SYN 到了服务器……
            let syn = handshake::next(&capture, |s| SocketAddr::V4(s.source) == me).unwrap();
            assert!(syn.is(SYN));
            // ……被丢弃：“监听溢出”和“监听丢弃”各记一次
            let overflows =
                counters::wait_for_counter("TcpExt", "ListenOverflows", |n| n > before).unwrap();
            assert_eq!(overflows, before + 1);
            assert_eq!(count("ListenDrops"), overflows);
            // 没有 RST：不管 tcp_abort_on_overflow 是几，客户端都停在 SYN_SENT
            assert_eq!(counters::counter("Tcp", "OutRsts").unwrap(), 0);
            let mine = state::find(me, addr).unwrap().unwrap();
            assert_eq!(mine.state, State::SynSent);
            assert!(late.take_error().unwrap().is_none());
            println!("tcp_abort_on_overflow = {abort}: SYN dropped, client in SYN-SENT, no RST");
        }
    });
    if let Err(why) = outcome {
        netns::skip("counters of a private namespace", &why);
    }
}
// ANCHOR_END: all
