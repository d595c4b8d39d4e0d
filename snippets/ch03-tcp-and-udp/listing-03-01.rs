// ANCHOR: all
use std::io;

use sockbook::{datagram, loopback};

fn main() {
    // TCP：先要有连接。对面没有人听，connect() 当场失败，一个字节也发不出去
    let (_held, tcp_nobody) = loopback::closed_port().unwrap();
    match loopback::connect(tcp_nobody) {
        Err(err) => assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused),
        Ok(_) => panic!("{tcp_nobody}: nobody listens, yet connect succeeded"),
    }

    // UDP：一个刚刚关掉的 UDP 端口，那里也没有人
    let udp_nobody = datagram::bind().unwrap().local_addr().unwrap();

    // 没有连接的 UDP 套接字：sendto() 照发不误，也“成功”了
    let loose = datagram::bind().unwrap();
    let sent = loose.send_to(b"hello?", udp_nobody).unwrap();
    println!("sendto {udp_nobody}: {sent} bytes, reported as sent");
    assert_eq!(sent, 6);

    // connect() 过的 UDP 套接字：connect() 只在本地记下对方地址，不发任何包，所以也成功
    let tied = datagram::bind().unwrap();
    tied.connect(udp_nobody).unwrap();
    assert_eq!(tied.send(b"hello?").unwrap(), 6);
    // 内核对这个数据报回了 ICMP“端口不可达”；connect() 过的套接字把它当作错误交给下一次 recv()
    match tied.recv(&mut [0; 16]) {
        Err(err) => assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused),
        Ok(n) => panic!("received {n} bytes from nobody"),
    }
    println!("connected UDP socket: the next recv reports ECONNREFUSED");

    // 没有连接的那个套接字对此一无所知：没有挂起的错误，也没有数据
    assert!(loose.take_error().unwrap().is_none());
    loose.set_nonblocking(true).unwrap();
    match loose.recv_from(&mut [0; 16]) {
        Err(err) => assert_eq!(err.kind(), io::ErrorKind::WouldBlock),
        Ok((n, from)) => panic!("received {n} bytes from {from}"),
    }
}
// ANCHOR_END: all
