// ANCHOR: all
//! 练习 10-1：读出监听套接字的 accept 队列长度和 backlog。
use std::io;
use std::net::TcpListener;

use sockbook::state::{self, State};

/// 用检查器 `sockbook::state` 找到 `listener` 这个监听套接字，返回
/// （accept 队列里等着的连接数，内核采用的 backlog），也就是 `ss -lnt`
/// 里它的 Recv-Q 和 Send-Q。找不到时返回 `NotFound` 错误。
pub fn accept_queue(listener: &TcpListener) -> io::Result<(u32, u32)> {
    // ANCHOR: solution
    let addr = listener.local_addr()?;
    state::on_port(addr.port())?
        .into_iter()
        .find(|socket| socket.state == State::Listen && socket.local == addr)
        .map(|socket| (socket.recv_queue, socket.send_queue))
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no listening socket"))
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use sockbook::{backlog, loopback, timeout};

    /// 新的监听套接字：队列是空的，backlog 是 listen() 要的那个数；
    /// TcpListener::bind() 要的是 128（不超过 somaxconn）。
    #[test]
    fn an_empty_queue_and_its_backlog() {
        let listener = backlog::listener(4).unwrap();
        assert_eq!(super::accept_queue(&listener).unwrap(), (0, 4));
        let somaxconn = backlog::sysctl_number("net.core.somaxconn").unwrap();
        let std_listener = loopback::listener().unwrap();
        let expected = 128.min(somaxconn) as u32;
        assert_eq!(super::accept_queue(&std_listener).unwrap(), (0, expected));
    }

    /// 三个客户连上：队列里 3 个；accept() 取走一个，剩 2 个。
    #[test]
    fn counts_connections_until_accepted() {
        let listener = backlog::listener(4).unwrap();
        let addr = listener.local_addr().unwrap();
        let _clients: Vec<_> = (0..3).map(|_| loopback::connect(addr).unwrap()).collect();
        let queue = timeout::poll_until(
            || super::accept_queue(&listener),
            |queue| queue.0 == 3,
            |queue| format!("the queue stayed {queue:?}"),
        )
        .unwrap();
        assert_eq!(queue, (3, 4));
        let _taken = listener.accept().unwrap();
        assert_eq!(super::accept_queue(&listener).unwrap(), (2, 4));
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
