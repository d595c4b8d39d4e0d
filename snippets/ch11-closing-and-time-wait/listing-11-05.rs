// ANCHOR: all
use std::io::{Read, Write};
use std::time::Duration;

use sockbook::closing::TIME_WAIT_LEN;
use sockbook::loopback;
use sockbook::state::{self, State, Timer};

fn main() {
    let listener = loopback::listener().unwrap();
    let server_addr = listener.local_addr().unwrap();
    let mut client = loopback::connect(server_addr).unwrap();
    let (mut server, client_addr) = listener.accept().unwrap();

    // 这次是服务器先关：写完回应就 close()
    server.write_all(b"bye").unwrap();
    drop(server);
    // 客户端读完，读到流结束，随后也关闭
    let mut text = String::new();
    client.read_to_string(&mut text).unwrap();
    assert_eq!(text, "bye");
    // 等服务器的 FIN 被确认（FIN_WAIT2）再关，见示例 11-10
    state::wait_for(server_addr, client_addr, State::FinWait2).unwrap();
    drop(client);
    drop(listener); // 连监听套接字也关掉

    // TIME_WAIT 落在服务器这一端：本地地址是服务器的地址和端口
    let sockets = state::wait_until(server_addr.port(), |sockets| {
        sockets
            .iter()
            .any(|s| s.local == server_addr && s.state == State::TimeWait)
            && !sockets.iter().any(|s| s.local == client_addr)
    })
    .unwrap();
    // 本地地址是服务器地址的，只剩一个：客户端一端已经 CLOSED
    let local: Vec<_> = sockets.iter().filter(|s| s.local == server_addr).collect();
    println!("{local:#?}");
    assert_eq!(local.len(), 1);
    let waiting = local[0];
    assert_eq!((waiting.local, waiting.peer), (server_addr, client_addr));
    assert_eq!(waiting.state, State::TimeWait);
    match waiting.timer {
        Some(Timer::TimeWait(left)) => {
            assert!(left <= TIME_WAIT_LEN && left > TIME_WAIT_LEN - Duration::from_secs(10));
        }
        other => panic!("unexpected timer {other:?}"),
    }
}
// ANCHOR_END: all
