// ANCHOR: all
use std::io::{self, Read, Write};
use std::net::UdpSocket;

use sockbook::{datagram, loopback, timeout};

fn main() {
    // TCP 监听套接字的端口号由内核挑；UDP 套接字绑到同一个地址、同一个号码。
    // 这个号码在 UDP 里多半空着；万一被别的程序占了，换一个号码再试
    let (listener, udp) = (0..10)
        .find_map(|_| {
            let listener = loopback::listener().unwrap();
            let udp = UdpSocket::bind(listener.local_addr().unwrap()).ok()?;
            Some((listener, udp))
        })
        .expect("no port number free in both TCP and UDP");
    let addr = listener.local_addr().unwrap();
    timeout::bound(&udp).unwrap();
    println!(
        "TCP listens on {addr}, UDP is bound to {}",
        udp.local_addr().unwrap()
    );
    // 同一个地址、同一个端口号，TCP 和 UDP 各有一个套接字：端口属于各自的协议
    assert_eq!(udp.local_addr().unwrap(), addr);
    // 可是在 UDP 里，这个端口号已经被占用了
    match UdpSocket::bind(addr) {
        Err(err) => assert_eq!(err.kind(), io::ErrorKind::AddrInUse),
        Ok(_) => panic!("{addr}: two UDP sockets on one port"),
    }

    // 发往这个端口的 UDP 数据报交给 UDP 套接字
    let sender = datagram::bind().unwrap();
    sender.send_to(b"to udp", addr).unwrap();
    let mut buf = [0u8; 64];
    let (n, from) = udp.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"to udp");
    assert_eq!(from, sender.local_addr().unwrap());

    // 发往同一个端口的 TCP 连接交给 TCP 监听套接字
    let mut client = loopback::connect(addr).unwrap();
    client.write_all(b"to tcp").unwrap();
    let (mut conn, _) = listener.accept().unwrap();
    let mut got = [0u8; 6];
    conn.read_exact(&mut got).unwrap();
    assert_eq!(&got, b"to tcp");
}
// ANCHOR_END: all
