// ANCHOR: all
//! 练习 6-2：一个只扫本机的 TCP 端口扫描器。
use std::io;
use std::net::{Ipv4Addr, SocketAddr};

use sockbook::loopback;

/// 依次连接 `host` 上 `ports` 里的每个 TCP 端口（`loopback::connect`，有时限），
/// 返回有人监听的那些，顺序和 `ports` 里的一样。连接成功就是有人在听（连接随即关掉）；
/// 被拒绝（`io::ErrorKind::ConnectionRefused`）就是没有；别的错误原样返回。
/// 只许扫本机：`host` 不是回环地址时，一个端口也不连，返回
/// `io::ErrorKind::InvalidInput` 错误。
pub fn scan(host: Ipv4Addr, ports: &[u16]) -> io::Result<Vec<u16>> {
    // ANCHOR: solution
    if !host.is_loopback() {
        let why = format!("{host} is not a loopback address");
        return Err(io::Error::new(io::ErrorKind::InvalidInput, why));
    }
    let mut listening = Vec::new();
    for &port in ports {
        match loopback::connect(SocketAddr::from((host, port))) {
            Ok(_) => listening.push(port),
            Err(err) if err.kind() == io::ErrorKind::ConnectionRefused => {}
            Err(err) => return Err(err),
        }
    }
    Ok(listening)
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::io;
    use std::net::Ipv4Addr;

    use sockbook::loopback;

    use super::scan;

    /// 测试自己开三个监听套接字，再占住三个没人监听的端口，交错着交给扫描器：
    /// 它要找出的正好是那三个监听的；每个监听套接字的队列里都有扫描器留下的一条连接。
    #[test]
    fn finds_the_listeners_it_opened() {
        let listeners: Vec<_> = (0..3).map(|_| loopback::listener().unwrap()).collect();
        let closed: Vec<_> = (0..3).map(|_| loopback::closed_port().unwrap()).collect();
        let mut ports = Vec::new();
        for (listener, (_held, nobody)) in listeners.iter().zip(&closed) {
            ports.push(nobody.port());
            ports.push(listener.local_addr().unwrap().port());
        }
        let open = scan(Ipv4Addr::LOCALHOST, &ports).unwrap();
        let expected: Vec<u16> = listeners
            .iter()
            .map(|listener| listener.local_addr().unwrap().port())
            .collect();
        assert_eq!(open, expected);
        for listener in &listeners {
            let (_conn, scanner) = listener.accept().unwrap();
            assert_eq!(scanner.ip(), Ipv4Addr::LOCALHOST);
        }
    }

    /// 别的主机一律不扫，0.0.0.0 也不行。
    #[test]
    fn scans_only_this_machine() {
        for host in [Ipv4Addr::new(192, 0, 2, 1), Ipv4Addr::UNSPECIFIED] {
            let err = scan(host, &[80]).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{host}");
        }
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
