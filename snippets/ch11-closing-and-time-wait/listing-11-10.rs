// ANCHOR: all
use std::io::{self, Read};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};

use sockbook::closing;
use sockbook::loopback;
use sockbook::state::{self, State};
use sockbook::timeout::{self, LIMIT};
use socket2::{Domain, Socket, Type};

fn main() {
    // Linux 的默认值是 0：TIME_WAIT 收到序号对得上的 RST，立即结束
    if closing::rfc1337().unwrap() {
        println!("net.ipv4.tcp_rfc1337 = 1: TIME_WAIT ignores resets here");
        return;
    }

    // 1. 服务器先关，TIME_WAIT 落在服务器一端。客户端绑定 127.0.0.11，
    //    别的示例不用这个地址，稍后可以放心地再绑定它
    let listener = loopback::listener().unwrap();
    let server_addr = listener.local_addr().unwrap();
    let client = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    let any_port = SocketAddr::from((Ipv4Addr::new(127, 0, 0, 11), 0));
    client.bind(&any_port.into()).unwrap();
    client.connect_timeout(&server_addr.into(), LIMIT).unwrap();
    let mut client = TcpStream::from(client);
    timeout::bound(&client).unwrap();
    let (server, client_addr) = listener.accept().unwrap();
    drop(server);
    assert_eq!(client.read(&mut [0; 1]).unwrap(), 0);
    state::wait_for(server_addr, client_addr, State::FinWait2).unwrap();
    drop(client);
    drop(listener);
    state::wait_until(server_addr.port(), |sockets| {
        // 客户端一端已经消失（CLOSED），它的地址空了出来
        !sockets.iter().any(|s| s.local == client_addr)
    })
    .unwrap();
    let waiting = state::wait_for(server_addr, client_addr, State::TimeWait).unwrap();
    println!("before: {waiting:?}");

    // 2. 新套接字绑定旧客户端的地址，再连服务器：四元组和 TIME_WAIT 的一样
    let again = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    again.set_reuse_address(true).unwrap();
    again.bind(&client_addr.into()).unwrap();
    // 没有监听者，TIME_WAIT 对 SYN 回一个 ACK；SYN_SENT 的一端认不得这个 ACK，
    // 回以 RST，序号正是 TIME_WAIT 等着的那个：TIME_WAIT 就此结束。
    // 重发的 SYN 再也找不到套接字，换来 RST：连接被拒绝
    let err = again
        .connect_timeout(&server_addr.into(), LIMIT)
        .unwrap_err();
    println!("connect from {client_addr}: {err}");
    assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);

    // 3. 还剩将近 60 秒的 TIME_WAIT 已经不在了
    let after = state::find(server_addr, client_addr).unwrap();
    println!("after: {after:?}");
    assert!(after.is_none());
}
// ANCHOR_END: all
