// ANCHOR: all
use std::io;
use std::net::{SocketAddr, TcpListener};

use sockbook::reuse::{self, Reuse};
use sockbook::state::{self, State};

/// 重启的服务器：标准库的 TcpListener::bind() 在 Unix 上先替你设好 SO_REUSEADDR
pub fn rebind(addr: SocketAddr) -> io::Result<TcpListener> {
    TcpListener::bind(addr) // socket()、setsockopt(SO_REUSEADDR)、bind()、listen()
}

fn main() {
    // 旧服务器（设了 SO_REUSEADDR）先关闭了一条连接：端口上留下 TIME_WAIT
    let (addr, _) = reuse::server_closed_first(Reuse::ADDR).unwrap();
    // 对照：不设选项的 bind() 被拒绝
    let refused = reuse::tcp(addr, Reuse::NONE).unwrap_err();
    assert_eq!(refused.kind(), io::ErrorKind::AddrInUse);

    let listener = rebind(addr).unwrap();
    let local = listener.local_addr().unwrap();
    println!("listening on {local} beside a connection in TIME_WAIT");
    assert_eq!(local, addr);
    let sockets = state::on_port(addr.port()).unwrap();
    assert!(sockets.iter().any(|s| s.state == State::TimeWait));
    assert!(sockets.iter().any(|s| s.state == State::Listen));
}
// ANCHOR_END: all
