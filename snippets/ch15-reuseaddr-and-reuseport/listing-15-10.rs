// ANCHOR: all
use std::io;

use sockbook::loopback;
use sockbook::reuse::{self, Reuse};

fn main() {
    // 1. 第一个已经在监听：第二个设了 SO_REUSEADDR 也绑不上同一地址和端口
    let first = reuse::listener(loopback::ANY_PORT, Reuse::ADDR).unwrap();
    let addr = first.local_addr().unwrap();
    let err = reuse::tcp(addr, Reuse::ADDR).unwrap_err();
    println!("bind() beside a listener: {err}");
    assert_eq!(err.kind(), io::ErrorKind::AddrInUse);

    // 2. 两个都还没监听：bind() 居然成功了……
    let a = reuse::tcp(loopback::ANY_PORT, Reuse::ADDR).unwrap();
    let addr = a.local_addr().unwrap().as_socket().unwrap();
    let b = reuse::tcp(addr, Reuse::ADDR).unwrap();
    assert_eq!(b.local_addr().unwrap().as_socket().unwrap(), addr);
    // ……但只有一个能成为服务器
    a.listen(128).unwrap();
    let err = b.listen(128).unwrap_err();
    println!("listen() on the duplicate: {err}");
    assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
}
// ANCHOR_END: all
