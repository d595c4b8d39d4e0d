// ANCHOR: all
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use sockbook::counters::Counters;
use sockbook::{loopback, netns, state};
use socket2::SockRef;

fn main() {
    let outcome = netns::isolated(|| {
        let listener = loopback::listener().unwrap();
        let addr = listener.local_addr().unwrap();

        // 1. SO_LINGER 设为 0 秒再 close()：不走 FIN，直接发 RST
        let mut client = loopback::connect(addr).unwrap();
        let (server, _) = listener.accept().unwrap();
        SockRef::from(&server)
            .set_linger(Some(Duration::ZERO))
            .unwrap();
        let before = Counters::read().unwrap();
        drop(server); // close()
        let delta = Counters::read().unwrap().since(&before);
        println!("SO_LINGER 0, close(): {:?}", delta.moved());
        // 只发了一个段，就是这个 RST；内核把这种中止记在 TCPAbortOnData 名下
        assert_eq!(delta.get("Tcp", "OutSegs"), Some(1));
        assert_eq!(delta.get("Tcp", "OutRsts"), Some(1));
        assert_eq!(delta.get("TcpExt", "TCPAbortOnData"), Some(1));
        reset(&mut client);

        // 2. 接收队列里还有没读的数据就 close()：同样是 RST，不是 FIN
        let mut client = loopback::connect(addr).unwrap();
        let (server, _) = listener.accept().unwrap();
        client.write_all(b"unread").unwrap();
        // 等数据进了服务器的接收队列（MSG_PEEK：只看不取）
        assert_eq!(server.peek(&mut [0; 6]).unwrap(), 6);
        let before = Counters::read().unwrap();
        drop(server);
        let delta = Counters::read().unwrap().since(&before);
        println!("close() with unread data: {:?}", delta.moved());
        assert_eq!(delta.get("Tcp", "OutSegs"), Some(1));
        assert_eq!(delta.get("Tcp", "OutRsts"), Some(1));
        assert_eq!(delta.get("TcpExt", "TCPAbortOnClose"), Some(1));
        reset(&mut client);
    });
    if let Err(why) = outcome {
        netns::skip("resets counted in a private namespace", &why);
    }
}

/// 收到 RST 的这一端：read 报 ECONNRESET，只报一次；连接已经不在了
fn reset(client: &mut TcpStream) {
    let err = client.read(&mut [0; 16]).unwrap_err();
    println!("the other end: read: {err}");
    assert_eq!(err.kind(), io::ErrorKind::ConnectionReset);
    assert_eq!(err.raw_os_error(), Some(libc::ECONNRESET));
    // 内核里这条连接没了
    let (local, peer) = (client.local_addr().unwrap(), client.peer_addr());
    assert_eq!(peer.unwrap_err().raw_os_error(), Some(libc::ENOTCONN));
    assert!(state::on_port(local.port())
        .unwrap()
        .iter()
        .all(|s| s.local != local));
    // 再读是流结束，再写是 EPIPE
    assert_eq!(client.read(&mut [0; 16]).unwrap(), 0);
    let err = client.write(b"more").unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
    assert_eq!(err.raw_os_error(), Some(libc::EPIPE));
}
// ANCHOR_END: all
