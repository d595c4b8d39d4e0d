// ANCHOR: all
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener};
use std::thread;

use sockbook::loopback;

/// 服务器的开头：TcpListener 绑定 127.0.0.1:0，accept() 最多等 5 秒
pub fn listen() -> io::Result<(TcpListener, SocketAddr)> {
    let listener = loopback::listener()?;
    let addr = listener.local_addr()?;
    Ok((listener, addr))
}

/// 回显服务器：对每个客户，读到什么就写回什么，直到对方关闭发送方向
pub fn serve(listener: TcpListener, clients: usize) -> io::Result<()> {
    for _ in 0..clients {
        let (connected, _) = listener.accept()?;
        // &TcpStream 既能读也能写：从自己读，往自己写
        let echoed = io::copy(&mut &connected, &mut &connected)?;
        eprintln!("echoed {echoed} bytes");
    }
    Ok(())
}

/// 回显客户端：写出 message，半关闭，再读回全部
pub fn ask(addr: SocketAddr, message: &[u8]) -> io::Result<Vec<u8>> {
    let mut stream = loopback::connect(addr)?;
    stream.write_all(message)?;
    stream.shutdown(Shutdown::Write)?; // 告诉服务器“我说完了”
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply)?; // 服务器关闭连接时 read() 返回 0
    Ok(reply)
}

fn main() {
    let (listener, addr) = listen().unwrap();
    let server = thread::spawn(move || serve(listener, 2));
    // 一条短消息，一条比一次 read() 大得多的消息
    let long: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
    for message in [&b"Hello, echo!"[..], &long] {
        let reply = ask(addr, message).unwrap();
        println!("sent {} bytes, got {} back", message.len(), reply.len());
        assert_eq!(reply, message);
    }
    server.join().unwrap().unwrap();
}
// ANCHOR_END: all
