// ANCHOR: all
//! 练习 14-1：UDP 请求：等不到回信就重发。
use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::time::Duration;

/// 用 `socket` 把 `request` 发给 `server`，然后最多等 `wait` 接收回信；
/// 没等到就重发，一共最多发 `tries` 次。返回回信的内容。
/// 发了 `tries` 次都没有回信，返回 `TimedOut` 错误。
pub fn request(
    socket: &UdpSocket,
    server: SocketAddr,
    request: &[u8],
    tries: u32,
    wait: Duration,
) -> io::Result<Vec<u8>> {
    // ANCHOR: solution
    // 超时的 recv 报告 WouldBlock（EAGAIN），不是 TimedOut（示例 13-4）
    socket.set_read_timeout(Some(wait))?;
    let mut buf = [0; 1500];
    for _ in 0..tries {
        socket.send_to(request, server)?;
        match socket.recv_from(&mut buf) {
            Ok((n, _)) => return Ok(buf[..n].to_vec()),
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => continue,
            Err(err) => return Err(err),
        }
    }
    Err(io::Error::new(io::ErrorKind::TimedOut, "no reply"))
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::io;
    use std::thread;
    use std::time::Duration;

    use sockbook::datagram;

    /// 服务器收下第一个请求却不回信，就像它在路上丢了；第二个请求才回信。
    #[test]
    fn the_first_request_is_lost() {
        let server = datagram::bind().unwrap();
        let addr = server.local_addr().unwrap();
        let serving = thread::spawn(move || -> io::Result<Vec<Vec<u8>>> {
            let mut buf = [0; 64];
            let (first, _) = server.recv_from(&mut buf)?;
            let lost = buf[..first].to_vec();
            let (second, client) = server.recv_from(&mut buf)?;
            server.send_to(b"pong", client)?;
            Ok(vec![lost, buf[..second].to_vec()])
        });
        let client = datagram::bind().unwrap();
        let wait = Duration::from_millis(50);
        let reply = super::request(&client, addr, b"ping", 5, wait).unwrap();
        assert_eq!(reply, b"pong");
        assert_eq!(serving.join().unwrap().unwrap(), [b"ping", b"ping"]);
    }

    /// 对方收下请求，从不回信：发满三次就放弃，报告 TimedOut。
    /// 对方的接收队列里正好是三个请求。
    #[test]
    fn gives_up_after_the_last_try() {
        let silent = datagram::bind().unwrap();
        let client = datagram::bind().unwrap();
        let wait = Duration::from_millis(20);
        let err =
            super::request(&client, silent.local_addr().unwrap(), b"ping", 3, wait).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert_eq!(datagram::drain(&silent, &mut [0; 64]).unwrap(), [4, 4, 4]);
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
