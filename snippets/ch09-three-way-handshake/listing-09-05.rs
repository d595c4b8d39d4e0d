// ANCHOR: all
use std::io::{self, Read};
use std::net::{SocketAddr, SocketAddrV4};
use std::time::Duration;

use sockbook::handshake::{self, Segment, ACK, FIN, RST, SYN};
use sockbook::{loopback, netns};
use socket2::SockRef;

fn main() {
    let outcome = netns::isolated(|| {
        handshake::silence().unwrap();
        let capture = handshake::capture().unwrap();

        // 一、SYN 到达一个没有人监听的端口：回 RST，connect() 立即失败
        let (_held, closed) = loopback::closed_port().unwrap();
        let err = loopback::connect(closed).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
        let syn = handshake::next(&capture, |s| SocketAddr::V4(s.destination) == closed).unwrap();
        let rst = handshake::next(&capture, |s| SocketAddr::V4(s.source) == closed).unwrap();
        println!("{syn}\n{rst}");
        assert!(syn.is(SYN));
        // RST 确认了那个 SYN（确认号 = 它的序号 + 1），自己的序号是 0
        assert!(rst.is(RST | ACK));
        assert_eq!(rst.acknowledgement, syn.sequence.wrapping_add(1));
        assert_eq!(rst.sequence, 0);

        // 二、一个不属于任何连接的段（这里是手工发的 ACK）：也回 RST
        let SocketAddr::V4(port) = closed else {
            unreachable!()
        };
        let stranger = SocketAddrV4::new(handshake::SILENT_HOST, 40000);
        let lost = Segment::new(stranger, port, 5000, 777, ACK, b"");
        handshake::send(&handshake::sender().unwrap(), &lost).unwrap();
        let rst = handshake::next(&capture, |s| s.destination == stranger).unwrap();
        println!("{lost}\n{rst}");
        // 这个 RST 的序号取自那个段的确认号
        assert!(rst.is(RST));
        assert_eq!(rst.sequence, 777);

        // 三、TCP 想取消一条已有的连接：SO_LINGER 设为 0 秒再 close()
        let listener = loopback::listener().unwrap();
        let client = loopback::connect(listener.local_addr().unwrap()).unwrap();
        let (mut server, _) = listener.accept().unwrap();
        let me = client.local_addr().unwrap();
        SockRef::from(&client)
            .set_linger(Some(Duration::ZERO))
            .unwrap();
        drop(client);
        // close() 之后客户端发出的第一个段：不是 FIN，而是 RST
        let rst = handshake::next(&capture, |s| {
            SocketAddr::V4(s.source) == me && (s.has(RST) || s.has(FIN))
        })
        .unwrap();
        println!("{rst}");
        assert!(rst.is(RST | ACK));
        // 对端的下一次 read() 得到“连接被重置”
        let err = server.read(&mut [0; 1]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionReset);
    });
    if let Err(why) = outcome {
        netns::skip("raw sockets in a private network namespace", &why);
    }
}
// ANCHOR_END: all
