// ANCHOR: all
use std::io::IoSliceMut;
use std::os::fd::AsRawFd;

use nix::sys::socket::{recv, recvmsg, MsgFlags, SockaddrIn};
use sockbook::datagram;

fn main() {
    let rx = datagram::bind().unwrap();
    let tx = datagram::bind().unwrap();
    let to = rx.local_addr().unwrap();
    let big: Vec<u8> = (0..100).collect(); // 一个 100 字节的数据报

    // 用 10 字节的缓冲区接收：只拿到前 10 个字节
    tx.send_to(&big, to).unwrap();
    let mut small = [0u8; 10];
    let n = rx.recv(&mut small).unwrap();
    println!("recv into 10 bytes: {n}");
    assert_eq!(n, 10);
    assert_eq!(small, big[..10]);
    // 剩下的 90 个字节没有留在队列里等下一次 recv()：它们被丢掉了
    let rest = datagram::drain(&rx, &mut [0; 200]).unwrap();
    assert!(rest.is_empty(), "left in the queue: {rest:?}");

    // 带上 MSG_TRUNC（Linux 特有）：返回值是数据报的真实长度，缓冲区里仍只有 10 个字节
    tx.send_to(&big, to).unwrap();
    let mut small = [0u8; 10];
    let real = recv(rx.as_raw_fd(), &mut small, MsgFlags::MSG_TRUNC).unwrap();
    println!("recv with MSG_TRUNC: {real}");
    assert_eq!(real, 100);
    assert_eq!(small, big[..10]);

    // recvmsg() 在返回的标志里用 MSG_TRUNC 告诉你：这个数据报被截断了
    tx.send_to(&big, to).unwrap();
    let mut small = [0u8; 10];
    let mut iov = [IoSliceMut::new(&mut small)];
    let msg = recvmsg::<SockaddrIn>(rx.as_raw_fd(), &mut iov, None, MsgFlags::empty()).unwrap();
    println!("recvmsg: {} bytes, flags {:?}", msg.bytes, msg.flags);
    assert_eq!(msg.bytes, 10);
    assert!(msg.flags.contains(MsgFlags::MSG_TRUNC));
}
// ANCHOR_END: all
