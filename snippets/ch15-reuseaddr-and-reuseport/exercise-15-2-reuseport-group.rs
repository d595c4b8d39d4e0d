// ANCHOR: all
//! 练习 15-2：几个监听套接字共用一个端口，由内核分摊连接。
use std::io;
use std::net::TcpListener;

use sockbook::{loopback, timeout};
use socket2::{Domain, Socket, Type};

/// 建 `count` 个（至少一个）监听套接字，都在 127.0.0.1 的同一个端口上：
/// 第一个绑定端口 0，由内核挑端口，其余的绑定同一个地址和端口。每个都在
/// `bind()` 之前设 `SO_REUSEPORT`，backlog 取 128，用 `timeout::bound`
/// 设上时限。
pub fn group(count: usize) -> io::Result<Vec<TcpListener>> {
    // ANCHOR: solution
    let mut addr = loopback::ANY_PORT;
    let mut listeners = Vec::new();
    for _ in 0..count {
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
        socket.set_reuse_port(true)?;
        socket.bind(&addr.into())?;
        socket.listen(128)?;
        timeout::bound(&socket)?;
        let listener = TcpListener::from(socket);
        addr = listener.local_addr()?;
        listeners.push(listener);
    }
    Ok(listeners)
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::io;
    use std::net::TcpStream;

    use sockbook::loopback;
    use sockbook::reuse::{self, Reuse};
    use sockbook::state::{self, State};
    use socket2::SockRef;

    /// 三个监听套接字，一个地址；内核也看到这个端口上有三个 LISTEN。
    /// 设了 SO_REUSEPORT 的第四个能加入，没设的不能。
    #[test]
    fn three_listeners_share_one_port() {
        let listeners = super::group(3).unwrap();
        assert_eq!(listeners.len(), 3);
        let addr = listeners[0].local_addr().unwrap();
        assert_ne!(addr.port(), 0);
        for listener in &listeners {
            assert_eq!(listener.local_addr().unwrap(), addr);
            assert!(SockRef::from(listener).reuse_port().unwrap());
        }
        let sockets = state::on_port(addr.port()).unwrap();
        let listening = sockets.iter().filter(|s| s.state == State::Listen);
        assert_eq!(listening.count(), 3);
        let stranger = reuse::tcp(addr, Reuse::NONE).unwrap_err();
        assert_eq!(stranger.kind(), io::ErrorKind::AddrInUse);
        assert!(reuse::listener(addr, Reuse::PORT).is_ok());
    }

    /// 96 条连接按四元组的哈希分给三个监听套接字（示例 15-14）：每个都分到
    /// 一些，合起来不多不少。某一个一条也分不到的概率约为 3 × (2/3)^96，
    /// 小于 1e-16。
    #[test]
    fn spreads_96_connections() {
        let listeners = super::group(3).unwrap();
        let addr = listeners[0].local_addr().unwrap();
        let clients: Vec<TcpStream> = (0..96).map(|_| loopback::connect(addr).unwrap()).collect();
        state::wait_until(addr.port(), |sockets| {
            let listening = sockets.iter().filter(|s| s.state == State::Listen);
            listening.map(|s| s.recv_queue as usize).sum::<usize>() == clients.len()
        })
        .unwrap();
        let shares: Vec<usize> = listeners
            .iter()
            .map(|listener| reuse::accept_waiting(listener).unwrap().len())
            .collect();
        println!("96 connections spread as {shares:?}");
        assert!(shares.iter().all(|&share| share > 0), "{shares:?}");
        assert_eq!(shares.iter().sum::<usize>(), 96);
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
