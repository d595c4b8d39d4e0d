// ANCHOR: all
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};

use sockbook::{loopback, netns, timeout};

const SECOND_LOOPBACK: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);

fn main() {
    // 1. 在主机上：监听 127.0.0.1，只收发往 127.0.0.1 的连接
    let listener = loopback::listener().unwrap();
    let port = listener.local_addr().unwrap().port();
    let client = loopback::connect(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).unwrap();
    let (_connected, peer) = listener.accept().unwrap();
    assert_eq!(peer, client.local_addr().unwrap());
    // 127.0.0.2 也在 lo 上，同一个端口，却没有人在听：内核回 RST
    let err = loopback::connect(SocketAddr::from((SECOND_LOOPBACK, port))).unwrap_err();
    println!("connect to {SECOND_LOOPBACK}:{port}: {err}");
    assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);

    // 2. 在私有网络命名空间里：监听 0.0.0.0，两个地址都能连上
    let outcome = netns::isolated(|| {
        let interfaces: Vec<String> = nix::net::if_::if_nameindex()
            .unwrap()
            .iter()
            .map(|i| i.name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(interfaces, ["lo"]); // 这里除了 lo 什么也没有

        let listener = TcpListener::bind((Ipv4Addr::UNSPECIFIED, 0)).unwrap();
        timeout::bound(&listener).unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut served = Vec::new();
        for ip in [Ipv4Addr::LOCALHOST, SECOND_LOOPBACK] {
            let client = loopback::connect(SocketAddr::from((ip, port))).unwrap();
            let (connected, peer) = listener.accept().unwrap();
            assert_eq!(peer, client.local_addr().unwrap());
            // 已连接套接字的本地地址，是客户端连的那个地址
            let local = connected.local_addr().unwrap();
            assert_eq!(local.ip(), IpAddr::V4(ip));
            served.push(local);
        }
        served
    });
    match outcome {
        Ok(served) => println!("0.0.0.0 accepted connections on {served:?}"),
        Err(why) => netns::skip("a listener on 0.0.0.0 in a private namespace", &why),
    }
}
// ANCHOR_END: all
