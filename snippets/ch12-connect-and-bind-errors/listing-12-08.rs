// ANCHOR: all
use std::io;
use std::net::{SocketAddr, TcpStream};
use std::os::fd::AsFd;
use std::time::{Duration, Instant};

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use sockbook::netns::{self, Unavailable};
use sockbook::state::{self, State};
use sockbook::{errors, loopback, timeout};
use socket2::{Domain, Socket, Type};

/// 等 socket 变得可写，最多 limit；返回 poll 报告的事件
fn wait_writable(socket: &Socket, limit: Duration) -> PollFlags {
    let mut fds = [PollFd::new(socket.as_fd(), PollFlags::POLLOUT)];
    poll(&mut fds, PollTimeout::try_from(limit).unwrap()).unwrap();
    fds[0].revents().unwrap()
}

/// 一个非阻塞的 TCP 套接字
fn non_blocking() -> Socket {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    socket.set_nonblocking(true).unwrap();
    socket
}

/// ErrorKind 的名字。InProgress 在稳定版 Rust 里还不能直接写出来，
/// EALREADY 和 EISCONN 则根本没有自己的 ErrorKind（Uncategorized）
fn kind_name(err: &io::Error) -> String {
    format!("{:?}", err.kind())
}

fn main() {
    // 1. 对面有人听：EINPROGRESS，可写之后 SO_ERROR 为 0，就是连上了
    let listener = loopback::listener().unwrap();
    let addr = listener.local_addr().unwrap().into();
    let socket = non_blocking();
    let err = socket.connect(&addr).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EINPROGRESS));
    assert_eq!(kind_name(&err), "InProgress");
    assert_eq!(wait_writable(&socket, timeout::LIMIT), PollFlags::POLLOUT);
    assert!(socket.take_error().unwrap().is_none());
    // Linux 的一个细节：连上之后再调一次 connect 返回成功，第二次才是 EISCONN
    socket.connect(&addr).unwrap();
    let err = socket.connect(&addr).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EISCONN));
    assert_eq!(kind_name(&err), "Uncategorized");

    // 2. 对面没人听：connect 照样先说 EINPROGRESS，拒绝经 SO_ERROR 送来
    let (_held, nobody) = loopback::closed_port().unwrap();
    let socket = non_blocking();
    let err = socket.connect(&nobody.into()).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EINPROGRESS));
    let events = wait_writable(&socket, timeout::LIMIT);
    println!("refused: poll reports {events:?}");
    assert!(events.contains(PollFlags::POLLOUT | PollFlags::POLLERR | PollFlags::POLLHUP));
    let err = socket.take_error().unwrap().unwrap();
    assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
    // 失败过的套接字再 connect：ECONNABORTED。该关掉它，另开一个
    let err = socket.connect(&nobody.into()).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::ECONNABORTED));
    assert_eq!(err.kind(), io::ErrorKind::ConnectionAborted);

    // 3. 对面永远不回应（在私有命名空间里造一个这样的地址）
    let outcome = netns::isolated(|| -> Result<(), Unavailable> {
        let silent = SocketAddr::from((errors::silent_host()?, 80));
        let socket = non_blocking();
        let err = socket.connect(&silent.into()).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EINPROGRESS));
        // 握手还没完成，再 connect：EALREADY
        let err = socket.connect(&silent.into()).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EALREADY));
        assert_eq!(kind_name(&err), "Uncategorized");
        assert!(wait_writable(&socket, Duration::ZERO).is_empty()); // 还不可写

        // 阻塞的 connect 由 SO_SNDTIMEO 限时：到时返回的也是 EINPROGRESS
        let bounded = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        let limit = Duration::from_millis(50);
        bounded.set_write_timeout(Some(limit)).unwrap();
        let start = Instant::now();
        let err = bounded.connect(&silent.into()).unwrap_err();
        let took = start.elapsed();
        println!("blocking connect, SO_SNDTIMEO {limit:?}: {err} after {took:?}");
        assert_eq!(err.raw_os_error(), Some(libc::EINPROGRESS));
        assert!(took >= limit, "{took:?}");
        // 而内核还在后台继续尝试
        let local = bounded.local_addr().unwrap().as_socket().unwrap();
        let seen = state::find(local, silent).unwrap().unwrap();
        assert_eq!(seen.state, State::SynSent);

        // 标准库的 connect_timeout 到期时自己报 TimedOut，这个错误没有 errno
        let err = TcpStream::connect_timeout(&silent, limit).unwrap_err();
        println!("connect_timeout: {err}");
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert_eq!(err.raw_os_error(), None);
        Ok(())
    });
    if let Err(why) = outcome.and_then(|inner| inner) {
        netns::skip("connecting to a silent host", &why);
    }
}
// ANCHOR_END: all
