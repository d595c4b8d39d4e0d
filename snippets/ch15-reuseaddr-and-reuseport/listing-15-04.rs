// ANCHOR: all
use std::io;

use sockbook::reuse::{self, Reuse};
use sockbook::state::{self, State};

fn main() {
    // 旧服务器没有设 SO_REUSEADDR，它留下的 TIME_WAIT 也就没有
    let (addr, _old_client) = reuse::server_closed_first(Reuse::NONE).unwrap();
    let sockets = state::on_port(addr.port()).unwrap();
    let mut at_addr = sockets.iter().filter(|s| s.local == addr);
    assert!(at_addr.all(|s| s.state == State::TimeWait)); // 没有人在监听

    // 新服务器设了 SO_REUSEADDR，甚至两个选项都设，也绑不上
    for reuse in [Reuse::ADDR, Reuse::BOTH] {
        let err = reuse::tcp(addr, reuse).unwrap_err();
        println!("{reuse:?}: {err}");
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
    }
}
// ANCHOR_END: all
