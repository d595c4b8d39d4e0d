// ANCHOR: all
use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::thread;
use std::time::{SystemTime, UNIX_EPOCH};

use sockbook::timeout;

/// 一个绑定在 127.0.0.1、端口由内核挑选的 UDP 套接字，收发最多等 5 秒
fn udp_socket() -> io::Result<UdpSocket> {
    let socket = UdpSocket::bind("127.0.0.1:0")?; // socket() + bind()
    timeout::bound(&socket)?;
    Ok(socket)
}

/// 服务器的开头：socket() 和 bind()，没有 listen()
pub fn bind() -> io::Result<(UdpSocket, SocketAddr)> {
    let socket = udp_socket()?;
    let addr = socket.local_addr()?;
    Ok((socket, addr))
}

/// UDP 时间服务器：每收到一个数据报，就把时间寄回来信的地址
pub fn serve(socket: UdpSocket, datagrams: usize) -> io::Result<()> {
    let mut buf = [0u8; 1024];
    for _ in 0..datagrams {
        let (n, from) = socket.recv_from(&mut buf)?;
        eprintln!(
            "Received: {:?} from {from}",
            String::from_utf8_lossy(&buf[..n])
        );
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        let reply = format!(
            "Current time is {} seconds since the Unix epoch",
            now.as_secs()
        );
        socket.send_to(reply.as_bytes(), from)?;
    }
    Ok(())
}

/// UDP 时间客户端：sendto() 一句问候，recvfrom() 等回信
pub fn ask(server: SocketAddr) -> io::Result<String> {
    let socket = udp_socket()?;
    socket.send_to(b"Hello UDP!", server)?;
    let mut buf = [0u8; 1024];
    let (n, from) = socket.recv_from(&mut buf)?;
    if from != server {
        // 谁都可以往这个端口寄数据报：不是服务器寄的，不算回信
        return Err(io::Error::other(format!("a datagram from {from}")));
    }
    Ok(String::from_utf8_lossy(&buf[..n]).into_owned())
}

fn main() {
    let (socket, addr) = bind().unwrap();
    let server = thread::spawn(move || serve(socket, 2));
    for _ in 0..2 {
        let text = ask(addr).unwrap();
        println!("Received: {text}");
        let seconds: u64 = text.split(' ').nth(3).unwrap().parse().unwrap();
        let ours = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        assert!(text.starts_with("Current time is "), "{text:?}");
        assert!(seconds.abs_diff(ours.as_secs()) <= 5, "{text:?}");
    }
    server.join().unwrap().unwrap();
}
// ANCHOR_END: all
