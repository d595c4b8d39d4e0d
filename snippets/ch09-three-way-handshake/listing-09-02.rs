// ANCHOR: all
use std::io::{Read, Write};

use nix::sys::stat::fstat;
use sockbook::loopback;
use sockbook::state::{self, State, TcpSocket};

/// 像 ss 那样打印一行
fn show(s: &TcpSocket) {
    println!(
        "{:<8} recv-q {:<2} send-q {:<3} {:<16} {:<16} inode {}",
        s.state.ss_name(),
        s.recv_queue,
        s.send_queue,
        s.local,
        s.peer,
        s.inode
    );
}

fn main() {
    let listener = loopback::listener().unwrap();
    let server = listener.local_addr().unwrap();

    // 客户端连上并写 5 个字节；服务器一方什么也不做
    let mut client = loopback::connect(server).unwrap();
    client.write_all(b"hello").unwrap();
    let me = client.local_addr().unwrap();

    // 等内核把这 5 个字节放进服务器一端的接收队列
    let sockets = state::wait_until(server.port(), |sockets| {
        sockets
            .iter()
            .any(|s| s.local == server && s.peer == me && s.recv_queue == 5)
    })
    .unwrap();
    println!("before accept():");
    sockets.iter().for_each(show);
    let listening = sockets.iter().find(|s| s.state == State::Listen).unwrap();
    let server_end = sockets.iter().find(|s| s.peer == me).unwrap();
    let client_end = sockets.iter().find(|s| s.local == me).unwrap();
    // 两端都已 ESTABLISHED，数据在服务器一端的接收队列里
    assert_eq!(client_end.state, State::Established);
    assert_eq!(server_end.state, State::Established);
    assert_eq!(server_end.recv_queue, 5);
    // 监听套接字的接收队列就是 accept 队列：里面有 1 个连接
    assert_eq!(listening.recv_queue, 1);
    // 服务器一端还没有任何描述符指向它，所以 inode 是 0
    assert_eq!(server_end.inode, 0);

    // accept() 只是把这个现成的连接从队列里取出来，配上一个描述符
    let (mut conn, peer) = listener.accept().unwrap();
    assert_eq!(peer, me);
    // 取走之后：监听套接字的 accept 队列空了，它自己照旧在 LISTEN
    let after = state::on_port(server.port()).unwrap();
    println!("after accept():");
    after.iter().for_each(show);
    let listening = after.iter().find(|s| s.state == State::Listen).unwrap();
    let server_end = after.iter().find(|s| s.peer == me).unwrap();
    assert_eq!(listening.recv_queue, 0);
    // 还是同一个套接字，数据还在它的接收队列里；
    // 现在有描述符指向它了，inode 就是这个描述符的
    assert_eq!(server_end.state, State::Established);
    assert_eq!(server_end.recv_queue, 5);
    assert_eq!(u64::from(server_end.inode), fstat(&conn).unwrap().st_ino);
    let mut text = String::new();
    client.shutdown(std::net::Shutdown::Write).unwrap();
    conn.read_to_string(&mut text).unwrap();
    assert_eq!(text, "hello");
}
// ANCHOR_END: all
