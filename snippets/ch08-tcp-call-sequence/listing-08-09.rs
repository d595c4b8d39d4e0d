// ANCHOR: all
use std::io::{Read, Write};

use sockbook::loopback;

fn main() {
    // 只有一个线程：下面的 connect() 返回时，不可能有谁调用过 accept()
    let listener = loopback::listener().unwrap();
    let mut client = loopback::connect(listener.local_addr().unwrap()).unwrap();
    println!("connect() returned; accept() has not been called");

    // 连接已经建立：客户端知道对端，还能写数据
    assert_eq!(client.peer_addr().unwrap(), listener.local_addr().unwrap());
    client.write_all(b"written before accept()").unwrap();
    client.shutdown(std::net::Shutdown::Write).unwrap(); // 告诉对方：写完了

    // 服务器这时才 accept()，数据早已在内核里等着它
    let (mut connected, peer) = listener.accept().unwrap();
    assert_eq!(peer, client.local_addr().unwrap());
    let mut text = String::new();
    connected.read_to_string(&mut text).unwrap();
    println!("the late accept() read {text:?}");
    assert_eq!(text, "written before accept()");
}
// ANCHOR_END: all
