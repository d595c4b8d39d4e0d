// ANCHOR: all
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, AsRawFd};
use std::time::Instant;

use nix::errno::Errno;
use nix::fcntl::{fcntl, FcntlArg, OFlag};
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use nix::sys::socket::{recv, MsgFlags};
use sockbook::stream;
use sockbook::timeout::LIMIT;

/// 套接字是否处于非阻塞模式：描述符的 O_NONBLOCK 标志
fn nonblocking(socket: &impl AsFd) -> bool {
    let flags = OFlag::from_bits_truncate(fcntl(socket, FcntlArg::F_GETFL).unwrap());
    flags.contains(OFlag::O_NONBLOCK)
}

fn main() {
    // 在 Linux 上，EAGAIN 和 EWOULDBLOCK 是同一个错误码
    println!(
        "EAGAIN = {}, EWOULDBLOCK = {}",
        libc::EAGAIN,
        libc::EWOULDBLOCK
    );
    assert_eq!(libc::EAGAIN, libc::EWOULDBLOCK);

    let (client, server) = stream::pair().unwrap();
    let mut buf = [0; 64];

    // 1. 把整个套接字设为非阻塞：没有数据时 recv() 立刻失败
    server.set_nonblocking(true).unwrap();
    assert!(nonblocking(&server));
    let start = Instant::now();
    let err = (&server).read(&mut buf).unwrap_err();
    let waited = start.elapsed();
    println!("non-blocking recv(): {err} after {waited:?}");
    assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
    assert_eq!(err.raw_os_error(), Some(libc::EAGAIN));
    assert!(waited < LIMIT / 2, "waited {waited:?}"); // 没有理会 5 秒的 SO_RCVTIMEO

    // 2. 套接字仍是阻塞的，只让这一次调用不等：MSG_DONTWAIT
    server.set_nonblocking(false).unwrap();
    assert!(!nonblocking(&server));
    let once = recv(server.as_raw_fd(), &mut buf, MsgFlags::MSG_DONTWAIT);
    println!("recv(MSG_DONTWAIT): {once:?}");
    assert_eq!(once, Err(Errno::EAGAIN));
    assert!(!nonblocking(&server)); // 标志只作用于那一次调用

    // 3. 非阻塞套接字的常见用法：先用 poll() 等到“可读”，再 recv()
    server.set_nonblocking(true).unwrap();
    (&client).write_all(b"data").unwrap();
    let mut fds = [PollFd::new(server.as_fd(), PollFlags::POLLIN)];
    let ready = poll(&mut fds, PollTimeout::try_from(LIMIT).unwrap()).unwrap();
    assert_eq!(ready, 1);
    let n = (&server).read(&mut buf).unwrap();
    println!("after poll(): recv() returned {n} bytes");
    assert_eq!(&buf[..n], b"data");

    // 取完了，又回到“没有数据”：再次 EAGAIN
    let err = (&server).read(&mut buf).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
}
// ANCHOR_END: all
