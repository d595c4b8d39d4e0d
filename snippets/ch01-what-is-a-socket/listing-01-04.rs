// ANCHOR: all
use std::fs::{self, File};
use std::os::fd::AsFd;

use nix::unistd::{read, write};
use sockbook::loopback;

/// 用 read(2) 从 from 读一块，再用 write(2) 原样写进 to。
/// 它只认描述符，不管对面是文件还是套接字。
fn pass_along(from: impl AsFd, to: impl AsFd) -> usize {
    let mut buf = [0; 64];
    let n = read(from, &mut buf).unwrap();
    assert_eq!(write(to, &buf[..n]).unwrap(), n);
    n
}

fn main() {
    // 一对已连接的套接字：客户端和服务器接受下来的那一端
    let listener = loopback::listener().unwrap();
    let client = loopback::connect(listener.local_addr().unwrap()).unwrap();
    let (served, _) = listener.accept().unwrap();

    // 一个普通文件，事先写好一句话
    let path = std::env::temp_dir().join(format!("sockbook-ch01-{}", std::process::id()));
    fs::write(&path, b"hello, socket").unwrap();

    // 文件 -> 套接字：read(2) 读文件，write(2) 写套接字
    let sent = pass_along(File::open(&path).unwrap(), &client);
    // 套接字 -> 文件：read(2) 读套接字，write(2) 写文件
    let copy = File::create(&path).unwrap();
    let received = pass_along(&served, &copy);
    drop(copy);

    let text = fs::read(&path).unwrap();
    fs::remove_file(&path).unwrap();
    println!(
        "{sent} bytes through the socket: {:?}",
        String::from_utf8_lossy(&text)
    );
    assert_eq!(sent, 13);
    assert_eq!(received, 13);
    assert_eq!(text, b"hello, socket");
}
// ANCHOR_END: all
