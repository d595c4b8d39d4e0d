// ANCHOR: all
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};

use sockbook::{netns, ports, timeout};
use socket2::{Domain, Socket, Type};

const DATA: &[u8] = b"Hello UDP!";

/// 文档 003 的客户端：socket()、sendto()、close()，不调用 bind()
fn client(server: SocketAddr) -> SocketAddr {
    // s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    let s = Socket::new(Domain::IPV4, Type::DGRAM, None).unwrap();
    // s.sendto(data, (HOST, PORT))
    let sent = s.send_to(DATA, &server.into()).unwrap();
    assert_eq!(sent, DATA.len());
    println!("Sent: {} to {server}", String::from_utf8_lossy(DATA));
    // 发送之后，这个套接字有了本地地址（下一个示例细看）
    let me = s.local_addr().unwrap().as_socket().unwrap();
    // s.close()：丢弃 Socket 即关闭
    drop(s);
    me
}

fn main() {
    // 文档的服务器绑定 0.0.0.0，只能在私有网络命名空间里这样做
    let outcome = netns::isolated(|| {
        // s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((HOST, PORT))
        // HOST 照抄 0.0.0.0，PORT 改为 0：由内核挑端口
        let s = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).unwrap();
        timeout::bound(&s).unwrap(); // recvfrom() 最多等 5 秒
        let port = s.local_addr().unwrap().port();

        // 客户端运行两次，每次都是一个新的套接字，发完就关。
        // 第二次发往 127.0.0.2：服务器绑定了所有地址，这个地址也收
        let clients = [
            client(SocketAddr::from((Ipv4Addr::LOCALHOST, port))),
            client(SocketAddr::from((Ipv4Addr::new(127, 0, 0, 2), port))),
        ];

        // 服务器的 while True 循环，这里只转两圈
        let mut heard = Vec::new();
        for _ in 0..clients.len() {
            let mut buf = [0u8; 1024]; // recvfrom(1024)
            let (n, addr) = s.recv_from(&mut buf).unwrap();
            println!(
                "Received: {} from {addr}",
                String::from_utf8_lossy(&buf[..n])
            );
            heard.push((buf[..n].to_vec(), addr));
        }
        // 临时端口范围是每个网络命名空间各有一份的设置，在里面读
        let range = ports::ephemeral_range().unwrap();
        (s.local_addr().unwrap(), range, clients, heard)
    });
    let (bound, range, clients, heard) = match outcome {
        Ok(result) => result,
        Err(why) => return netns::skip("a UDP server on 0.0.0.0", &why),
    };

    // 服务器绑定的是通配地址，端口由内核从临时端口范围里挑
    assert_eq!(bound.ip(), Ipv4Addr::UNSPECIFIED);
    assert!(range.contains(&bound.port()), "{bound}");
    // 两个数据报都到了，虽然两个客户在服务器读之前就已关闭
    assert_eq!(heard.len(), 2);
    let mut senders = Vec::new();
    for (data, from) in &heard {
        assert_eq!(data, DATA);
        // 来信地址是回环地址加上某个客户端的端口
        assert!(from.ip().is_loopback(), "{from}");
        senders.push(from.port());
    }
    // 来信的端口正是两个客户端套接字发送后得到的端口（UDP 不保证顺序，排序后再比）
    let mut ports: Vec<u16> = clients.iter().map(SocketAddr::port).collect();
    ports.sort();
    senders.sort();
    assert_eq!(senders, ports);
}
// ANCHOR_END: all
