// ANCHOR: all
use std::io;
use std::net::{SocketAddr, SocketAddrV4};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::thread;
use std::time::{SystemTime, UNIX_EPOCH};

use nix::sys::socket::{
    accept, bind, connect, getsockname, listen as listen_on, socket, AddressFamily, Backlog,
    SockFlag, SockType, SockaddrIn, SockaddrStorage,
};
use nix::unistd::{read, write};
use sockbook::timeout;

/// 服务器的开头：socket()、bind()、listen()、getsockname()，和 C 一样一步一个调用
pub fn listen() -> io::Result<(OwnedFd, SocketAddr)> {
    let fd = socket(
        AddressFamily::Inet,
        SockType::Stream,
        SockFlag::empty(),
        None,
    )?;
    timeout::bound(&fd)?;
    bind(fd.as_raw_fd(), &SockaddrIn::new(127, 0, 0, 1, 0))?;
    listen_on(&fd, Backlog::new(16)?)?;
    let addr: SockaddrIn = getsockname(fd.as_raw_fd())?;
    Ok((fd, SocketAddrV4::from(addr).into()))
}

/// 时间服务器：accept() 返回裸描述符，交给 OwnedFd 管理，丢弃时 close()
pub fn serve(listening: OwnedFd, clients: usize) -> io::Result<()> {
    for _ in 0..clients {
        let raw = accept(listening.as_raw_fd())?;
        // SAFETY: accept() 刚返回的描述符只归我们所有
        let connected = unsafe { OwnedFd::from_raw_fd(raw) };
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        let message = format!(
            "Current time is {} seconds since the Unix epoch",
            now.as_secs()
        );
        let mut rest = message.as_bytes();
        while !rest.is_empty() {
            let n = write(&connected, rest)?; // write() 可能只写出一部分
            rest = &rest[n..];
        }
    }
    Ok(())
}

/// 时间客户端：socket()、connect()，read() 到返回 0
pub fn ask(addr: SocketAddr) -> io::Result<String> {
    let fd = socket(
        AddressFamily::Inet,
        SockType::Stream,
        SockFlag::empty(),
        None,
    )?;
    timeout::bound(&fd)?;
    connect(fd.as_raw_fd(), &SockaddrStorage::from(addr))?;
    let mut received = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        match read(&fd, &mut buf)? {
            0 => break, // 流结束
            n => received.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8(received).map_err(|err| io::Error::new(io::ErrorKind::InvalidData, err))
}

fn main() {
    let (listening, addr) = listen().unwrap();
    let server = thread::spawn(move || serve(listening, 1));
    let text = ask(addr).unwrap();
    server.join().unwrap().unwrap();
    println!("Received: {text}");
    let seconds: u64 = text.split(' ').nth(3).unwrap().parse().unwrap();
    let ours = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    assert!(text.starts_with("Current time is "), "{text:?}");
    assert!(seconds.abs_diff(ours.as_secs()) <= 5, "{text:?}");
}
// ANCHOR_END: all
