// ANCHOR: all
use std::io::{self, Read, Write};

use sockbook::loopback;
use sockbook::reuse::{self, Reuse};
use sockbook::state::{self, State};

fn main() {
    // 旧服务器关掉了监听套接字，但一条连接还开着（比如交给了子进程）
    let old = loopback::listener().unwrap(); // 设了 SO_REUSEADDR
    let addr = old.local_addr().unwrap();
    let mut client = loopback::connect(addr).unwrap();
    let (mut connection, _) = old.accept().unwrap();
    drop(old);
    let sockets = state::on_port(addr.port()).unwrap();
    let served = sockets.iter().find(|s| s.local == addr).unwrap();
    assert_eq!(served.state, State::Established); // 不是 TIME_WAIT
    assert!(!sockets.iter().any(|s| s.state == State::Listen));

    // 不设选项：绑不上
    let err = reuse::tcp(addr, Reuse::NONE).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
    // 设了 SO_REUSEADDR：端口上有 ESTABLISHED 的连接，照样成功
    let new = reuse::listener(addr, Reuse::ADDR).unwrap();
    println!("listening again on {addr} beside an ESTABLISHED connection");

    // 旧连接不受影响
    connection.write_all(b"still here").unwrap();
    let mut text = [0; 10];
    client.read_exact(&mut text).unwrap();
    assert_eq!(&text, b"still here");

    // 挡住 SO_REUSEADDR 的只有 LISTEN：端口上有人在监听，就绑不上
    let err = reuse::tcp(addr, Reuse::ADDR).unwrap_err();
    println!("beside a LISTEN socket: {err}");
    assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
    drop(new);
}
// ANCHOR_END: all
