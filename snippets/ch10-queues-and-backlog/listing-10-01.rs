// ANCHOR: all
use std::io;
use std::net::{SocketAddr, TcpListener};

use sockbook::state::{self, State, TcpSocket};
use sockbook::{backlog, loopback, netns, timeout};
use socket2::{Domain, Socket, Type};

/// 检查器眼中本地地址为 addr、没有对端的那个套接字
fn unconnected(addr: SocketAddr) -> TcpSocket {
    let nobody = SocketAddr::from(([0, 0, 0, 0], 0));
    state::find(addr, nobody)
        .unwrap()
        .expect("the kernel lists it")
}

/// 内核为监听套接字 socket 记下的 backlog：检查器里 LISTEN 那一行的发送队列
fn kernel_backlog(socket: &Socket) -> u32 {
    let listening = unconnected(socket.local_addr().unwrap().as_socket().unwrap());
    assert_eq!(listening.state, State::Listen);
    listening.send_queue
}

fn main() {
    let somaxconn = backlog::sysctl_number("net.core.somaxconn").unwrap();
    println!("net.core.somaxconn = {somaxconn}");
    let somaxconn = u32::try_from(somaxconn).unwrap();

    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    timeout::bound(&socket).unwrap(); // accept() 最多等 5 秒
    socket.bind(&loopback::ANY_PORT.into()).unwrap();
    let addr = socket.local_addr().unwrap().as_socket().unwrap();
    // listen() 之前：一个绑定了地址的 CLOSED 套接字；accept() 无从取起，连它会被拒绝
    let before = unconnected(addr);
    println!("before listen(): {before:?}");
    assert_eq!(before.state, State::Close);
    let err = socket.accept().unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EINVAL));
    let err = loopback::connect(addr).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);

    // listen() 之后：同一个套接字进入 LISTEN 状态，backlog 就是我们要的 5
    socket.listen(5).unwrap();
    let after = unconnected(addr);
    println!("after listen(): {after:?}");
    assert_eq!(after.state, State::Listen);
    assert_eq!(after.inode, before.inode);
    assert_eq!(kernel_backlog(&socket), 5);
    // 现在内核替它接受连接了
    let client = loopback::connect(addr).unwrap();
    let (_conn, peer) = socket.accept().unwrap();
    assert_eq!(peer.as_socket(), Some(client.local_addr().unwrap()));
    // 对监听套接字再调用 listen()，只是换一个 backlog
    for (asked, settled) in [
        (0, 0),
        (i32::MAX, somaxconn), // 太大：截成 somaxconn
        (-1, somaxconn),       // 负数在 Linux 上也当作“尽量大”
        (128, 128.min(somaxconn)),
    ] {
        socket.listen(asked).unwrap();
        let got = kernel_backlog(&socket);
        println!("listen(fd, {asked}) -> backlog {got}");
        assert_eq!(got, settled);
    }

    // 私有命名空间有它自己的 somaxconn：改小它，大的 backlog 就被截得更小
    let inside = netns::isolated(|| {
        backlog::set_sysctl("net.core.somaxconn", "8").unwrap();
        let big = backlog::listener(1000).unwrap();
        let small = backlog::listener(3).unwrap();
        let of = |listener: &TcpListener| unconnected(listener.local_addr().unwrap()).send_queue;
        (of(&big), of(&small))
    });
    match inside {
        Ok((big, small)) => {
            println!("with somaxconn = 8: listen(fd, 1000) -> {big}, listen(fd, 3) -> {small}");
            assert_eq!((big, small), (8, 3));
        }
        Err(why) => netns::skip("somaxconn of a private namespace", &why),
    }
}
// ANCHOR_END: all
