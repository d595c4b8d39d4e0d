// ANCHOR: all
use std::io::{Read, Write};
use std::os::fd::AsRawFd;

use nix::sys::socket::{recv, MsgFlags};
use sockbook::loopback;

/// 等接收队列里至少有 n 个字节：偷看（MSG_PEEK）而不取走，凑满（MSG_WAITALL）才返回
fn wait_for(conn: &std::net::TcpStream, n: usize) {
    let mut peek = vec![0u8; n];
    let flags = MsgFlags::MSG_PEEK | MsgFlags::MSG_WAITALL;
    assert_eq!(recv(conn.as_raw_fd(), &mut peek, flags).unwrap(), n);
}

fn main() {
    let listener = loopback::listener().unwrap();
    let mut client = loopback::connect(listener.local_addr().unwrap()).unwrap();
    let (mut conn, _) = listener.accept().unwrap();

    // 三次 write()，三段长度 3、3、5
    let pieces: [&[u8]; 3] = [b"one", b"two", b"three"];
    for piece in pieces {
        assert_eq!(client.write(piece).unwrap(), piece.len());
    }

    // 等 11 个字节都到了，再用一个 64 字节的缓冲区 read() 一次
    wait_for(&conn, 11);
    let mut buf = [0u8; 64];
    let n = conn.read(&mut buf).unwrap();
    println!("3 writes, 1 read: {:?}", String::from_utf8_lossy(&buf[..n]));
    // 一次 read() 拿走了全部 11 个字节：三次 write() 之间的界线不见了
    assert_eq!(n, 11);
    assert_eq!(&buf[..n], b"onetwothree");

    // 反过来：一次 write() 10 个字节，用 4 字节的缓冲区读，要读三次
    client.write_all(b"abcdefghij").unwrap();
    wait_for(&conn, 10);
    let mut sizes = Vec::new();
    let mut joined = Vec::new();
    while joined.len() < 10 {
        let mut small = [0u8; 4];
        let n = conn.read(&mut small).unwrap();
        sizes.push(n);
        joined.extend_from_slice(&small[..n]);
    }
    println!("1 write, {} reads of {sizes:?} bytes", sizes.len());
    assert_eq!(sizes, [4, 4, 2]);
    // 字节的顺序一个不乱
    assert_eq!(joined, b"abcdefghij");
}
// ANCHOR_END: all
