// ANCHOR: all
//! 练习 9-2：在 accept() 之前，列出 accept 队列里等着的连接。
use std::io;
use std::net::{SocketAddr, TcpListener};

use sockbook::state::{self, State};

/// 返回 `listener` 的 accept 队列里每个连接的对端地址，从小到大排好。
/// 这些是服务器一端的套接字：本地地址就是监听的地址，握手已经完成，
/// 还没有描述符指向它们（检查器报告的 inode 为 0，示例 9-2）。
/// 半连接（SYN_RECV）不算；服务器先关闭后留下的 TIME_WAIT 也不算。
/// 客户端在 accept() 之前就关闭了的连接仍在队列里（CLOSE_WAIT），要算上。
pub fn waiting(listener: &TcpListener) -> io::Result<Vec<SocketAddr>> {
    // ANCHOR: solution
    let addr = listener.local_addr()?;
    let mut peers: Vec<SocketAddr> = state::on_port(addr.port())?
        .into_iter()
        .filter(|socket| {
            socket.local == addr
                && socket.inode == 0
                && matches!(socket.state, State::Established | State::CloseWait)
        })
        .map(|socket| socket.peer)
        .collect();
    peers.sort();
    Ok(peers)
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::io::Read;
    use std::net::{SocketAddr, TcpListener};

    use sockbook::state::{self, State};
    use sockbook::{loopback, timeout};

    /// 等 `waiting` 报告正好 `count` 个连接，返回它们。
    fn wait_for(listener: &TcpListener, count: usize) -> Vec<SocketAddr> {
        timeout::poll_until(
            || super::waiting(listener),
            |peers| peers.len() == count,
            |peers| format!("waiting() stayed {peers:?}"),
        )
        .unwrap()
    }

    /// 三个客户连上，谁也没被 accept()：三个都在；取走一个，剩两个。
    #[test]
    fn lists_what_accept_has_not_taken() {
        let listener = loopback::listener().unwrap();
        let clients: Vec<_> = (0..3)
            .map(|_| loopback::connect(listener.local_addr().unwrap()).unwrap())
            .collect();
        let mut addrs: Vec<SocketAddr> = clients.iter().map(|c| c.local_addr().unwrap()).collect();
        addrs.sort();
        assert_eq!(wait_for(&listener, 3), addrs);
        let (_taken, peer) = listener.accept().unwrap();
        addrs.retain(|addr| *addr != peer);
        assert_eq!(super::waiting(&listener).unwrap(), addrs);
    }

    /// 同一个端口上还有已取走的连接、TIME_WAIT、客户已关闭的连接：
    /// 只列出 accept() 还会返回的那些，个数等于 accept 队列的长度。
    #[test]
    fn leaves_out_what_accept_would_not_return() {
        let listener = loopback::listener().unwrap();
        let server = listener.local_addr().unwrap();
        // 1：服务器先关闭，服务器一端留在 TIME_WAIT（示例 11-5）
        let old = loopback::connect(server).unwrap();
        let old_addr = old.local_addr().unwrap();
        drop(listener.accept().unwrap());
        assert_eq!((&old).read(&mut [0; 1]).unwrap(), 0);
        state::wait_for(server, old_addr, State::FinWait2).unwrap();
        drop(old);
        // 2：已经 accept() 的连接
        let kept = loopback::connect(server).unwrap();
        let (_accepted, _) = listener.accept().unwrap();
        // 3：客户端连上就关闭，服务器还没 accept()
        let gone = loopback::connect(server).unwrap();
        let gone_addr = gone.local_addr().unwrap();
        drop(gone);
        // 4：连上了，还没 accept()
        let fresh = loopback::connect(server).unwrap();
        let sockets = state::wait_until(server.port(), |sockets| {
            let at = |peer, state| sockets.iter().any(|s| s.peer == peer && s.state == state);
            at(old_addr, State::TimeWait)
                && at(gone_addr, State::CloseWait)
                && at(fresh.local_addr().unwrap(), State::Established)
        })
        .unwrap();
        let mut expected = vec![gone_addr, fresh.local_addr().unwrap()];
        expected.sort();
        assert_eq!(super::waiting(&listener).unwrap(), expected);
        let listening = sockets.iter().find(|s| s.state == State::Listen).unwrap();
        assert_eq!(listening.recv_queue, 2);
        // accept() 取出的正是这两个
        let mut accepted: Vec<SocketAddr> = (0..2).map(|_| listener.accept().unwrap().1).collect();
        accepted.sort();
        assert_eq!(accepted, expected);
        assert!(super::waiting(&listener).unwrap().is_empty());
        drop(kept);
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
