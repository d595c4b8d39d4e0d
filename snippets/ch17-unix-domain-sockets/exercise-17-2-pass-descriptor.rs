// ANCHOR: all
//! 练习 17-2：经 Unix 域套接字递交一个打开的描述符（SCM_RIGHTS）。
use std::io::{self, IoSlice, IoSliceMut};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::net::UnixStream;

use nix::sys::socket::{recvmsg, sendmsg, ControlMessage, ControlMessageOwned, MsgFlags, UnixAddr};

/// 用 `sendmsg(2)` 在 `channel` 上发一个字节，附带一条 `SCM_RIGHTS` 控制
/// 消息，里面是描述符 `fd`（unix(7)）。
pub fn send_fd(channel: &UnixStream, fd: BorrowedFd<'_>) -> io::Result<()> {
    // ANCHOR: solution
    let fds = [fd.as_raw_fd()];
    let rights = [ControlMessage::ScmRights(&fds)];
    let data = [IoSlice::new(b"F")];
    sendmsg::<UnixAddr>(channel.as_raw_fd(), &data, &rights, MsgFlags::empty(), None)?;
    Ok(())
    // ANCHOR_END: solution
}

/// 用 `recvmsg(2)` 收下 `send_fd` 发来的描述符，交给调用者所有。收到的
/// 描述符要带 close-on-exec 标志（`MSG_CMSG_CLOEXEC`），和 Rust 打开的
/// 其他描述符一样。流已结束时返回 `UnexpectedEof`；收到的消息没有附带
/// 描述符时返回 `InvalidData`。
pub fn receive_fd(channel: &UnixStream) -> io::Result<OwnedFd> {
    // ANCHOR: solution
    let mut byte = [0];
    let mut data = [IoSliceMut::new(&mut byte)];
    let mut space = nix::cmsg_space!([RawFd; 1]);
    let fd = channel.as_raw_fd();
    let message = recvmsg::<UnixAddr>(fd, &mut data, Some(&mut space), MsgFlags::MSG_CMSG_CLOEXEC)?;
    if message.bytes == 0 {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    for cmsg in message.cmsgs()? {
        if let ControlMessageOwned::ScmRights(fds) = cmsg {
            // SAFETY: 内核刚为本进程装上这个描述符，没有别人拥有它
            return Ok(unsafe { OwnedFd::from_raw_fd(fds[0]) });
        }
    }
    Err(io::Error::new(io::ErrorKind::InvalidData, "no descriptor"))
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::fs::File;
    use std::io::{self, Read, Write};
    use std::net::TcpStream;
    use std::os::fd::AsFd;
    use std::os::unix::net::UnixStream;

    use nix::fcntl::{fcntl, FcntlArg, FdFlag};
    use sockbook::{reuse, stream, timeout};

    /// 一对 Unix 域字节流套接字，收发都有时限。
    fn channel() -> (UnixStream, UnixStream) {
        let (a, b) = UnixStream::pair().unwrap();
        timeout::bound(&a).unwrap();
        timeout::bound(&b).unwrap();
        (a, b)
    }

    /// 接受连接的一方把已连接的 TCP 套接字递给干活的一方，自己关掉它；
    /// 干活的一方收到的是同一个套接字（inode 相同），回信送到了客户手里。
    #[test]
    fn hands_over_a_tcp_connection() {
        let (mut client, served) = stream::pair().unwrap();
        let (acceptor, worker) = channel();
        let inode = reuse::inode(&served).unwrap();
        super::send_fd(&acceptor, served.as_fd()).unwrap();
        drop(served);

        let received = super::receive_fd(&worker).unwrap();
        let flags = FdFlag::from_bits_truncate(fcntl(&received, FcntlArg::F_GETFD).unwrap());
        assert!(flags.contains(FdFlag::FD_CLOEXEC));
        assert_eq!(reuse::inode(&received).unwrap(), inode);
        let mut served = TcpStream::from(received);
        assert_eq!(served.peer_addr().unwrap(), client.local_addr().unwrap());
        served.write_all(b"from the worker").unwrap();
        drop(served);
        let mut reply = String::new();
        client.read_to_string(&mut reply).unwrap();
        assert_eq!(reply, "from the worker");
    }

    /// 递一个管道的读端：写端写的，从收到的描述符读出来。
    #[test]
    fn hands_over_a_pipe() {
        let (reader, mut writer) = io::pipe().unwrap();
        let (a, b) = channel();
        super::send_fd(&a, reader.as_fd()).unwrap();
        drop(reader);
        writer.write_all(b"through the pipe").unwrap();
        drop(writer);
        let mut text = String::new();
        File::from(super::receive_fd(&b).unwrap())
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "through the pipe");
    }

    /// 只有数据、没有描述符的消息：InvalidData；对方关闭之后：UnexpectedEof。
    #[test]
    fn no_descriptor_and_no_more_messages() {
        let (mut a, b) = channel();
        a.write_all(b"x").unwrap();
        let err = super::receive_fd(&b).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        drop(a);
        let err = super::receive_fd(&b).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
