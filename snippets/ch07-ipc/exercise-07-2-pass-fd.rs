// ANCHOR: all
//! 练习 7-2：经 Unix 域套接字递送打开的文件描述符（SCM_RIGHTS）。
use std::io::{self, IoSlice, IoSliceMut};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::net::UnixStream;

use nix::sys::socket::{recvmsg, sendmsg, ControlMessage, ControlMessageOwned, MsgFlags, UnixAddr};

/// 用 `sendmsg(2)` 把描述符 `fd` 递给 `socket` 的另一端：
/// 带一个字节的普通数据，再附一条 `SCM_RIGHTS` 控制消息（unix(7)）。
pub fn send_fd(socket: &UnixStream, fd: BorrowedFd<'_>) -> io::Result<()> {
    // ANCHOR: solution
    let fds = [fd.as_raw_fd()];
    sendmsg::<UnixAddr>(
        socket.as_raw_fd(),
        &[IoSlice::new(b"!")],
        &[ControlMessage::ScmRights(&fds)],
        MsgFlags::empty(),
        None,
    )?;
    Ok(())
    // ANCHOR_END: solution
}

/// 用 `recvmsg(2)` 收下 `send_fd` 递来的描述符，交给调用者管理。
/// 没有收到 `SCM_RIGHTS` 时，返回 `InvalidData` 错误。
pub fn recv_fd(socket: &UnixStream) -> io::Result<OwnedFd> {
    // ANCHOR: solution
    let mut byte = [0; 1];
    let mut iov = [IoSliceMut::new(&mut byte)];
    let mut space = nix::cmsg_space!([RawFd; 1]);
    let msg = recvmsg::<UnixAddr>(
        socket.as_raw_fd(),
        &mut iov,
        Some(&mut space),
        MsgFlags::empty(),
    )?;
    for cmsg in msg.cmsgs()? {
        if let ControlMessageOwned::ScmRights(fds) = cmsg {
            if let Some(&fd) = fds.first() {
                // SAFETY: 内核刚为本进程装上这个描述符，没有别人拥有它
                return Ok(unsafe { OwnedFd::from_raw_fd(fd) });
            }
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidData,
        "no SCM_RIGHTS message",
    ))
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::io::{self, Read, Write};
    use std::net::TcpListener;
    use std::os::fd::AsFd;
    use std::os::unix::net::UnixStream;
    use std::thread;

    use nix::sys::stat::fstat;
    use sockbook::descriptor::{self, Kind};
    use sockbook::{loopback, timeout};

    fn bounded_pair() -> (UnixStream, UnixStream) {
        let (a, b) = UnixStream::pair().unwrap();
        timeout::bound(&a).unwrap();
        timeout::bound(&b).unwrap();
        (a, b)
    }

    /// 管道的读端递过去，原来的关掉：从收到的描述符里读出写端写的话。
    #[test]
    fn a_pipe_end_crosses_over() {
        let (a, b) = bounded_pair();
        let (reader, mut writer) = io::pipe().unwrap();
        let inode = fstat(&reader).unwrap().st_ino;
        super::send_fd(&a, reader.as_fd()).unwrap();
        drop(reader);
        let received = super::recv_fd(&b).unwrap();
        // 号码可以不同，打开的却是同一根管道
        assert_eq!(descriptor::kind(&received).unwrap(), Kind::Pipe);
        assert_eq!(fstat(&received).unwrap().st_ino, inode);
        writer.write_all(b"through the socket").unwrap();
        drop(writer);
        let mut text = String::new();
        std::fs::File::from(received)
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "through the socket");
    }

    /// 监听套接字递给另一个线程，由它接待客户：同一个端口，同一个套接字。
    #[test]
    fn a_listener_crosses_to_a_worker() {
        let (a, b) = bounded_pair();
        let worker = thread::spawn(move || -> io::Result<_> {
            let listener = TcpListener::from(super::recv_fd(&b)?);
            let (mut conn, _) = listener.accept()?;
            conn.write_all(b"served by the worker")?;
            listener.local_addr()
        });
        let listener = loopback::listener().unwrap();
        let addr = listener.local_addr().unwrap();
        super::send_fd(&a, listener.as_fd()).unwrap();
        // 本线程不再持有它：只剩工作线程手里那个描述符
        drop(listener);
        let mut client = loopback::connect(addr).unwrap();
        let mut reply = String::new();
        client.read_to_string(&mut reply).unwrap();
        assert_eq!(reply, "served by the worker");
        assert_eq!(worker.join().unwrap().unwrap(), addr);
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
