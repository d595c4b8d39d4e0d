// ANCHOR: all
use std::io;
use std::net::{SocketAddr, SocketAddrV4};
use std::os::fd::{AsRawFd, OwnedFd};
use std::thread;
use std::time::{SystemTime, UNIX_EPOCH};

use nix::sys::socket::{
    bind as bind_to, getsockname, recvfrom, sendto, socket, AddressFamily, MsgFlags, SockFlag,
    SockType, SockaddrIn,
};
use sockbook::timeout;

/// socket(AF_INET, SOCK_DGRAM, 0)，bind() 到 127.0.0.1:0
fn udp_socket() -> io::Result<OwnedFd> {
    let fd = socket(
        AddressFamily::Inet,
        SockType::Datagram,
        SockFlag::empty(),
        None,
    )?;
    timeout::bound(&fd)?;
    bind_to(fd.as_raw_fd(), &SockaddrIn::new(127, 0, 0, 1, 0))?;
    Ok(fd)
}

pub fn bind() -> io::Result<(OwnedFd, SocketAddr)> {
    let fd = udp_socket()?;
    let addr: SockaddrIn = getsockname(fd.as_raw_fd())?;
    Ok((fd, SocketAddrV4::from(addr).into()))
}

/// UDP 时间服务器：recvfrom() 交出来信地址，sendto() 把时间寄回去
pub fn serve(fd: OwnedFd, datagrams: usize) -> io::Result<()> {
    let mut buf = [0u8; 1024];
    for _ in 0..datagrams {
        let (n, from) = recvfrom::<SockaddrIn>(fd.as_raw_fd(), &mut buf)?;
        let from = from.expect("recvfrom() on AF_INET reports the sender");
        eprintln!(
            "Received: {:?} from {from}",
            String::from_utf8_lossy(&buf[..n])
        );
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        let reply = format!(
            "Current time is {} seconds since the Unix epoch",
            now.as_secs()
        );
        sendto(fd.as_raw_fd(), reply.as_bytes(), &from, MsgFlags::empty())?;
    }
    Ok(())
}

/// UDP 时间客户端：sendto()，再 recvfrom() 等回信
pub fn ask(server: SocketAddr) -> io::Result<String> {
    let SocketAddr::V4(server) = server else {
        return Err(io::Error::other("an IPv4 server"));
    };
    let fd = udp_socket()?;
    let to = SockaddrIn::from(server);
    sendto(fd.as_raw_fd(), b"Hello UDP!", &to, MsgFlags::empty())?;
    let mut buf = [0u8; 1024];
    let (n, from) = recvfrom::<SockaddrIn>(fd.as_raw_fd(), &mut buf)?;
    if from != Some(to) {
        return Err(io::Error::other(format!("a datagram from {from:?}")));
    }
    Ok(String::from_utf8_lossy(&buf[..n]).into_owned())
}

fn main() {
    let (fd, addr) = bind().unwrap();
    let server = thread::spawn(move || serve(fd, 2));
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
