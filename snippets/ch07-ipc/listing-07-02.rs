// ANCHOR: all
use std::io::{self, IoSlice, IoSliceMut, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::net::UnixStream;

use nix::sys::socket::{recvmsg, sendmsg, ControlMessage, ControlMessageOwned, MsgFlags, UnixAddr};
use sockbook::descriptor::{self, Kind};
use sockbook::timeout;

/// 子进程做的事：回答自己的进程号，再把一个管道的读端递给父进程
fn child(mut socket: UnixStream) -> io::Result<()> {
    let mut question = [0; 3];
    socket.read_exact(&mut question)?;
    if &question != b"pid" {
        return Err(io::Error::other("unexpected question"));
    }
    socket.write_all(&std::process::id().to_be_bytes())?;

    // 新开一个管道，读端经套接字交出去（SCM_RIGHTS），自己往写端写
    let (reader, mut writer) = io::pipe()?;
    let fds = [reader.as_raw_fd()];
    let rights = [ControlMessage::ScmRights(&fds)];
    sendmsg::<UnixAddr>(
        socket.as_raw_fd(),
        &[IoSlice::new(b"fd")],
        &rights,
        MsgFlags::empty(),
        None,
    )?;
    drop(reader);
    writer.write_all(b"written by the child")?;
    Ok(())
}

fn main() {
    let (parent_end, child_end) = UnixStream::pair().unwrap();
    timeout::bound(&parent_end).unwrap();
    timeout::bound(&child_end).unwrap();

    // SAFETY: 此时进程只有一个线程
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        // 子进程：关掉父进程那一端，做完就退出
        drop(parent_end);
        let status = match child(child_end) {
            Ok(()) => 0,
            Err(_) => 1,
        };
        // SAFETY: _exit 不运行父进程留下的任何清理代码
        unsafe { libc::_exit(status) };
    }
    drop(child_end);
    let mut socket = parent_end;

    // 同一条连接上一问一答：双工的进程间通信
    socket.write_all(b"pid").unwrap();
    let mut answer = [0; 4];
    socket.read_exact(&mut answer).unwrap();
    let child_pid = u32::from_be_bytes(answer);
    println!("parent {} talked to child {child_pid}", std::process::id());
    assert_eq!(child_pid, pid as u32);
    assert_ne!(child_pid, std::process::id());

    // 收下子进程递来的描述符
    let mut tag = [0; 2];
    let mut iov = [IoSliceMut::new(&mut tag)];
    let mut space = nix::cmsg_space!([std::os::fd::RawFd; 1]);
    let msg = recvmsg::<UnixAddr>(
        socket.as_raw_fd(),
        &mut iov,
        Some(&mut space),
        MsgFlags::empty(),
    )
    .unwrap();
    let mut received = None;
    for cmsg in msg.cmsgs().unwrap() {
        if let ControlMessageOwned::ScmRights(fds) = cmsg {
            // SAFETY: 内核刚为本进程装上这个描述符，归我们所有
            received = Some(unsafe { OwnedFd::from_raw_fd(fds[0]) });
        }
    }
    assert_eq!(&tag, b"fd");
    let received = received.expect("an SCM_RIGHTS message");
    // 它是子进程那个管道的读端：子进程写的，父进程从这里读到
    assert_eq!(descriptor::kind(&received).unwrap(), Kind::Pipe);
    let mut text = String::new();
    std::fs::File::from(received)
        .read_to_string(&mut text)
        .unwrap();
    assert_eq!(text, "written by the child");

    // 子进程正常退出
    let mut status = 0;
    // SAFETY: pid 是我们自己的子进程
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
}
// ANCHOR_END: all
