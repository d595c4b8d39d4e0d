// ANCHOR: all
use std::io;
use std::mem::MaybeUninit;
use std::net::SocketAddr;
use std::thread;
use std::time::{SystemTime, UNIX_EPOCH};

use sockbook::timeout;
use socket2::{Domain, Protocol, Socket, Type};

/// socket(AF_INET, SOCK_DGRAM)，再 bind() 到 127.0.0.1:0
fn udp_socket() -> io::Result<Socket> {
    let socket = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP))?;
    timeout::bound(&socket)?;
    socket.bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())?;
    Ok(socket)
}

/// recvfrom()：socket2 要一块可以是未初始化的缓冲区
fn receive(socket: &Socket) -> io::Result<(Vec<u8>, SocketAddr)> {
    let mut buf = [MaybeUninit::<u8>::uninit(); 1024];
    let (n, from) = socket.recv_from(&mut buf)?;
    // SAFETY: recv_from() 报告前 n 个字节已由内核写好
    let data = buf[..n]
        .iter()
        .map(|b| unsafe { b.assume_init() })
        .collect();
    Ok((data, from.as_socket().unwrap()))
}

pub fn bind() -> io::Result<(Socket, SocketAddr)> {
    let socket = udp_socket()?;
    let addr = socket.local_addr()?.as_socket().unwrap();
    Ok((socket, addr))
}

/// UDP 时间服务器：recvfrom() 得到来信地址，sendto() 寄回时间
pub fn serve(socket: Socket, datagrams: usize) -> io::Result<()> {
    for _ in 0..datagrams {
        let (data, from) = receive(&socket)?;
        eprintln!("Received: {:?} from {from}", String::from_utf8_lossy(&data));
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        let reply = format!(
            "Current time is {} seconds since the Unix epoch",
            now.as_secs()
        );
        socket.send_to(reply.as_bytes(), &from.into())?;
    }
    Ok(())
}

/// UDP 时间客户端：sendto()，再 recvfrom() 等回信
pub fn ask(server: SocketAddr) -> io::Result<String> {
    let socket = udp_socket()?;
    socket.send_to(b"Hello UDP!", &server.into())?;
    let (data, from) = receive(&socket)?;
    if from != server {
        return Err(io::Error::other(format!("a datagram from {from}")));
    }
    Ok(String::from_utf8_lossy(&data).into_owned())
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
