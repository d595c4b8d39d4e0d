// ANCHOR: all
use std::fs;
use std::io::{self, IoSlice, IoSliceMut};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::linux::net::SocketAddrExt;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::{SocketAddr, UnixListener};
use std::path::Path;

use nix::errno::Errno;
use nix::sys::socket::{
    connect, getsockopt, recvmsg, sendmsg, setsockopt, socket, socketpair, sockopt, AddressFamily,
    ControlMessageOwned, MsgFlags, SockFlag, SockType, UnixAddr,
};
use sockbook::{loopback, netns, timeout};

/// 子进程要变成的用户和组：nobody / nogroup
const NOBODY: u32 = 65534;

/// 一个绑定了名字的监听套接字，accept() 有时限
fn listen_at(addr: &SocketAddr) -> UnixListener {
    let listener = UnixListener::bind_addr(addr).unwrap();
    timeout::bound(&listener).unwrap();
    listener
}

/// 子进程里：以 nobody 的身份连接 addr，返回 0 或错误码
fn try_connect(addr: &UnixAddr) -> i32 {
    let attempt = socket(
        AddressFamily::Unix,
        SockType::Stream,
        SockFlag::empty(),
        None,
    )
    .and_then(|fd| {
        timeout::bound(&fd).map_err(|_| Errno::EIO)?;
        connect(fd.as_raw_fd(), addr)
    });
    match attempt {
        Ok(()) => 0,
        Err(errno) => errno as i32,
    }
}

/// 子进程做的事：先变成 nobody，再分别连三个监听套接字，把三个结果报告给父进程
fn child(report: &OwnedFd, locked: &Path, open: &Path, name: &[u8]) -> nix::Result<()> {
    // SAFETY: 子进程只有一个线程；setgid、setuid 只改变本进程的身份
    if unsafe { libc::setgid(NOBODY) } != 0 || unsafe { libc::setuid(NOBODY) } != 0 {
        return Err(Errno::last());
    }
    let results = [
        try_connect(&UnixAddr::new(locked)?),
        try_connect(&UnixAddr::new(open)?),
        try_connect(&UnixAddr::new_abstract(name)?),
    ];
    let mut message = Vec::new();
    for result in results {
        message.extend_from_slice(&result.to_be_bytes());
    }
    // 不附带任何凭据：内核会替发送者填上真实的 pid、uid、gid
    sendmsg::<UnixAddr>(
        report.as_raw_fd(),
        &[IoSlice::new(&message)],
        &[],
        MsgFlags::empty(),
        None,
    )?;
    Ok(())
}

fn main() {
    // 先看对照：回环 TCP 连接上也能读 SO_PEERCRED，但内核没有记下对方是谁：
    // pid 是 0，uid 和 gid 是 -1
    let tcp = loopback::listener().unwrap();
    let _client = loopback::connect(tcp.local_addr().unwrap()).unwrap();
    let (served, _) = tcp.accept().unwrap();
    let unknown = getsockopt(&served, sockopt::PeerCredentials).unwrap();
    assert_eq!(
        (unknown.pid(), unknown.uid(), unknown.gid()),
        (0, u32::MAX, u32::MAX)
    );

    // SAFETY: geteuid 总是成功
    if unsafe { libc::geteuid() } != 0 {
        let why = netns::Unavailable("becoming another user needs root".into());
        return netns::skip("a client of another user", &why);
    }
    let me = std::process::id();

    // nobody 要能走进这个目录：放在人人可进的 /tmp 下，目录权限 755
    let dir = tempfile::tempdir_in("/tmp").unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    // 两个路径名套接字：locked 只有属主能写，open 谁都能写
    let locked_path = dir.path().join("locked.sock");
    let open_path = dir.path().join("open.sock");
    let locked = listen_at(&SocketAddr::from_pathname(&locked_path).unwrap());
    let open = listen_at(&SocketAddr::from_pathname(&open_path).unwrap());
    fs::set_permissions(&locked_path, fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&open_path, fs::Permissions::from_mode(0o777)).unwrap();
    // 一个抽象名字的套接字：它没有文件，也就没有文件权限
    let name = format!("sockbook-ch17-{me}-credentials");
    let hidden = listen_at(&SocketAddr::from_abstract_name(&name).unwrap());

    // 一对顺序包套接字，子进程用它回报结果；父进程这端打开 SO_PASSCRED
    let (parent_end, child_end) = socketpair(
        AddressFamily::Unix,
        SockType::SeqPacket,
        None,
        SockFlag::SOCK_CLOEXEC,
    )
    .unwrap();
    timeout::bound(&parent_end).unwrap();
    timeout::bound(&child_end).unwrap();
    setsockopt(&parent_end, sockopt::PassCred, &true).unwrap();

    // SAFETY: 此时进程只有一个线程
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        drop(parent_end);
        let status = match child(&child_end, &locked_path, &open_path, name.as_bytes()) {
            Ok(()) => 0,
            Err(_) => 1,
        };
        // SAFETY: _exit 不运行任何析构，不会删掉父进程的临时目录
        unsafe { libc::_exit(status) };
    }
    drop(child_end);
    let child_pid = pid as u32;

    // 收下子进程的报告，和内核附上的发送者凭据（SCM_CREDENTIALS）
    let mut report = [0u8; 12];
    let mut iov = [IoSliceMut::new(&mut report)];
    let mut space = nix::cmsg_space!(libc::ucred);
    let msg = recvmsg::<UnixAddr>(
        parent_end.as_raw_fd(),
        &mut iov,
        Some(&mut space),
        MsgFlags::empty(),
    )
    .unwrap();
    assert_eq!(msg.bytes, 12);
    let mut sender = None;
    for cmsg in msg.cmsgs().unwrap() {
        if let ControlMessageOwned::ScmCredentials(creds) = cmsg {
            sender = Some((creds.pid() as u32, creds.uid(), creds.gid()));
        }
    }
    let result = |i: usize| i32::from_be_bytes(report[4 * i..4 * i + 4].try_into().unwrap());
    let (to_locked, to_open, to_hidden) = (result(0), result(1), result(2));
    println!("as nobody: locked.sock {to_locked}, open.sock {to_open}, abstract {to_hidden}");

    // 没有写权限，连不上：EACCES；有写权限的、抽象名字的，都连上了
    assert_eq!(to_locked, libc::EACCES);
    assert_eq!((to_open, to_hidden), (0, 0));
    // 每条消息都带着发送者此刻的身份：子进程的 pid，nobody 的 uid 和 gid
    assert_eq!(sender, Some((child_pid, NOBODY, NOBODY)));

    // SO_PEERCRED：accept() 得到的连接，对方是谁
    for listener in [&open, &hidden] {
        let (served, _) = listener.accept().unwrap();
        let peer = getsockopt(&served, sockopt::PeerCredentials).unwrap();
        println!(
            "SO_PEERCRED: pid {} uid {} gid {}",
            peer.pid(),
            peer.uid(),
            peer.gid()
        );
        assert_eq!(
            (peer.pid() as u32, peer.uid(), peer.gid()),
            (child_pid, NOBODY, NOBODY)
        );
    }
    // locked 的队列里什么也没有
    locked.set_nonblocking(true).unwrap();
    assert_eq!(
        locked.accept().unwrap_err().kind(),
        io::ErrorKind::WouldBlock
    );

    // socketpair 的 SO_PEERCRED 是创建那一刻的快照：另一端虽已在 nobody 的子进程手里，
    // 报告的仍是创建它的父进程和 root
    let pair = getsockopt(&parent_end, sockopt::PeerCredentials).unwrap();
    // SAFETY: getuid、getgid 总是成功
    let (uid, gid) = unsafe { (libc::getuid(), libc::getgid()) };
    assert_eq!((pair.pid() as u32, pair.uid(), pair.gid()), (me, uid, gid));

    // 子进程正常退出
    let mut status = 0;
    // SAFETY: pid 是我们自己的子进程
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0);
}
// ANCHOR_END: all
