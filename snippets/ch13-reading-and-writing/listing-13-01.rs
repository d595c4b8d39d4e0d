// ANCHOR: all
use std::io::{Read, Write};
use std::thread;
use std::time::Instant;

use sockbook::stream;
use sockbook::timeout::LIMIT;

fn main() {
    // 程序 A 用客户端这一端，程序 B 用服务器那一端；B 暂时不读
    let (mut a, mut b) = stream::pair().unwrap();
    assert_eq!(stream::unacked(&a).unwrap(), 0);
    assert_eq!(stream::unread(&b).unwrap(), 0);

    // write() 返回 8：内核收下了 8 个字节
    let written = a.write(b"hello, B").unwrap();
    println!("write() returned {written}");
    assert_eq!(written, 8);

    // 等 B 的内核确认收到，也就是 A 的发送队列清空（有上限地等）
    let deadline = Instant::now() + LIMIT;
    while stream::unacked(&a).unwrap() > 0 {
        assert!(
            Instant::now() < deadline,
            "the bytes were never acknowledged"
        );
        thread::yield_now();
    }

    // 对方内核已经确认，字节就在 B 的接收队列里，B 的程序却一个也没读
    let waiting = stream::unread(&b).unwrap();
    println!("A's send queue: 0 bytes; B's receive queue: {waiting} bytes, not read yet");
    assert_eq!(waiting, 8);

    // B 的程序什么时候 read()，字节就什么时候交给它，一个不差
    let mut buf = [0; 64];
    let n = b.read(&mut buf).unwrap();
    println!("B read {:?}", String::from_utf8_lossy(&buf[..n]));
    assert_eq!(&buf[..n], b"hello, B");
    assert_eq!(stream::unread(&b).unwrap(), 0);
}
// ANCHOR_END: all
