// ANCHOR: all
use std::io;
use std::net::SocketAddr;

use sockbook::loopback;
use sockbook::reuse::{self, Reuse};

fn main() {
    let first_server = loopback::listener().unwrap();
    let second_server = loopback::listener().unwrap();
    let to_first: SocketAddr = first_server.local_addr().unwrap();
    let to_second: SocketAddr = second_server.local_addr().unwrap();

    // 三个都设了 SO_REUSEADDR、都不监听的套接字，绑定同一个本地地址和端口
    let a = reuse::tcp(loopback::ANY_PORT, Reuse::ADDR).unwrap();
    let local = a.local_addr().unwrap().as_socket().unwrap();
    let b = reuse::tcp(local, Reuse::ADDR).unwrap();
    let c = reuse::tcp(local, Reuse::ADDR).unwrap();

    // a 连第一个服务器：成功
    a.connect(&to_first.into()).unwrap();
    // b 也连第一个服务器：四元组和 a 完全相同，内核拒绝
    let err = b.connect(&to_first.into()).unwrap_err();
    println!("{local} -> {to_first} a second time: {err}");
    assert_eq!(err.kind(), io::ErrorKind::AddrNotAvailable);
    // c 连第二个服务器：四元组不同，成功
    c.connect(&to_second.into()).unwrap();

    // 两个服务器看到的对方，是同一个地址和端口
    assert_eq!(first_server.accept().unwrap().1, local);
    assert_eq!(second_server.accept().unwrap().1, local);
}
// ANCHOR_END: all
