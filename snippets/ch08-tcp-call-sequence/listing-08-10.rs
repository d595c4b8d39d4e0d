// ANCHOR: all
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::{SystemTime, UNIX_EPOCH};

use sockbook::timeout::{self, LIMIT};

/// 服务器的开头：一次调用完成 socket()、bind()、listen()，端口由内核挑
pub fn listen() -> io::Result<(TcpListener, SocketAddr)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    timeout::bound(&listener)?; // accept() 最多等 5 秒
    let addr = listener.local_addr()?;
    Ok((listener, addr))
}

/// 时间服务器：接待 clients 个客户，各写一行时间，然后关闭连接
pub fn serve(listener: TcpListener, clients: usize) -> io::Result<()> {
    for _ in 0..clients {
        let (mut connected, peer) = listener.accept()?;
        eprintln!("Client {peer} connected!");
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        write!(
            connected,
            "Current time is {} seconds since the Unix epoch",
            now.as_secs()
        )?;
    } // connected 在每一圈结束时被丢弃，即 close()
    Ok(())
}

/// 时间客户端：socket() + connect()，然后一直读到流结束
pub fn ask(addr: SocketAddr) -> io::Result<String> {
    let mut stream = TcpStream::connect_timeout(&addr, LIMIT)?;
    timeout::bound(&stream)?;
    let mut text = String::new();
    stream.read_to_string(&mut text)?;
    Ok(text)
}

fn main() {
    let (listener, addr) = listen().unwrap();
    let server = thread::spawn(move || serve(listener, 1));
    let text = ask(addr).unwrap();
    server.join().unwrap().unwrap();
    println!("Received: {text}");
    // 第四个词是秒数：和本机的钟相差不超过 5 秒
    let seconds: u64 = text.split(' ').nth(3).unwrap().parse().unwrap();
    let ours = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    assert!(text.starts_with("Current time is "), "{text:?}");
    assert!(seconds.abs_diff(ours.as_secs()) <= 5, "{text:?}");
}
// ANCHOR_END: all
