// ANCHOR: all
//! 练习 1-2：像 lsof 那样，说出一个描述符背后是什么。
use std::io;
use std::os::fd::BorrowedFd;

use sockbook::descriptor::{self, Kind};
use socket2::{Protocol, SockRef};

/// 描述 `fd` 背后的东西，写成一行：
/// - 不是套接字（`descriptor::kind`，即 fstat(2)）：`file NAME`，NAME 是
///   `/proc/self/fd/N` 指向的名字（`descriptor::target`）；
/// - TCP 或 UDP 套接字：`tcp LOCAL` 或 `udp LOCAL`，协议来自 `SO_PROTOCOL`，
///   LOCAL 来自 getsockname(2)；已连接的再加上 ` -> PEER`（getpeername(2)），
///   例如 `tcp 127.0.0.1:40000 -> 127.0.0.1:5000`；
/// - 别的套接字（比如 Unix 域套接字）：返回 `io::ErrorKind::Unsupported` 错误。
pub fn describe(fd: BorrowedFd<'_>) -> io::Result<String> {
    // ANCHOR: solution
    if descriptor::kind(&fd)? != Kind::Socket {
        return Ok(format!("file {}", descriptor::target(&fd)?.display()));
    }
    let socket = SockRef::from(&fd);
    let name = match socket.protocol()? {
        Some(Protocol::TCP) => "tcp",
        Some(Protocol::UDP) => "udp",
        other => {
            let why = format!("not a TCP or UDP socket: {other:?}");
            return Err(io::Error::new(io::ErrorKind::Unsupported, why));
        }
    };
    let local = socket.local_addr()?.as_socket().unwrap();
    match socket.peer_addr() {
        Ok(peer) => Ok(format!("{name} {local} -> {}", peer.as_socket().unwrap())),
        Err(err) if err.kind() == io::ErrorKind::NotConnected => Ok(format!("{name} {local}")),
        Err(err) => Err(err),
    }
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::fs::File;
    use std::io;
    use std::net::UdpSocket;
    use std::os::fd::AsFd;
    use std::os::unix::net::UnixDatagram;

    use sockbook::loopback;

    use super::describe;

    /// 一条连接的两端各是一个套接字，互为对方；监听套接字没有对方。
    #[test]
    fn describes_both_ends_of_a_connection() {
        let listener = loopback::listener().unwrap();
        let server = listener.local_addr().unwrap();
        let client = loopback::connect(server).unwrap();
        let (served, peer) = listener.accept().unwrap();
        assert_eq!(describe(listener.as_fd()).unwrap(), format!("tcp {server}"));
        assert_eq!(
            describe(client.as_fd()).unwrap(),
            format!("tcp {peer} -> {server}")
        );
        assert_eq!(
            describe(served.as_fd()).unwrap(),
            format!("tcp {server} -> {peer}")
        );
    }

    /// UDP 套接字 connect 之前没有对方，之后有；设备文件报出它的路径。
    #[test]
    fn describes_udp_sockets_and_files() {
        let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
        let other = UdpSocket::bind("127.0.0.1:0").unwrap();
        let (mine, theirs) = (udp.local_addr().unwrap(), other.local_addr().unwrap());
        assert_eq!(describe(udp.as_fd()).unwrap(), format!("udp {mine}"));
        udp.connect(theirs).unwrap();
        assert_eq!(
            describe(udp.as_fd()).unwrap(),
            format!("udp {mine} -> {theirs}")
        );
        let null = File::open("/dev/null").unwrap();
        assert_eq!(describe(null.as_fd()).unwrap(), "file /dev/null");
    }

    /// Unix 域套接字不是 TCP，也不是 UDP。
    #[test]
    fn refuses_other_sockets() {
        let unix = UnixDatagram::unbound().unwrap();
        let err = describe(unix.as_fd()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::Unsupported);
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
