// ANCHOR: all
use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, UdpSocket};

use sockbook::{loopback, timeout, tuple};

fn main() {
    // TCP 先占一个端口
    let tcp = loopback::listener().unwrap();
    let port = tcp.local_addr().unwrap().port();
    let same: SocketAddr = ([127, 0, 0, 1], port).into();

    // UDP 绑定同一个地址、同一个端口：成功
    let udp = UdpSocket::bind(same).unwrap();
    timeout::bound(&udp).unwrap();
    assert_eq!(udp.local_addr().unwrap(), tcp.local_addr().unwrap());
    // 两个套接字的三元组只差在协议号上
    let (tcp_three, udp_three) = (tuple::three(&tcp).unwrap(), tuple::three(&udp).unwrap());
    println!("TCP {tcp_three}  UDP {udp_three}");
    assert_eq!(tcp_three.local, udp_three.local);
    assert_eq!((tcp_three.protocol, udp_three.protocol), (6, 17));

    // 同一协议里端口才是独占的：第二个 TCP 套接字绑不上
    match TcpListener::bind(same) {
        Err(err) => assert_eq!(err.kind(), io::ErrorKind::AddrInUse),
        Ok(_) => panic!("a second TCP socket got {same}"),
    }

    // 两者同时工作，各收各的：内核按协议号先分，再按端口分
    let mut stream = loopback::connect(same).unwrap();
    stream.write_all(b"over tcp").unwrap();
    let sender = UdpSocket::bind(loopback::ANY_PORT).unwrap();
    sender.send_to(b"over udp", same).unwrap();

    let mut datagram = [0; 16];
    let (n, from) = udp.recv_from(&mut datagram).unwrap();
    assert_eq!(&datagram[..n], b"over udp");
    assert_eq!(from, sender.local_addr().unwrap());
    let (served, peer) = tcp.accept().unwrap();
    assert_eq!(peer, stream.local_addr().unwrap());
    let mut bytes = [0; 8];
    io::Read::read_exact(&mut &served, &mut bytes).unwrap();
    assert_eq!(&bytes, b"over tcp");
}
// ANCHOR_END: all
