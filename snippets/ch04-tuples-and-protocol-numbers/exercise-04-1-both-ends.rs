// ANCHOR: all
//! 练习 4-1：从一条连接的两端读出它的五元组。
use std::io;
use std::net::TcpListener;

use sockbook::loopback;
use sockbook::tuple::{self, FiveTuple};

/// 向 `listener` 发起一条连接（`loopback::connect`），再把它 `accept` 下来，
/// 返回两端各自读出的五元组（`tuple::five`）：先是客户端的，再是服务器的。
pub fn both_ends(listener: &TcpListener) -> io::Result<(FiveTuple, FiveTuple)> {
    // ANCHOR: solution
    let client = loopback::connect(listener.local_addr()?)?;
    let (server, _) = listener.accept()?;
    Ok((tuple::five(&client)?, tuple::five(&server)?))
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use sockbook::{loopback, ports, tuple};

    use super::both_ends;

    /// 两端看到的是同一条连接，只是本地和对方对调；服务器那一端用的是监听地址。
    #[test]
    fn the_two_ends_see_one_connection() {
        let listener = loopback::listener().unwrap();
        let (client, server) = both_ends(&listener).unwrap();
        assert_eq!(server, client.reversed());
        assert_eq!(client.protocol, libc::IPPROTO_TCP);
        assert_eq!(server.local, listener.local_addr().unwrap());
        // 客户端的端口是内核从临时端口范围里挑的
        let range = ports::ephemeral_range().unwrap();
        assert!(range.contains(&client.local.port()), "{client}");
    }

    /// 三条连接：服务器一端的三元组只有一个，就是监听套接字的；四元组有三个。
    #[test]
    fn connections_differ_only_by_the_peer() {
        let listener = loopback::listener().unwrap();
        let servers: Vec<_> = (0..3).map(|_| both_ends(&listener).unwrap().1).collect();
        let threes: HashSet<_> = servers.iter().map(|five| five.three()).collect();
        let fours: HashSet<_> = servers.iter().map(|five| five.four()).collect();
        assert_eq!(threes.len(), 1);
        assert!(threes.contains(&tuple::three(&listener).unwrap()));
        assert_eq!(fours.len(), 3);
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
