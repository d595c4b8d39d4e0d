// ANCHOR: all
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use sockbook::closing;
use sockbook::state;
use sockbook::{layers, loopback, netns};
use socket2::SockRef;

/// 建一条连接，客户端设 SO_LINGER 为 0 秒后关闭；返回客户端地址和服务器一端
fn abort(listener: &TcpListener) -> (SocketAddr, TcpStream) {
    let client = loopback::connect(listener.local_addr().unwrap()).unwrap();
    let (server, client_addr) = listener.accept().unwrap();
    SockRef::from(&client)
        .set_linger(Some(Duration::ZERO))
        .unwrap();
    drop(client);
    (client_addr, server)
}

fn main() {
    let listener = loopback::listener().unwrap();
    let port = listener.local_addr().unwrap().port();
    let (client_addr, mut server) = abort(&listener);

    // 两端都从内核里消失了：客户端没有 TIME_WAIT，服务器一端也被 RST 关掉
    let sockets = state::wait_until(port, |sockets| {
        !sockets
            .iter()
            .any(|s| s.local == client_addr || s.peer == client_addr)
    })
    .unwrap();
    println!("left on port {port}: {sockets:?}");

    // 服务器的下一次 read() 报告连接被重置
    let err = server.read(&mut [0; 16]).unwrap_err();
    println!("read after the peer's abort: {err}");
    assert_eq!(err.kind(), io::ErrorKind::ConnectionReset);
    assert_eq!(err.raw_os_error(), Some(libc::ECONNRESET));
    // 错误只报告一次：之后 read() 返回 0，write() 得到 EPIPE
    assert_eq!(server.read(&mut [0; 16]).unwrap(), 0);
    assert_eq!(
        server.write(b"x").unwrap_err().kind(),
        io::ErrorKind::BrokenPipe
    );

    // 在私有命名空间里抓包：关闭时发出的是 RST，不是 FIN
    let outcome = netns::isolated(|| {
        let raw = layers::raw(6).unwrap();
        let listener = loopback::listener().unwrap();
        let server_port = listener.local_addr().unwrap().port();
        let (client_addr, _server) = abort(&listener);
        let segments = closing::capture(&raw, (client_addr.port(), server_port), |kept| {
            kept.iter().any(|s| s.flags.rst)
        })
        .unwrap();
        for s in &segments {
            println!(
                "  {} -> {}  {}",
                s.source_port,
                s.destination_port,
                s.flags.names()
            );
        }
        let reset = segments.last().unwrap();
        assert_eq!(reset.source_port, client_addr.port()); // 客户端发的 RST
        assert!(!segments.iter().any(|s| s.flags.fin)); // 没有 FIN
        assert_eq!(segments.len(), 4); // 握手三个段，然后一个 RST
    });
    if let Err(why) = outcome {
        netns::skip("capturing an abort in a private network namespace", &why);
    }
}
// ANCHOR_END: all
