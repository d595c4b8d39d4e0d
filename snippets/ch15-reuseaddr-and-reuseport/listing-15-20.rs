// ANCHOR: all
use std::io;
use std::net::SocketAddr;

use sockbook::reuse::{self, Reuse};
use sockbook::state::{self, State};
use socket2::{Domain, Socket, Type};

/// 重启的服务器：socket() 之后、bind() 之前设 SO_REUSEADDR
pub fn rebind(addr: SocketAddr) -> io::Result<Socket> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    socket.set_reuse_address(true)?; // setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
    socket.bind(&addr.into())?;
    socket.listen(16)?;
    Ok(socket)
}

fn main() {
    // 旧服务器（设了 SO_REUSEADDR）先关闭了一条连接：端口上留下 TIME_WAIT
    let (addr, _) = reuse::server_closed_first(Reuse::ADDR).unwrap();
    // 对照：不设选项的 bind() 被拒绝
    let refused = reuse::tcp(addr, Reuse::NONE).unwrap_err();
    assert_eq!(refused.kind(), io::ErrorKind::AddrInUse);

    let listener = rebind(addr).unwrap();
    let local = listener.local_addr().unwrap().as_socket().unwrap();
    println!("listening on {local} beside a connection in TIME_WAIT");
    assert_eq!(local, addr);
    let sockets = state::on_port(addr.port()).unwrap();
    assert!(sockets.iter().any(|s| s.state == State::TimeWait));
    assert!(sockets.iter().any(|s| s.state == State::Listen));
}
// ANCHOR_END: all
