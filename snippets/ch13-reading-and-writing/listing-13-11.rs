// ANCHOR: all
use std::fs::File;
use std::os::fd::AsRawFd;

use nix::errno::Errno;
use nix::sys::socket::{recv, MsgFlags};
use nix::sys::uio::pread;
use nix::unistd::{lseek, read, write, Whence};
use sockbook::stream;

fn main() {
    let (client, server) = stream::pair().unwrap();

    // 读、写：和文件一样的 read(2)、write(2)
    assert_eq!(write(&client, b"like a file").unwrap(), 11);
    let mut buf = [0; 64];
    let n = read(&server, &mut buf).unwrap();
    assert_eq!(&buf[..n], b"like a file");

    // flags 为 0 的 recv(2) 就是 read(2)
    assert_eq!(write(&client, b"same").unwrap(), 4);
    let n = recv(server.as_raw_fd(), &mut buf, MsgFlags::empty()).unwrap();
    assert_eq!(&buf[..n], b"same");

    // 但套接字是一串流过的字节，没有“位置”：不能 lseek，也不能 pread
    let seek = lseek(&server, 0, Whence::SeekSet);
    let positioned = pread(&server, &mut buf, 0);
    println!("lseek: {seek:?}, pread: {positioned:?}");
    assert_eq!(seek, Err(Errno::ESPIPE));
    assert_eq!(positioned, Err(Errno::ESPIPE));

    // 也没有名字可以“打开”：/proc 里的链接指向 socket:[…]，open() 它得到 ENXIO
    let path = format!("/proc/self/fd/{}", server.as_raw_fd());
    let err = File::open(&path).unwrap_err();
    println!("open({path}): {err}");
    assert_eq!(err.raw_os_error(), Some(libc::ENXIO));

    // 关闭：和文件一样的 close(2)（丢弃 TcpStream 时调用）；对方读到 0
    drop(client);
    assert_eq!(read(&server, &mut buf).unwrap(), 0);
}
// ANCHOR_END: all
