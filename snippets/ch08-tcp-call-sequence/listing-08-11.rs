// ANCHOR: all
use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::thread;
use std::time::{SystemTime, UNIX_EPOCH};

use sockbook::timeout;
use socket2::{Domain, Protocol, Socket, Type};

/// 服务器的开头：socket()、bind() 到 127.0.0.1:0、listen()，一步一个方法
pub fn listen() -> io::Result<(Socket, SocketAddr)> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
    timeout::bound(&socket)?;
    socket.bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())?;
    socket.listen(16)?;
    let addr = socket.local_addr()?.as_socket().unwrap(); // getsockname()
    Ok((socket, addr))
}

/// 时间服务器：accept() 交出新套接字和对方的地址
pub fn serve(listening: Socket, clients: usize) -> io::Result<()> {
    for _ in 0..clients {
        let (mut connected, peer) = listening.accept()?;
        eprintln!("Client {:?} connected!", peer.as_socket());
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        let message = format!(
            "Current time is {} seconds since the Unix epoch",
            now.as_secs()
        );
        connected.write_all(message.as_bytes())?;
    } // Socket 被丢弃时关闭描述符
    Ok(())
}

/// 时间客户端：socket()、connect()，再 read() 到返回 0
pub fn ask(addr: SocketAddr) -> io::Result<String> {
    let mut socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
    timeout::bound(&socket)?; // SO_SNDTIMEO 也限制 connect()
    socket.connect(&addr.into())?;
    let mut text = String::new();
    socket.read_to_string(&mut text)?;
    Ok(text)
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
