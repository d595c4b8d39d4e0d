// ANCHOR: all
//! 练习 11-1：关闭的每一步，两端各在什么状态。
use std::io;
use std::net::SocketAddr;

use sockbook::state::{self, State};

/// 用检查器 `sockbook::state` 问内核：客户端 `client` 和服务器 `server`
/// 之间这条连接的两端各处在什么状态，返回（客户端一端，服务器一端）。
/// 内核里已经没有的那一端是 `None`。
pub fn states(
    client: SocketAddr,
    server: SocketAddr,
) -> io::Result<(Option<State>, Option<State>)> {
    // ANCHOR: solution
    let state_of = |local, peer| -> io::Result<Option<State>> {
        Ok(state::find(local, peer)?.map(|socket| socket.state))
    };
    Ok((state_of(client, server)?, state_of(server, client)?))
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::{Shutdown, SocketAddr};

    use sockbook::state::State::{self, *};
    use sockbook::{loopback, timeout};

    type Both = (Option<State>, Option<State>);

    /// 等 `states` 报告 `expected`，最多等 timeout::LIMIT。
    fn wait_for(client: SocketAddr, server: SocketAddr, expected: Both) {
        timeout::poll_until(
            || super::states(client, server),
            |both| *both == expected,
            |both| format!("expected {expected:?}, the kernel stayed at {both:?}"),
        )
        .unwrap();
    }

    /// 客户端先关闭写方向：FIN_WAIT2 和 CLOSE_WAIT；服务器再关闭：
    /// 客户端进入 TIME_WAIT（它的描述符还开着），服务器一端消失（示例 11-3、11-4）。
    #[test]
    fn the_client_closes_first() {
        let listener = loopback::listener().unwrap();
        let server_addr = listener.local_addr().unwrap();
        let client = loopback::connect(server_addr).unwrap();
        let (mut server, _) = listener.accept().unwrap();
        let client_addr = client.local_addr().unwrap();
        assert_eq!(
            super::states(client_addr, server_addr).unwrap(),
            (Some(Established), Some(Established))
        );
        client.shutdown(Shutdown::Write).unwrap();
        assert_eq!(server.read(&mut [0; 1]).unwrap(), 0);
        wait_for(client_addr, server_addr, (Some(FinWait2), Some(CloseWait)));
        // 半关闭的连接还能往回送数据
        server.write_all(b"bye").unwrap();
        drop(server);
        let mut reply = String::new();
        (&client).read_to_string(&mut reply).unwrap();
        assert_eq!(reply, "bye");
        wait_for(client_addr, server_addr, (Some(TimeWait), None));
    }

    /// 服务器先关闭：角色对调，TIME_WAIT 落在服务器一端（示例 11-5）。
    #[test]
    fn the_server_closes_first() {
        let listener = loopback::listener().unwrap();
        let server_addr = listener.local_addr().unwrap();
        let mut client = loopback::connect(server_addr).unwrap();
        let (server, _) = listener.accept().unwrap();
        let client_addr = client.local_addr().unwrap();
        drop(server);
        assert_eq!(client.read(&mut [0; 1]).unwrap(), 0);
        wait_for(client_addr, server_addr, (Some(CloseWait), Some(FinWait2)));
        drop(client);
        wait_for(client_addr, server_addr, (None, Some(TimeWait)));
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
