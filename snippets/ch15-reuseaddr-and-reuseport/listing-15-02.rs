// ANCHOR: all
use std::io::{self, Read};
use std::time::Duration;

use sockbook::loopback;
use sockbook::reuse::{self, Reuse};
use sockbook::state::{self, State, Timer};

fn main() {
    // 1. 端口上从没有过连接：监听套接字一关，端口立刻空出来
    let listener = reuse::listener(loopback::ANY_PORT, Reuse::NONE).unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let again = reuse::listener(addr, Reuse::NONE).unwrap(); // 不设任何选项
    assert_eq!(again.local_addr().unwrap(), addr);

    // 2. 有过连接，但客户端先关：TIME_WAIT 在客户端的端口上，服务器端口照样空出来
    let client = loopback::connect(addr).unwrap();
    let client_addr = client.local_addr().unwrap();
    let (mut connection, _) = again.accept().unwrap();
    drop(client);
    assert_eq!(connection.read(&mut [0; 1]).unwrap(), 0);
    state::wait_for(client_addr, addr, State::FinWait2).unwrap(); // 见示例 11-10
    drop((connection, again));
    state::wait_until(addr.port(), |sockets| {
        // 客户端一端在 TIME_WAIT，服务器一端已经消失
        sockets
            .iter()
            .any(|s| s.local == client_addr && s.state == State::TimeWait)
            && !sockets.iter().any(|s| s.local == addr)
    })
    .unwrap();
    let third = reuse::listener(addr, Reuse::NONE).unwrap();
    println!("{addr} rebound at once, no option needed");
    drop(third);

    // 3. 服务器先关：服务器端口上有一条 TIME_WAIT 的连接，这才要等
    let (server, client) = reuse::server_closed_first(Reuse::NONE).unwrap();
    let sockets = state::on_port(server.port()).unwrap();
    let waiting = sockets
        .iter()
        .find(|s| s.local == server && s.peer == client)
        .unwrap();
    assert_eq!(waiting.state, State::TimeWait);
    let Some(Timer::TimeWait(left)) = waiting.timer else {
        panic!("no TIME_WAIT timer: {waiting:?}");
    };
    println!("{server} -> {client}: TIME-WAIT, {left:?} left");
    // Linux 的 TIME_WAIT 是 60 秒，不是两分钟
    assert!(left <= Duration::from_secs(60), "{left:?}");
    assert!(left > Duration::from_secs(50), "{left:?}");
    let err = reuse::tcp(server, Reuse::NONE).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
}
// ANCHOR_END: all
