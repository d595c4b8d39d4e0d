// ANCHOR: all
use std::io;
use std::net::{Ipv4Addr, SocketAddr};

use sockbook::{datagram, netns, timeout};
use socket2::{Domain, Socket, Type};

fn main() {
    // 不 bind() 的 UDP 套接字会被自动绑定到 0.0.0.0，所以放进私有命名空间里做
    let outcome = netns::isolated(|| {
        // 服务器：socket() + bind()，和文档 003 的 UDP 服务器一样（只是绑定 127.0.0.1）
        let server = datagram::bind().unwrap();
        let server_addr = server.local_addr().unwrap();

        // 客户端：不 bind()，直接 sendto()
        let client = Socket::new(Domain::IPV4, Type::DGRAM, None).unwrap();
        timeout::bound(&client).unwrap();
        let before = client.local_addr().unwrap().as_socket().unwrap();
        assert_eq!(before, SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0))); // 还没有地址

        // sendto() 返回交给内核的字节数，也就是整个数据报的长度
        let sent = client.send_to(b"Hello UDP!", &server_addr.into()).unwrap();
        assert_eq!(sent, 10);
        // 第一次 sendto() 时，内核替它绑定了通配地址和一个临时端口
        let after = client.local_addr().unwrap().as_socket().unwrap();
        assert_eq!(after.ip(), Ipv4Addr::UNSPECIFIED);
        assert_ne!(after.port(), 0);

        // recvfrom()：收下发到自己地址上的数据报，同时得知是谁发来的
        let mut buf = [0; 1024];
        let (n, from) = server.recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"Hello UDP!");
        assert_eq!(from, SocketAddr::from((Ipv4Addr::LOCALHOST, after.port())));

        // 没有数据时，规则和 TCP 一样：非阻塞的 recvfrom() 得到 EAGAIN
        server.set_nonblocking(true).unwrap();
        let err = server.recv_from(&mut buf).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
        (before, after, from)
    });
    match outcome {
        Ok((before, after, from)) => {
            println!("client before sendto(): {before}, after: {after}");
            println!("recvfrom() reported the sender as {from}");
        }
        Err(why) => netns::skip("sendto() without bind()", &why),
    }
}
// ANCHOR_END: all
