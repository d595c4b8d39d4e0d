// ANCHOR: all
//! 练习 2-1：一个套接字用的是哪个协议，它在哪一层。
use std::io;
use std::os::fd::AsFd;

use sockbook::layers::{self, Protocol};
use socket2::SockRef;

/// 问内核 `socket` 用的是哪个协议（`SO_PROTOCOL`，socket2 的 `protocol()`），
/// 再到 `layers::PROTOCOLS` 里找出装在 IP 里、由这个协议号指明的那一项
/// （它的 `carrier.ip_protocol()` 就是这个号码）。表里没有的（比如 Unix 域套接字，
/// 它的协议号是 0），返回 `io::ErrorKind::NotFound` 错误。
pub fn protocol_of<S: AsFd>(socket: &S) -> io::Result<&'static Protocol> {
    // ANCHOR: solution
    let number = SockRef::from(socket).protocol()?.map_or(0, i32::from);
    layers::PROTOCOLS
        .iter()
        .find(|protocol| protocol.carrier.ip_protocol().map(i32::from) == Some(number))
        .ok_or_else(|| {
            let why = format!("IP protocol {number} is not in the table");
            io::Error::new(io::ErrorKind::NotFound, why)
        })
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::io;
    use std::os::unix::net::UnixStream;

    use sockbook::layers::TcpIp;
    use sockbook::{datagram, loopback, stream};

    use super::protocol_of;

    /// 监听套接字和已连接套接字都是 TCP，在传输层，由 IP 协议号 6 指明。
    #[test]
    fn tcp_sockets_are_tcp() {
        let listener = loopback::listener().unwrap();
        let (client, _server) = stream::pair().unwrap();
        for found in [protocol_of(&listener), protocol_of(&client)] {
            let tcp = found.unwrap();
            assert_eq!(tcp.name, "TCP");
            assert_eq!(tcp.layer, TcpIp::Transport);
            assert_eq!(tcp.carrier.ip_protocol(), Some(6));
        }
    }

    /// 数据报套接字是 UDP，协议号 17；它同样在内核里，应用层之下。
    #[test]
    fn udp_sockets_are_udp() {
        let udp = protocol_of(&datagram::bind().unwrap()).unwrap();
        assert_eq!(udp.name, "UDP");
        assert_eq!(udp.carrier.ip_protocol(), Some(17));
        assert!(udp.layer < TcpIp::Application && udp.layer.in_kernel());
    }

    /// Unix 域套接字不经过 IP：协议号是 0，表里找不到。
    #[test]
    fn unix_sockets_have_no_ip_protocol() {
        let (one, _other) = UnixStream::pair().unwrap();
        let err = protocol_of(&one).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::NotFound);
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
