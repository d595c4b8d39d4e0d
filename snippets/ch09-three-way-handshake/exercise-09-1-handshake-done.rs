// ANCHOR: all
//! 练习 9-1：问内核，一条连接的握手完成了没有。
use std::io;
use std::net::SocketAddr;

use sockbook::state::{self, State};

/// 用检查器 `sockbook::state` 问内核：客户端 `client` 到服务器 `server`
/// 的这条连接，两端是否都已 ESTABLISHED。客户端一端的本地地址是 `client`、
/// 对端是 `server`；服务器一端正好反过来。内核里找不到某一端，也算没完成。
pub fn handshake_done(client: SocketAddr, server: SocketAddr) -> io::Result<bool> {
    // ANCHOR: solution
    let established = |local, peer| -> io::Result<bool> {
        Ok(state::find(local, peer)?.is_some_and(|socket| socket.state == State::Established))
    };
    Ok(established(client, server)? && established(server, client)?)
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::net::SocketAddr;

    use sockbook::{backlog, counters, handshake, loopback, timeout};

    /// 等 `handshake_done` 给出 `expected`，最多等 timeout::LIMIT。
    fn wait_for(client: SocketAddr, server: SocketAddr, expected: bool) {
        timeout::poll_until(
            || super::handshake_done(client, server),
            |done| *done == expected,
            |done| format!("handshake_done({client}, {server}) stayed {done}"),
        )
        .unwrap();
    }

    /// connect() 返回了，服务器还没 accept()：握手已经完成（示例 9-2）。
    #[test]
    fn done_before_accept() {
        let listener = loopback::listener().unwrap();
        let server = listener.local_addr().unwrap();
        let client = loopback::connect(server).unwrap();
        wait_for(client.local_addr().unwrap(), server, true);
        // 两端都是服务器的地址：没有这样一条连接
        assert!(!super::handshake_done(server, server).unwrap());
    }

    /// accept 队列满了，迟到客户的 SYN 被丢掉，它停在 SYN_SENT（示例 10-2）：
    /// 握手没有完成；排在队列里的那个却已完成。
    #[test]
    fn not_done_while_the_syn_is_dropped() {
        let listener = backlog::listener(0).unwrap();
        let server = listener.local_addr().unwrap();
        let first = loopback::connect(server).unwrap();
        let overflows = counters::counter("TcpExt", "ListenOverflows").unwrap();
        let late = handshake::connect_in_progress(server).unwrap();
        counters::wait_for_counter("TcpExt", "ListenOverflows", |n| n > overflows).unwrap();
        let late = late.local_addr().unwrap().as_socket().unwrap();
        assert!(!super::handshake_done(late, server).unwrap());
        wait_for(first.local_addr().unwrap(), server, true);
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
