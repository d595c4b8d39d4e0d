// ANCHOR: all
use std::io::{self, IoSlice, Read, Write};
use std::os::fd::AsRawFd;
use std::ptr;

use nix::errno::Errno;
use nix::sys::socket::{send, MsgFlags};
use sockbook::stream;

/// 只含 SIGPIPE 的信号集
fn sigpipe_only() -> libc::sigset_t {
    // SAFETY: sigemptyset 初始化整个集合，sigaddset 只加一个信号
    unsafe {
        let mut set = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGPIPE);
        set
    }
}

/// 本线程有没有一个挂起的 SIGPIPE；有就把它取走（sigtimedwait，零超时，不等）
fn took_sigpipe() -> bool {
    let set = sigpipe_only();
    let zero = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: set 和 zero 都是有效的；不需要 siginfo，传空指针
    unsafe { libc::sigtimedwait(&set, ptr::null_mut(), &zero) == libc::SIGPIPE }
}

fn main() {
    // 一条对方已经关闭、又回了 RST 的连接（同示例 13-9 的情形一）
    let (mut client, server) = stream::pair().unwrap();
    drop(server);
    assert_eq!(client.read(&mut [0; 8]).unwrap(), 0);
    client.write_all(b"are you there?").unwrap();
    stream::wait_for_hangup(&client).unwrap();
    let fd = client.as_raw_fd();

    // Rust 程序一启动，运行时就把 SIGPIPE 设为“忽略”
    // SAFETY: 只读取 SIGPIPE 当前的处理方式，不做修改
    let ignored = unsafe {
        let mut now: libc::sigaction = std::mem::zeroed();
        libc::sigaction(libc::SIGPIPE, ptr::null(), &mut now);
        now.sa_sigaction == libc::SIG_IGN
    };
    println!("SIGPIPE is ignored in this Rust program: {ignored}");
    assert!(ignored);

    // 被忽略的信号一产生就被丢弃。为了看见它，先在本线程屏蔽 SIGPIPE：被屏蔽的信号会挂起
    let set = sigpipe_only();
    // SAFETY: 只改本线程的信号屏蔽字
    assert_eq!(
        unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &set, ptr::null_mut()) },
        0
    );

    // 1. 普通的 write(2)：EPIPE，同时内核发出 SIGPIPE
    assert_eq!(nix::unistd::write(&client, b"x"), Err(Errno::EPIPE));
    let raised = took_sigpipe();
    println!("write(2): EPIPE, SIGPIPE raised: {raised}");
    assert!(raised);

    // 2. send(2) 带 MSG_NOSIGNAL：同样 EPIPE，但没有信号
    assert_eq!(send(fd, b"x", MsgFlags::MSG_NOSIGNAL), Err(Errno::EPIPE));
    let raised = took_sigpipe();
    println!("send(MSG_NOSIGNAL): EPIPE, SIGPIPE raised: {raised}");
    assert!(!raised);

    // 3. 标准库的 TcpStream::write 在 Linux 上正是 send(MSG_NOSIGNAL)
    let err = client.write(b"x").unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
    assert!(!took_sigpipe());

    // 4. 可 write_vectored 走的是 writev(2)，没有这个标志：信号照发，全靠“忽略”兜底
    let err = client.write_vectored(&[IoSlice::new(b"x")]).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
    let raised = took_sigpipe();
    println!("TcpStream::write_vectored: {err}, SIGPIPE raised: {raised}");
    assert!(raised);

    // SAFETY: 恢复本线程的信号屏蔽字
    assert_eq!(
        unsafe { libc::pthread_sigmask(libc::SIG_UNBLOCK, &set, ptr::null_mut()) },
        0
    );

    // 5. 不忽略 SIGPIPE 的程序（C 程序的默认设置）：write(2) 直接让进程终止
    // SAFETY: 此时进程只有一个线程
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        // 子进程：恢复默认处理方式，再写一次；活下来就以 0 退出
        // SAFETY: signal、write、_exit 都可以在 fork 之后的子进程里调用
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
            libc::write(fd, b"x".as_ptr().cast(), 1);
            libc::_exit(0);
        }
    }
    let mut status = 0;
    // SAFETY: pid 是我们自己的子进程
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    let killed_by = libc::WIFSIGNALED(status).then(|| libc::WTERMSIG(status));
    println!("a child with the default SIGPIPE action was killed by signal {killed_by:?}");
    assert_eq!(killed_by, Some(libc::SIGPIPE));
}
// ANCHOR_END: all
