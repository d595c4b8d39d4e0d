// ANCHOR: all
use std::io::{self, Read, Write};
use std::net::Shutdown;

use sockbook::loopback;
use sockbook::state::{self, State};

fn main() {
    let listener = loopback::listener().unwrap();
    let server_addr = listener.local_addr().unwrap();
    let mut client = loopback::connect(server_addr).unwrap();
    let (mut server, client_addr) = listener.accept().unwrap();

    // 客户端发完请求，只关掉自己“发”的方向
    client.write_all(b"request").unwrap();
    client.shutdown(Shutdown::Write).unwrap();

    // 服务器读到请求，然后读到 0：流结束
    let mut request = String::new();
    server.read_to_string(&mut request).unwrap();
    assert_eq!(request, "request");

    // 内核里：客户端 FIN_WAIT2，没有定时器（它还有描述符，不是孤儿）；服务器 CLOSE_WAIT
    let sockets = state::wait_until(server_addr.port(), |sockets| {
        sockets
            .iter()
            .any(|s| s.local == client_addr && s.state == State::FinWait2)
    })
    .unwrap();
    let client_end = sockets.iter().find(|s| s.local == client_addr).unwrap();
    let server_end = sockets.iter().find(|s| s.peer == client_addr).unwrap();
    println!("client: {client_end:?}\nserver: {server_end:?}");
    assert_eq!(client_end.timer, None);
    assert_eq!(server_end.state, State::CloseWait);

    // 连接还在：服务器照样能发，半关闭的客户端照样能收
    server.write_all(b"response").unwrap();
    let mut response = [0; 8];
    client.read_exact(&mut response).unwrap();
    assert_eq!(&response, b"response");

    // 客户端自己却不能再发：EPIPE
    let err = client.write(b"more").unwrap_err();
    println!("write after shutdown(Write): {err}");
    assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);

    // 服务器发完也关闭：客户端读到流结束，进入 TIME_WAIT
    drop(server);
    let mut rest = Vec::new();
    client.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty());
    let sockets = state::wait_until(server_addr.port(), |sockets| {
        sockets
            .iter()
            .any(|s| s.local == client_addr && s.state == State::TimeWait)
    })
    .unwrap();
    println!("{sockets:?}");
}
// ANCHOR_END: all
