// ANCHOR: all
//! 练习 12-2：有期限的 connect()，说清楚是连上了、被拒绝了，还是没有回应。
use std::io;
use std::net::{SocketAddr, TcpStream};
use std::os::fd::AsFd;
use std::time::Duration;

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use sockbook::timeout;
use socket2::{Domain, Socket, Type};

/// 一次 connect 的结果。
#[derive(Debug)]
pub enum Outcome {
    /// 连上了：读写都有时限的连接。
    Connected(TcpStream),
    /// 对方回了 RST（`ECONNREFUSED`）。
    Refused,
    /// 期限内没有回应。
    NoAnswer,
}

/// 连接 `addr`，最多等 `limit`：照示例 12-8 的做法，用非阻塞的 `connect()`
/// （`EINPROGRESS`），再用 `poll(2)` 等套接字可写，最后从 `SO_ERROR` 读出结果。
/// 被拒绝要立即报告，不要等到期限；其他错误原样返回。
pub fn connect_within(addr: SocketAddr, limit: Duration) -> io::Result<Outcome> {
    // ANCHOR: solution
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    socket.set_nonblocking(true)?;
    let refused = |err: io::Error| match err.raw_os_error() {
        Some(libc::ECONNREFUSED) => Ok(Outcome::Refused),
        _ => Err(err),
    };
    match socket.connect(&addr.into()) {
        Ok(()) => {}
        Err(err) if err.raw_os_error() == Some(libc::EINPROGRESS) => {
            let timeout = PollTimeout::try_from(limit).unwrap_or(PollTimeout::MAX);
            let mut fds = [PollFd::new(socket.as_fd(), PollFlags::POLLOUT)];
            if poll(&mut fds, timeout)? == 0 {
                return Ok(Outcome::NoAnswer);
            }
            if let Some(err) = socket.take_error()? {
                return refused(err);
            }
        }
        Err(err) => return refused(err),
    }
    socket.set_nonblocking(false)?;
    timeout::bound(&socket)?;
    Ok(Outcome::Connected(socket.into()))
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use sockbook::{backlog, loopback};

    use super::Outcome;

    const LIMIT: Duration = Duration::from_millis(100);

    /// 有人监听：连上了，连接的读写有时限，服务器取到的正是它。
    #[test]
    fn connects_to_a_listener() {
        let listener = loopback::listener().unwrap();
        let addr = listener.local_addr().unwrap();
        let Outcome::Connected(stream) = super::connect_within(addr, LIMIT).unwrap() else {
            panic!("not connected");
        };
        assert_eq!(stream.peer_addr().unwrap(), addr);
        assert!(stream.read_timeout().unwrap().is_some());
        assert!(stream.write_timeout().unwrap().is_some());
        let (_, peer) = listener.accept().unwrap();
        assert_eq!(peer, stream.local_addr().unwrap());
    }

    /// 没有监听套接字：立即报告被拒绝，不等到期限。
    #[test]
    fn reports_a_refusal_at_once() {
        let (_held, addr) = loopback::closed_port().unwrap();
        let start = Instant::now();
        let outcome = super::connect_within(addr, Duration::from_secs(2)).unwrap();
        assert!(matches!(outcome, Outcome::Refused), "{outcome:?}");
        let waited = start.elapsed();
        assert!(waited < Duration::from_secs(1), "{waited:?}");
    }

    /// accept 队列已满，SYN 被默默丢掉（示例 12-1）：到了期限才报告没有回应。
    #[test]
    fn gives_up_at_the_limit() {
        let listener = backlog::listener(0).unwrap();
        let addr = listener.local_addr().unwrap();
        let _queued = loopback::connect(addr).unwrap();
        let start = Instant::now();
        let outcome = super::connect_within(addr, LIMIT).unwrap();
        let waited = start.elapsed();
        assert!(matches!(outcome, Outcome::NoAnswer), "{outcome:?}");
        // 只断言下限：机器忙时醒得晚是正常的
        assert!(waited >= LIMIT * 3 / 4, "{waited:?}");
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
