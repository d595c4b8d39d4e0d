// ANCHOR: all
use std::io;

use sockbook::loopback;
use sockbook::reuse::{self, Reuse};
use sockbook::state::{self, State};
use socket2::SockRef;

fn main() {
    // 旧服务器（设了 SO_REUSEADDR）先关掉了一条连接，然后退出
    let (addr, old_client) = reuse::server_closed_first(Reuse::ADDR).unwrap();

    // 新服务器不设 SO_REUSEADDR：bind() 失败
    let err = reuse::tcp(addr, Reuse::NONE).unwrap_err();
    println!("without SO_REUSEADDR: {err}");
    assert_eq!(err.kind(), io::ErrorKind::AddrInUse);

    // 设了 SO_REUSEADDR：bind() 和 listen() 都成功，也能接受新连接
    let listener = reuse::listener(addr, Reuse::ADDR).unwrap();
    let client = loopback::connect(addr).unwrap();
    let (connection, peer) = listener.accept().unwrap();
    assert_eq!(peer, client.local_addr().unwrap());
    // 已连接套接字从监听套接字继承了这个选项，日后它的 TIME_WAIT 也带着它
    assert!(SockRef::from(&connection).reuse_address().unwrap());

    // TIME_WAIT 并没有被清掉：它和新的监听套接字并存
    let sockets = state::on_port(addr.port()).unwrap();
    for socket in &sockets {
        println!(
            "{:<10} {} -> {}",
            socket.state.ss_name(),
            socket.local,
            socket.peer
        );
    }
    assert!(sockets
        .iter()
        .any(|s| s.state == State::Listen && s.local == addr));
    assert!(sockets
        .iter()
        .any(|s| s.state == State::TimeWait && s.local == addr && s.peer == old_client));

    // 标准库的 TcpListener::bind() 在 Unix 上替你设了 SO_REUSEADDR
    let std_listener = loopback::listener().unwrap();
    assert!(SockRef::from(&std_listener).reuse_address().unwrap());
}
// ANCHOR_END: all
