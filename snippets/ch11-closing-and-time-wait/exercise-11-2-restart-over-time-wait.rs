// ANCHOR: all
//! 练习 11-2：重启的服务器，在 TIME_WAIT 占着端口时也能马上监听。
use std::io;
use std::net::{SocketAddr, TcpListener};

use sockbook::timeout;
use socket2::{Domain, Socket, Type};

/// 在地址 `addr`（一个具体的端口）上建一个监听套接字，accept() 有时限。
/// 上一次运行的服务器先关闭了连接、留下的 TIME_WAIT 还占着这个端口时，
/// 它也要能绑定（示例 11-7）；但旧服务器还在监听时，必须以 `EADDRINUSE`
/// 失败：两个服务器不能同时监听一个端口。
pub fn bind_again(addr: SocketAddr) -> io::Result<TcpListener> {
    // ANCHOR: solution
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    // 必须在 bind() 之前设：TIME_WAIT 不再挡路，LISTEN 仍然挡路
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(128)?;
    timeout::bound(&socket)?;
    Ok(socket.into())
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::io::{self, Read, Write};

    use sockbook::reuse::{self, Reuse};
    use sockbook::state::{self, State};
    use sockbook::{loopback, timeout};
    use socket2::SockRef;

    /// 旧服务器设了 SO_REUSEADDR、先关闭，TIME_WAIT 占着它的端口：
    /// 不设选项的 bind() 失败，bind_again() 成功，新服务器能接待客户。
    #[test]
    fn starts_over_a_time_wait() {
        let (addr, _) = reuse::server_closed_first(Reuse::ADDR).unwrap();
        let sockets = state::on_port(addr.port()).unwrap();
        assert!(sockets
            .iter()
            .any(|s| s.local == addr && s.state == State::TimeWait));
        let plain = reuse::tcp(addr, Reuse::NONE).unwrap_err();
        assert_eq!(plain.kind(), io::ErrorKind::AddrInUse);

        let listener = super::bind_again(addr).unwrap();
        assert_eq!(listener.local_addr().unwrap(), addr);
        let bound = SockRef::from(&listener).read_timeout().unwrap();
        assert_eq!(bound, Some(timeout::LIMIT));
        let mut client = loopback::connect(addr).unwrap();
        let (mut served, _) = listener.accept().unwrap();
        served.write_all(b"back again").unwrap();
        drop(served);
        let mut text = String::new();
        client.read_to_string(&mut text).unwrap();
        assert_eq!(text, "back again");
    }

    /// 旧服务器还在监听（它设了 SO_REUSEADDR 和 SO_REUSEPORT）：
    /// 新服务器必须得到 EADDRINUSE，不能和它分享端口。
    #[test]
    fn refuses_while_the_old_server_listens() {
        let old = reuse::listener(loopback::ANY_PORT, Reuse::BOTH).unwrap();
        let addr = old.local_addr().unwrap();
        let err = super::bind_again(addr).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
        drop(old);
    }

    /// 旧服务器没设 SO_REUSEADDR：它留下的 TIME_WAIT，新服务器也绕不过去。
    #[test]
    fn cannot_start_over_a_time_wait_without_the_option() {
        let (addr, _) = reuse::server_closed_first(Reuse::NONE).unwrap();
        let err = super::bind_again(addr).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
