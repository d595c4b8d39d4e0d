// ANCHOR: all
//! 练习 15-1：重启的服务器立刻绑上端口，不等 TIME_WAIT 过去。
use std::io;
use std::net::{SocketAddr, TcpListener};

use sockbook::timeout;
use socket2::{Domain, Socket, Type};

/// 在 `addr` 上建一个监听套接字：`bind()` 之前设好 `SO_REUSEADDR`，这样
/// 端口上旧连接的 `TIME_WAIT` 挡不住它；端口上有别的监听套接字时，照样以
/// `AddrInUse` 失败。`listen()` 的 backlog 取 128；用 `timeout::bound`
/// 给 `accept()` 设上时限。
pub fn restart(addr: SocketAddr) -> io::Result<TcpListener> {
    // ANCHOR: solution
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
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
    use std::io::{self, Read};
    use std::net::SocketAddr;

    use sockbook::reuse::{self, Reuse};
    use sockbook::state::{self, State};
    use sockbook::{loopback, timeout};
    use socket2::SockRef;

    /// 检查器报告的、这一对地址之间那条连接的状态。
    fn state_of(local: SocketAddr, peer: SocketAddr) -> Option<State> {
        state::find(local, peer).unwrap().map(|socket| socket.state)
    }

    /// 旧服务器先关闭了一条连接，端口上留下 TIME_WAIT；不设选项的 bind()
    /// 失败，restart 成功，还接受了新客户，而 TIME_WAIT 仍在。
    #[test]
    fn binds_over_a_time_wait() {
        let (server, client) = reuse::server_closed_first(Reuse::ADDR).unwrap();
        assert_eq!(state_of(server, client), Some(State::TimeWait));
        let refused = reuse::tcp(server, Reuse::NONE).unwrap_err();
        assert_eq!(refused.kind(), io::ErrorKind::AddrInUse);

        let listener = super::restart(server).unwrap();
        assert!(SockRef::from(&listener).reuse_address().unwrap());
        assert_eq!(listener.local_addr().unwrap(), server);
        assert_eq!(
            SockRef::from(&listener).read_timeout().unwrap(),
            Some(timeout::LIMIT)
        );
        let newcomer = loopback::connect(server).unwrap();
        let (_, peer) = listener.accept().unwrap();
        assert_eq!(peer, newcomer.local_addr().unwrap());
        assert_eq!(state_of(server, client), Some(State::TimeWait));
    }

    /// 端口上有人在监听：restart 不能抢，得到 AddrInUse。
    #[test]
    fn refuses_a_port_with_a_listener() {
        let running = reuse::listener(loopback::ANY_PORT, Reuse::ADDR).unwrap();
        let err = super::restart(running.local_addr().unwrap()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
    }

    /// 用 restart 建的服务器先关闭连接，再退出；下一次 restart 也要成功：
    /// Linux 要求留下 TIME_WAIT 的那个套接字也设过 SO_REUSEADDR（示例 15-4）。
    #[test]
    fn the_next_restart_works_too() {
        let listener = super::restart(loopback::ANY_PORT).unwrap();
        let server = listener.local_addr().unwrap();
        let client = loopback::connect(server).unwrap();
        let client_addr = client.local_addr().unwrap();
        drop(listener.accept().unwrap());
        assert_eq!((&client).read(&mut [0; 1]).unwrap(), 0);
        state::wait_for(server, client_addr, State::FinWait2).unwrap();
        drop(client);
        state::wait_until(server.port(), |sockets| {
            sockets
                .iter()
                .any(|s| s.local == server && s.state == State::TimeWait)
                && !sockets.iter().any(|s| s.local == client_addr)
        })
        .unwrap();
        drop(listener);

        let again = super::restart(server).unwrap();
        assert_eq!(again.local_addr().unwrap(), server);
        assert_eq!(state_of(server, client_addr), Some(State::TimeWait));
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
