// ANCHOR: all
use std::io::{self, Read};
use std::net::TcpListener;

use sockbook::loopback;
use sockbook::state::{self, State};
use socket2::{Domain, SockRef, Socket, Type};

fn tcp() -> Socket {
    Socket::new(Domain::IPV4, Type::STREAM, None).unwrap()
}

fn in_use(result: io::Result<()>) {
    let err = result.unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EADDRINUSE));
    assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
}

fn main() {
    // 1. 地址和端口已经被一个监听套接字占着
    let listener = loopback::listener().unwrap();
    let addr = listener.local_addr().unwrap();
    let second = tcp();
    in_use(second.bind(&addr.into()));
    // SO_REUSEADDR 也没用：对方在 listen
    second.set_reuse_address(true).unwrap();
    in_use(second.bind(&addr.into()));
    drop(listener);

    // 2. 两个都设了 SO_REUSEADDR 的套接字能 bind 同一个端口，但只有一个能 listen
    let first = tcp();
    first.set_reuse_address(true).unwrap();
    first.bind(&loopback::ANY_PORT.into()).unwrap();
    let shared = first.local_addr().unwrap();
    let second = tcp();
    second.set_reuse_address(true).unwrap();
    second.bind(&shared).unwrap();
    first.listen(1).unwrap();
    in_use(second.listen(1)); // EADDRINUSE 这回来自 listen()
    drop((first, second));

    // 3. 最常见的情形：服务器重启，上一次的连接还在 TIME_WAIT
    let listener = loopback::listener().unwrap();
    let addr = listener.local_addr().unwrap();
    let mut client = loopback::connect(addr).unwrap();
    let (connection, client_addr) = listener.accept().unwrap();
    drop(connection); // 服务器先关，TIME_WAIT 留在服务器这一端
    assert_eq!(client.read(&mut [0; 1]).unwrap(), 0);
    state::wait_for(addr, client_addr, State::FinWait2).unwrap(); // 见示例 11-10
    drop(client);
    drop(listener); // 服务器进程“退出”
    let sockets = state::wait_until(addr.port(), |sockets| {
        sockets
            .iter()
            .any(|s| s.local == addr && s.state == State::TimeWait)
    })
    .unwrap();
    println!("after the restart: {sockets:?}");
    let mut at_addr = sockets.iter().filter(|s| s.local == addr);
    assert!(at_addr.all(|s| s.state == State::TimeWait));
    // 新的服务器不设 SO_REUSEADDR：bind 失败
    in_use(tcp().bind(&addr.into()));
    // 设了 SO_REUSEADDR：TIME_WAIT 不再挡路
    let restarted = tcp();
    restarted.set_reuse_address(true).unwrap();
    restarted.bind(&addr.into()).unwrap();
    drop(restarted);
    // 标准库的 TcpListener::bind 在 Unix 上替你设好了 SO_REUSEADDR
    let std_listener = TcpListener::bind(addr).unwrap();
    assert!(SockRef::from(&std_listener).reuse_address().unwrap());
}
// ANCHOR_END: all
