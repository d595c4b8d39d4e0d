// ANCHOR: all
//! 练习 12-1：看错误码，说出出了什么事。
use std::io;

/// 一次套接字调用失败的原因，按本章的分类。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// 对方回了 RST：端口上没有监听套接字（`ECONNREFUSED`）。
    Refused,
    /// 已建立的连接被对方用 RST 中止（`ECONNRESET`）。
    Reset,
    /// 地址和端口已被占用（`EADDRINUSE`）。
    InUse,
    /// 期限内没有回应：内核的 `ETIMEDOUT`，设了 `SO_SNDTIMEO` 的阻塞
    /// `connect()` 到期时的 `EINPROGRESS`，或标准库自己判定的超时。
    NoAnswer,
    /// 其他原因。
    Other,
}

/// 说出 `err` 属于哪一种。先看 `raw_os_error()` 给出的错误码；没有错误码的
/// （标准库自己造的错误），再看 `kind()`（示例 12-8、12-12）。
pub fn why(err: &io::Error) -> Why {
    // ANCHOR: solution
    match err.raw_os_error() {
        Some(libc::ECONNREFUSED) => Why::Refused,
        Some(libc::ECONNRESET) => Why::Reset,
        Some(libc::EADDRINUSE) => Why::InUse,
        Some(libc::ETIMEDOUT | libc::EINPROGRESS) => Why::NoAnswer,
        Some(_) => Why::Other,
        None if err.kind() == io::ErrorKind::TimedOut => Why::NoAnswer,
        None => Why::Other,
    }
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::io::{self, Read};
    use std::net::{SocketAddr, TcpListener, TcpStream};
    use std::time::Duration;

    use sockbook::reuse::{self, Reuse};
    use sockbook::{backlog, loopback};
    use socket2::{Domain, SockRef, Socket, Type};

    use super::Why;

    /// 一个 accept 队列已满的监听套接字（backlog 0，已有一个连接在排队）：
    /// 再来的 SYN 被默默丢掉，connect() 等不到回应（示例 12-1）。
    fn full_listener() -> (TcpListener, TcpStream, SocketAddr) {
        let listener = backlog::listener(0).unwrap();
        let addr = listener.local_addr().unwrap();
        let queued = loopback::connect(addr).unwrap();
        (listener, queued, addr)
    }

    #[test]
    fn connect_errors() {
        // 端口上没有监听套接字
        let (_held, closed) = loopback::closed_port().unwrap();
        let refused = loopback::connect(closed).unwrap_err();
        assert_eq!(super::why(&refused), Why::Refused);

        let (_listener, _queued, full) = full_listener();
        let limit = Duration::from_millis(50);
        // 标准库的 connect_timeout()：TimedOut，没有错误码
        let timed_out = TcpStream::connect_timeout(&full, limit).unwrap_err();
        assert_eq!(timed_out.raw_os_error(), None);
        assert_eq!(super::why(&timed_out), Why::NoAnswer);
        // 设了 SO_SNDTIMEO 的阻塞 connect()：到期时是 EINPROGRESS（示例 12-8）
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        socket.set_write_timeout(Some(limit)).unwrap();
        let in_progress = socket.connect(&full.into()).unwrap_err();
        assert_eq!(in_progress.raw_os_error(), Some(libc::EINPROGRESS));
        assert_eq!(super::why(&in_progress), Why::NoAnswer);
    }

    #[test]
    fn bind_and_read_errors() {
        let listener = loopback::listener().unwrap();
        let addr = listener.local_addr().unwrap();
        // 端口上有监听者
        let in_use = reuse::tcp(addr, Reuse::NONE).unwrap_err();
        assert_eq!(super::why(&in_use), Why::InUse);

        // SO_LINGER 为 0 的 close()：对方的 read() 得到 ECONNRESET（示例 12-2）
        let client = loopback::connect(addr).unwrap();
        let (mut served, _) = listener.accept().unwrap();
        SockRef::from(&client)
            .set_linger(Some(Duration::ZERO))
            .unwrap();
        drop(client);
        let reset = served.read(&mut [0; 1]).unwrap_err();
        assert_eq!(super::why(&reset), Why::Reset);

        // 绑定两次：EINVAL，不属于上面任何一种（示例 12-11）
        let socket = reuse::tcp(loopback::ANY_PORT, Reuse::NONE).unwrap();
        let twice = socket.bind(&loopback::ANY_PORT.into()).unwrap_err();
        assert_eq!(twice.kind(), io::ErrorKind::InvalidInput);
        assert_eq!(super::why(&twice), Why::Other);
        // 程序自己造的错误，没有错误码
        let made = io::Error::other("made up");
        assert_eq!(super::why(&made), Why::Other);
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
