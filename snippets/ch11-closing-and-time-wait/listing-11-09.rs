// ANCHOR: all
use std::io::{self, Read, Write};

use sockbook::loopback;
use sockbook::state::{self, State};

fn main() {
    let listener = loopback::listener().unwrap();
    let server_addr = listener.local_addr().unwrap();
    let port = server_addr.port();
    let client = loopback::connect(server_addr).unwrap();
    let (mut server, client_addr) = listener.accept().unwrap();

    // 服务器发来 6 个字节，客户端一个也不读
    server.write_all(b"unread").unwrap();
    state::wait_until(port, |sockets| {
        sockets
            .iter()
            .any(|s| s.local == client_addr && s.recv_queue == 6)
    })
    .unwrap();

    // 带着没读的数据 close()：内核丢掉数据，发 RST 而不是 FIN
    drop(client);
    let sockets = state::wait_until(port, |sockets| {
        !sockets
            .iter()
            .any(|s| s.local == client_addr || s.peer == client_addr)
    })
    .unwrap();
    // 客户端没有 TIME_WAIT；本地地址是服务器地址的，除了监听套接字什么也不剩
    assert!(sockets
        .iter()
        .filter(|s| s.local == server_addr)
        .all(|s| s.state == State::Listen));

    let err = server.read(&mut [0; 16]).unwrap_err();
    println!("read after the peer closed with unread data: {err}");
    assert_eq!(err.kind(), io::ErrorKind::ConnectionReset);
}
// ANCHOR_END: all
