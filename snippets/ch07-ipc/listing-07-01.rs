// ANCHOR: all
use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::thread;

use nix::errno::Errno;
use nix::unistd;
use sockbook::descriptor::{self, Kind};
use sockbook::timeout;
use socket2::{Domain, SockRef, Type};

fn main() {
    // ---- 管道：一头只读，一头只写 ----
    let (mut reader, mut writer) = io::pipe().unwrap();
    assert_eq!(descriptor::kind(&reader).unwrap(), Kind::Pipe);
    assert_eq!(descriptor::kind(&writer).unwrap(), Kind::Pipe);
    writer.write_all(b"one way").unwrap();
    let mut got = [0; 7];
    reader.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"one way");
    // 往读端写、从写端读：描述符不支持这个方向，EBADF
    assert_eq!(unistd::write(&reader, b"back?"), Err(Errno::EBADF));
    assert_eq!(unistd::read(&writer, &mut got), Err(Errno::EBADF));

    // ---- socketpair：两头都能读、能写 ----
    let (left, right) = UnixStream::pair().unwrap();
    for end in [&left, &right] {
        timeout::bound(end).unwrap();
        assert_eq!(descriptor::kind(end).unwrap(), Kind::Socket);
        // 即 socketpair(AF_UNIX, SOCK_STREAM, 0)
        let socket = SockRef::from(end);
        assert_eq!(socket.domain().unwrap(), Domain::UNIX);
        assert_eq!(socket.r#type().unwrap(), Type::STREAM);
    }
    // 右端交给另一个线程
    let worker = thread::spawn(move || -> io::Result<[u8; 19]> {
        let mut right = right;
        // 先写，再读：两个方向同时有数据在途
        right.write_all(b"hello from the right")?;
        let mut question = [0; 19];
        right.read_exact(&mut question)?;
        Ok(question)
    });
    let mut left = left;
    left.write_all(b"hello from the left").unwrap();
    let mut answer = [0; 20];
    left.read_exact(&mut answer).unwrap();
    // 读写都有时限，所以这个线程一定会结束
    let question = worker.join().unwrap().unwrap();
    println!("left heard {:?}", String::from_utf8_lossy(&answer));
    println!("right heard {:?}", String::from_utf8_lossy(&question));
    assert_eq!(&answer, b"hello from the right");
    assert_eq!(&question, b"hello from the left");
}
// ANCHOR_END: all
