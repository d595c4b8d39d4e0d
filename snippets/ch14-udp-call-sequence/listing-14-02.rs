// ANCHOR: all
use std::io;
use std::mem::MaybeUninit;
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};

use sockbook::{netns, ports, timeout};
use socket2::{Domain, Socket, Type};

/// getsockname()：套接字此刻的本地地址
fn local(s: &Socket) -> SocketAddr {
    s.local_addr().unwrap().as_socket().unwrap()
}

fn main() {
    // 不 bind 的 UDP 客户端会被绑定到 0.0.0.0，所以在私有网络命名空间里做
    let outcome = netns::isolated(|| {
        // 临时端口范围是每个网络命名空间各有一份的设置，在里面读
        let range = ports::ephemeral_range().unwrap();
        let server = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        timeout::bound(&server).unwrap();
        let to = server.local_addr().unwrap();

        // 1. 刚 socket() 出来：没有地址，也没有端口
        let client = Socket::new(Domain::IPV4, Type::DGRAM, None).unwrap();
        timeout::bound(&client).unwrap();
        let fresh = local(&client);
        println!("after socket():    {fresh}");
        assert_eq!(fresh, SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)));

        // 2. recvfrom() 不会替它绑定：没有端口，谁也寄不到，非阻塞地读只得到 EAGAIN
        client.set_nonblocking(true).unwrap();
        let mut buf = [MaybeUninit::<u8>::uninit(); 16];
        let err = client.recv_from(&mut buf).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
        assert_eq!(local(&client), fresh);
        client.set_nonblocking(false).unwrap();

        // 3. 第一次 sendto()：内核替它 bind，通配地址加一个临时端口
        client.send_to(b"first", &to.into()).unwrap();
        let bound = local(&client);
        println!("after sendto():    {bound}");
        assert_eq!(bound.ip(), Ipv4Addr::UNSPECIFIED);
        assert!(range.contains(&bound.port()), "{bound} not in {range:?}");
        // 服务器看到的来信地址是 127.0.0.1：源地址是每个数据报发出时按路由选的
        let (_, from) = server.recv_from(&mut [0; 16]).unwrap();
        println!("server saw:        {from}");
        assert_eq!(from, SocketAddr::from((Ipv4Addr::LOCALHOST, bound.port())));

        // 4. 之后的 sendto() 沿用同一个端口
        client.send_to(b"second", &to.into()).unwrap();
        let (_, again) = server.recv_from(&mut [0; 16]).unwrap();
        assert_eq!(again, from);
        assert_eq!(local(&client), bound);

        // 5. 对比：不 bind 而 connect()，内核一并选好源地址，绑定的是 127.0.0.1
        let connected = Socket::new(Domain::IPV4, Type::DGRAM, None).unwrap();
        connected.connect(&to.into()).unwrap();
        let chosen = local(&connected);
        println!("after connect():   {chosen}");
        assert_eq!(chosen.ip(), Ipv4Addr::LOCALHOST);
        assert!(range.contains(&chosen.port()), "{chosen} not in {range:?}");
    });
    if let Err(why) = outcome {
        netns::skip("a UDP client that never calls bind()", &why);
    }
}
// ANCHOR_END: all
