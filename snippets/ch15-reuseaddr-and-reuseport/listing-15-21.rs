// ANCHOR: all
use std::io;
use std::net::{SocketAddr, SocketAddrV4};
use std::os::fd::{AsRawFd, OwnedFd};

use nix::sys::socket::{
    bind, getsockname, listen, setsockopt, socket, sockopt, AddressFamily, Backlog, SockFlag,
    SockType, SockaddrIn, SockaddrStorage,
};
use sockbook::reuse::{self, Reuse};
use sockbook::state::{self, State};

/// 重启的服务器：socket()、setsockopt(SO_REUSEADDR)、bind()、listen()
pub fn rebind(addr: SocketAddr) -> io::Result<OwnedFd> {
    let fd = socket(
        AddressFamily::Inet,
        SockType::Stream,
        SockFlag::empty(),
        None,
    )?;
    setsockopt(&fd, sockopt::ReuseAddr, &true)?;
    bind(fd.as_raw_fd(), &SockaddrStorage::from(addr))?;
    listen(&fd, Backlog::new(16)?)?;
    Ok(fd)
}

fn main() {
    // 旧服务器（设了 SO_REUSEADDR）先关闭了一条连接：端口上留下 TIME_WAIT
    let (addr, _) = reuse::server_closed_first(Reuse::ADDR).unwrap();
    // 对照：不设选项的 bind() 被拒绝
    let refused = reuse::tcp(addr, Reuse::NONE).unwrap_err();
    assert_eq!(refused.kind(), io::ErrorKind::AddrInUse);

    let listener = rebind(addr).unwrap();
    let local = SocketAddr::from(SocketAddrV4::from(
        getsockname::<SockaddrIn>(listener.as_raw_fd()).unwrap(),
    ));
    println!("listening on {local} beside a connection in TIME_WAIT");
    assert_eq!(local, addr);
    let sockets = state::on_port(addr.port()).unwrap();
    assert!(sockets.iter().any(|s| s.state == State::TimeWait));
    assert!(sockets.iter().any(|s| s.state == State::Listen));
}
// ANCHOR_END: all
