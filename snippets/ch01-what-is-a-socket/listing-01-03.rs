// ANCHOR: all
use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::Path;

use sockbook::descriptor::{self, Kind};
use sockbook::loopback;

fn main() {
    // 一个套接字：拿到的就是一个小小的非负整数
    let socket = loopback::listener().unwrap();
    let number = socket.as_raw_fd();
    let link = descriptor::target(&socket).unwrap();
    println!("the socket's descriptor: {number}");
    println!("/proc/self/fd/{number} -> {link:?}");
    assert!(number >= 0);
    // fstat(2) 说它是套接字（S_IFSOCK）；它没有路径，只有索引节点号
    assert_eq!(descriptor::kind(&socket).unwrap(), Kind::Socket);
    assert!(link.to_string_lossy().starts_with("socket:["));

    // 关掉它，再打开一个普通文件（本程序自己的可执行文件，一定存在）
    drop(socket);
    let exe = std::env::current_exe().unwrap();
    let file = File::open(&exe).unwrap();
    println!("the file opened next: {} -> {exe:?}", file.as_raw_fd());
    // 内核给出最小的空闲号码，正是套接字刚让出来的那个
    assert_eq!(file.as_raw_fd(), number);
    assert_eq!(descriptor::kind(&file).unwrap(), Kind::File);
    assert_eq!(descriptor::target(&file).unwrap(), exe);

    // 反过来也一样：设备文件用过又让出的号码，下一个套接字接着用
    drop(file);
    let device = File::open("/dev/null").unwrap();
    assert_eq!(device.as_raw_fd(), number);
    assert_eq!(descriptor::kind(&device).unwrap(), Kind::CharDevice);
    assert_eq!(descriptor::target(&device).unwrap(), Path::new("/dev/null"));
    drop(device);
    let socket = loopback::listener().unwrap();
    assert_eq!(socket.as_raw_fd(), number);
    assert_eq!(descriptor::kind(&socket).unwrap(), Kind::Socket);
}
// ANCHOR_END: all
