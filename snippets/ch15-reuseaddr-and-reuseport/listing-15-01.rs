// ANCHOR: all
use std::io::Read;

use sockbook::state::{self, State};
use sockbook::{loopback, server};

fn main() {
    // 1. 服务器先关：服务器这一端进入 TIME_WAIT
    let server = server::spawn(|listener| {
        let (connection, peer) = listener.accept()?;
        drop(connection); // 服务器先 close()
        Ok(peer)
    })
    .unwrap();
    let addr = server.addr();
    let mut client = loopback::connect(addr).unwrap();
    let client_addr = server.join().unwrap();
    assert_eq!(client.read(&mut [0; 1]).unwrap(), 0); // 读到流结束
    state::wait_for(addr, client_addr, State::FinWait2).unwrap(); // 服务器的 FIN 已被确认
    drop(client); // 客户端后 close()：见示例 11-10
    let sockets = state::wait_until(addr.port(), |sockets| {
        // 服务器一端在 TIME_WAIT，客户端一端已经消失
        sockets
            .iter()
            .any(|s| s.local == addr && s.peer == client_addr && s.state == State::TimeWait)
            && !sockets.iter().any(|s| s.local == client_addr)
    })
    .unwrap();
    println!("server closed first: {sockets:?}");

    // 2. 客户端先关：TIME_WAIT 落在客户端那一端
    let listener = loopback::listener().unwrap();
    let addr = listener.local_addr().unwrap();
    let client = loopback::connect(addr).unwrap();
    let client_addr = client.local_addr().unwrap();
    let (mut connection, _) = listener.accept().unwrap();
    drop(client); // 客户端先 close()
    assert_eq!(connection.read(&mut [0; 1]).unwrap(), 0);
    state::wait_for(client_addr, addr, State::FinWait2).unwrap();
    drop(connection); // 服务器后 close()
    let sockets = state::wait_until(addr.port(), |sockets| {
        sockets
            .iter()
            .any(|s| s.local == client_addr && s.peer == addr && s.state == State::TimeWait)
            && !sockets
                .iter()
                .any(|s| s.local == addr && s.peer == client_addr)
    })
    .unwrap();
    println!("client closed first: {sockets:?}");
}
// ANCHOR_END: all
