// ANCHOR: all
use std::io::{self, Read};

use sockbook::{counters, datagram, loopback, netns};
use socket2::SockRef;

/// 做一件事，返回这期间本命名空间发出的 IP 包个数
fn packets_sent_by(action: impl FnOnce()) -> u64 {
    let before = counters::ip_packets_sent().unwrap();
    action();
    counters::ip_packets_sent().unwrap() - before
}

fn main() {
    // UDP 套接字不能 listen()，也不能 accept()：EOPNOTSUPP，“不支持的操作”
    let udp = datagram::bind().unwrap();
    let socket = SockRef::from(&udp);
    let err = socket.listen(16).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EOPNOTSUPP));
    let err = socket.accept().unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EOPNOTSUPP));

    // 计数要准，就不能有别的程序在发包：到私有网络命名空间里去数
    let outcome = netns::isolated(|| {
        // ---- UDP ----
        let server = datagram::bind().unwrap();
        let client = datagram::bind().unwrap();
        let to = server.local_addr().unwrap();
        let connect = packets_sent_by(|| client.connect(to).unwrap());
        let send = packets_sent_by(|| {
            for message in [&b"one"[..], b"two", b"three"] {
                client.send(message).unwrap();
            }
        });
        let close = packets_sent_by(|| drop(client));
        println!("UDP: connect() sent {connect} packets, 3 send() {send}, close() {close}");
        // connect() 和 close() 一个包也不发，每次 send() 恰好一个包
        assert_eq!((connect, send, close), (0, 3, 0));
        // 服务器收下三个数据报，之后什么也没有：没有“对方已关闭”这回事
        for _ in 0..3 {
            server.recv(&mut [0; 16]).unwrap();
        }
        server.set_nonblocking(true).unwrap();
        let err = server.recv(&mut [0; 16]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WouldBlock);

        // ---- TCP，作对照 ----
        let listener = loopback::listener().unwrap();
        let mut stream = None;
        let connect = packets_sent_by(|| {
            stream = Some(loopback::connect(listener.local_addr().unwrap()).unwrap());
        });
        let (mut served, _) = listener.accept().unwrap();
        let close = packets_sent_by(|| drop(stream.take()));
        println!("TCP: connect() sent {connect} packets, close() {close}");
        // connect() 是三次握手的三个包（SYN、SYN+ACK、ACK），close() 也要发包
        assert_eq!(connect, 3);
        assert!(close >= 1, "{close}");
        // 对方知道连接结束了：read() 返回 0
        assert_eq!(served.read(&mut [0; 16]).unwrap(), 0);
    });
    if let Err(why) = outcome {
        netns::skip("counting packets in a private namespace", &why);
    }
}
// ANCHOR_END: all
