// ANCHOR: all
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::thread;

use sockbook::timeout;
use socket2::{Domain, Protocol, Socket, Type};

/// 一个 TCP 套接字，收发都最多等 5 秒
fn tcp_socket() -> io::Result<Socket> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
    timeout::bound(&socket)?;
    Ok(socket)
}

/// 服务器的开头：socket()、bind()、listen()
pub fn listen() -> io::Result<(Socket, SocketAddr)> {
    let socket = tcp_socket()?;
    socket.bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())?;
    socket.listen(16)?;
    let addr = socket.local_addr()?.as_socket().unwrap();
    Ok((socket, addr))
}

/// 回显服务器：&Socket 也同时实现了 Read 和 Write
pub fn serve(listening: Socket, clients: usize) -> io::Result<()> {
    for _ in 0..clients {
        let (connected, _) = listening.accept()?;
        io::copy(&mut &connected, &mut &connected)?; // read() 到 0 为止，边读边 write()
    }
    Ok(())
}

/// 回显客户端：connect()、write()、shutdown(SHUT_WR)、read() 到 0
pub fn ask(addr: SocketAddr, message: &[u8]) -> io::Result<Vec<u8>> {
    let mut socket = tcp_socket()?;
    socket.connect(&addr.into())?;
    socket.write_all(message)?;
    socket.shutdown(Shutdown::Write)?;
    let mut reply = Vec::new();
    socket.read_to_end(&mut reply)?;
    Ok(reply)
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
