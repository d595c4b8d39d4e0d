// ANCHOR: all
use std::os::fd::AsRawFd;

use nix::errno::Errno;
use nix::sys::socket::{getpeername, SockaddrIn};
use sockbook::loopback;
use sockbook::timeout::LIMIT;

fn main() {
    let listener = loopback::listener().unwrap(); // 监听套接字
    let client = loopback::connect(listener.local_addr().unwrap()).unwrap();
    let (connected, peer) = listener.accept().unwrap(); // 已连接套接字

    println!("listening socket: fd {}", listener.as_raw_fd());
    println!("connected socket: fd {}", connected.as_raw_fd());
    // 两个不同的描述符……
    assert_ne!(listener.as_raw_fd(), connected.as_raw_fd());
    // ……却有同一个本地地址和端口
    let listening_addr = listener.local_addr().unwrap();
    let connected_addr = connected.local_addr().unwrap();
    println!("both are bound to {listening_addr} and {connected_addr}");
    assert_eq!(listening_addr, connected_addr);

    // 区别在对端：已连接套接字有对端，就是客户端
    assert_eq!(peer, client.local_addr().unwrap());
    assert_eq!(connected.peer_addr().unwrap(), peer);
    // 监听套接字没有对端：getpeername() 失败，ENOTCONN
    let err = getpeername::<SockaddrIn>(listener.as_raw_fd()).unwrap_err();
    assert_eq!(err, Errno::ENOTCONN);

    // 已连接套接字从监听套接字继承了选项，比如收发超时
    assert_eq!(connected.read_timeout().unwrap(), Some(LIMIT));
    assert_eq!(connected.write_timeout().unwrap(), Some(LIMIT));

    // 再接一个客户：又一个新描述符，本地地址仍然相同，对端不同
    let second = loopback::connect(listening_addr).unwrap();
    let (connected2, peer2) = listener.accept().unwrap();
    assert_ne!(connected2.as_raw_fd(), connected.as_raw_fd());
    assert_eq!(connected2.local_addr().unwrap(), listening_addr);
    assert_eq!(peer2, second.local_addr().unwrap());
    assert_ne!(peer2, peer);
}
// ANCHOR_END: all
