// ANCHOR: all
use std::fs;
use std::io::{Read, Write};
use std::os::fd::{AsFd, AsRawFd};

use nix::errno::Errno;
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use nix::sys::socket::{recv, MsgFlags};
use sockbook::descriptor::{self, Kind};
use sockbook::{loopback, timeout};

/// 本进程现有几个线程：/proc/self/task 下每个线程一项（proc(5)）。
fn threads() -> usize {
    fs::read_dir("/proc/self/task").unwrap().count()
}

fn main() {
    // 整个程序只有这一个线程：服务器和客户端都在 main 里
    let listener = loopback::listener().unwrap();
    let before = threads();
    println!("threads at the start: {before}");
    assert_eq!(before, 1);

    // connect() 返回时，服务器程序还一行代码都没执行过
    let mut client = loopback::connect(listener.local_addr().unwrap()).unwrap();
    // 握手已由内核完成：客户端知道了对方，甚至可以先把数据发出去
    assert_eq!(client.peer_addr().unwrap(), listener.local_addr().unwrap());
    client.write_all(b"early").unwrap();

    // 监听套接字报告：一个已完成握手的连接在队列里等着被取走
    let mut listening = [PollFd::new(listener.as_fd(), PollFlags::POLLIN)];
    let ready = poll(
        &mut listening,
        PollTimeout::try_from(timeout::LIMIT).unwrap(),
    )
    .unwrap();
    assert_eq!(ready, 1);
    assert!(listening[0].revents().unwrap().contains(PollFlags::POLLIN));

    // 客户端没有收到任何东西，更没有什么“服务器端 socket 的描述”
    let mut peek = [0; 16];
    let nothing = recv(
        client.as_raw_fd(),
        &mut peek,
        MsgFlags::MSG_PEEK | MsgFlags::MSG_DONTWAIT,
    );
    assert_eq!(nothing.err(), Some(Errno::EAGAIN));

    // 现在才 accept：在同一个线程里返回一个新的描述符
    let (mut conn, peer) = listener.accept().unwrap();
    println!(
        "listening socket {}, accept gave {}",
        listener.as_raw_fd(),
        conn.as_raw_fd()
    );
    assert_ne!(conn.as_raw_fd(), listener.as_raw_fd());
    assert_eq!(descriptor::kind(&conn).unwrap(), Kind::Socket);
    assert_eq!(peer, client.local_addr().unwrap());
    // 新套接字和监听套接字用同一个本地地址和端口
    assert_eq!(conn.local_addr().unwrap(), listener.local_addr().unwrap());

    // accept 之前发出的数据早已在内核里排着队
    let mut early = [0; 5];
    conn.read_exact(&mut early).unwrap();
    assert_eq!(&early, b"early");

    // 线程数从头到尾没有变：accept 不创建线程
    let after = threads();
    println!("threads after accept: {after}");
    assert_eq!(after, before);

    // accept 之后客户端依然什么也没收到，它眼中的对方也还是那个监听地址
    assert_eq!(client.peer_addr().unwrap(), listener.local_addr().unwrap());
    let nothing = recv(
        client.as_raw_fd(),
        &mut peek,
        MsgFlags::MSG_PEEK | MsgFlags::MSG_DONTWAIT,
    );
    assert_eq!(nothing.err(), Some(Errno::EAGAIN));
}
// ANCHOR_END: all
