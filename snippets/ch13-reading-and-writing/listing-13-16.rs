// ANCHOR: all
use std::io;
use std::net::{SocketAddr, SocketAddrV4};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::thread;

use nix::sys::socket::{
    accept, bind, connect, getsockname, listen as listen_on, recv, send, shutdown, socket,
    AddressFamily, Backlog, MsgFlags, Shutdown, SockFlag, SockType, SockaddrIn, SockaddrStorage,
};
use sockbook::timeout;

/// socket(AF_INET, SOCK_STREAM, 0)，收发都最多等 5 秒
fn tcp_socket() -> io::Result<OwnedFd> {
    let fd = socket(
        AddressFamily::Inet,
        SockType::Stream,
        SockFlag::empty(),
        None,
    )?;
    timeout::bound(&fd)?;
    Ok(fd)
}

/// send() 到全部发完：一次 send() 可能只发出一部分
fn send_all(fd: &OwnedFd, mut data: &[u8]) -> io::Result<()> {
    while !data.is_empty() {
        let n = send(fd.as_raw_fd(), data, MsgFlags::empty())?;
        data = &data[n..];
    }
    Ok(())
}

/// 服务器的开头：bind() 到 127.0.0.1:0，listen()，getsockname() 问出端口
pub fn listen() -> io::Result<(OwnedFd, SocketAddr)> {
    let fd = tcp_socket()?;
    bind(fd.as_raw_fd(), &SockaddrIn::new(127, 0, 0, 1, 0))?;
    listen_on(&fd, Backlog::new(16)?)?;
    let addr: SockaddrIn = getsockname(fd.as_raw_fd())?;
    Ok((fd, SocketAddrV4::from(addr).into()))
}

/// 回显服务器：recv() 到返回 0，收到的每一块立刻 send() 回去
pub fn serve(listening: OwnedFd, clients: usize) -> io::Result<()> {
    for _ in 0..clients {
        // SAFETY: accept() 刚返回的描述符只归我们所有
        let connected = unsafe { OwnedFd::from_raw_fd(accept(listening.as_raw_fd())?) };
        let mut buf = [0u8; 4096];
        loop {
            match recv(connected.as_raw_fd(), &mut buf, MsgFlags::empty())? {
                0 => break,
                n => send_all(&connected, &buf[..n])?,
            }
        }
    } // OwnedFd 被丢弃时 close()
    Ok(())
}

/// 回显客户端：connect()、send()、shutdown(SHUT_WR)、recv() 到返回 0
pub fn ask(addr: SocketAddr, message: &[u8]) -> io::Result<Vec<u8>> {
    let fd = tcp_socket()?;
    connect(fd.as_raw_fd(), &SockaddrStorage::from(addr))?;
    send_all(&fd, message)?;
    shutdown(fd.as_raw_fd(), Shutdown::Write)?;
    let mut reply = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match recv(fd.as_raw_fd(), &mut buf, MsgFlags::empty())? {
            0 => return Ok(reply),
            n => reply.extend_from_slice(&buf[..n]),
        }
    }
}

fn main() {
    let (listening, addr) = listen().unwrap();
    let server = thread::spawn(move || serve(listening, 2));
    let long: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
    for message in [&b"Hello, echo!"[..], &long] {
        let reply = ask(addr, message).unwrap();
        println!("sent {} bytes, got {} back", message.len(), reply.len());
        assert_eq!(reply, message);
    }
    server.join().unwrap().unwrap();
}
// ANCHOR_END: all
