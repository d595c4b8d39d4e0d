// ANCHOR: all
use std::io;
use std::os::fd::AsRawFd;
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::UnixDatagram;

use nix::sys::socket::{recv, MsgFlags};

use sockbook::{timeout, unix};
use socket2::{Domain, SockAddr, SockRef, Socket, Type};

fn main() {
    let dir = tempfile::tempdir().unwrap();

    // ---- SOCK_DGRAM：服务器绑定一个路径 ----
    let server_path = dir.path().join("dgram.sock");
    let server = UnixDatagram::bind(&server_path).unwrap();
    timeout::bound(&server).unwrap();
    // 数据报套接字不能 listen()：EOPNOTSUPP，和 UDP 一样
    let err = SockRef::from(&server).listen(1).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EOPNOTSUPP));

    // 不绑定的客户端也能发；但内核不会替它自动绑定（与 UDP 不同），服务器看到的来信地址是“无名”
    let anonymous = UnixDatagram::unbound().unwrap();
    anonymous.send_to(b"who am I?", &server_path).unwrap();
    let mut buf = [0u8; 64];
    let (n, from) = server.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"who am I?");
    assert!(from.is_unnamed());
    assert!(anonymous.local_addr().unwrap().is_unnamed());
    // 无名的来信者没法回信；想收回信，客户端要有名字：一个路径，或自动绑定的抽象名字
    let named = UnixDatagram::unbound().unwrap();
    timeout::bound(&named).unwrap();
    unix::autobind(&named).unwrap();
    named.send_to(b"ping", &server_path).unwrap();
    let (n, from) = server.recv_from(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"ping");
    assert_eq!(
        from.as_abstract_name(),
        named.local_addr().unwrap().as_abstract_name()
    );
    // 按来信地址回信，和 UDP 服务器一样
    server.send_to_addr(b"pong", &from).unwrap();
    let n = named.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"pong");

    // 错误是当场报告的：路径不存在，ENOENT；套接字已关闭（文件还在），ECONNREFUSED
    let err = named
        .send_to(b"hello?", dir.path().join("missing.sock"))
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotFound);
    drop(server);
    let err = named.send_to(b"hello?", &server_path).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);

    // ---- SOCK_SEQPACKET：有连接（listen、accept），又保留消息边界 ----
    let seq_path = dir.path().join("seqpacket.sock");
    let listener = Socket::new(Domain::UNIX, Type::SEQPACKET, None).unwrap();
    timeout::bound(&listener).unwrap();
    listener.bind(&SockAddr::unix(&seq_path).unwrap()).unwrap();
    listener.listen(16).unwrap();
    let client = Socket::new(Domain::UNIX, Type::SEQPACKET, None).unwrap();
    timeout::bound(&client).unwrap();
    client.connect(&SockAddr::unix(&seq_path).unwrap()).unwrap();
    let (served, peer) = listener.accept().unwrap();
    timeout::bound(&served).unwrap();
    assert!(peer.is_unnamed());
    client.send(b"one").unwrap();
    client.send(b"two").unwrap();
    drop(client);
    // 一次 recv() 一条消息；对方关闭后读到 0，即“流结束”
    let mut messages = Vec::new();
    loop {
        let mut buf = [0u8; 64];
        let n = recv(served.as_raw_fd(), &mut buf, MsgFlags::empty()).unwrap();
        if n == 0 {
            break;
        }
        messages.push(buf[..n].to_vec());
    }
    assert_eq!(messages, [b"one".to_vec(), b"two".to_vec()]);
}
// ANCHOR_END: all
