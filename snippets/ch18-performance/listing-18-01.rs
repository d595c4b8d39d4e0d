// ANCHOR: all
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;

fn main() {
    // 一条回环 TCP 连接，一对 Unix 域字节流套接字
    let listener = sockbook::loopback::listener().unwrap();
    let tcp = sockbook::loopback::connect(listener.local_addr().unwrap()).unwrap();
    let (tcp_peer, _) = listener.accept().unwrap();
    let (unix, unix_peer) = UnixStream::pair().unwrap();
    sockbook::timeout::bound(&unix_peer).unwrap();

    let pairs: [(Box<dyn Write>, Box<dyn Read>, &str); 2] = [
        (Box::new(tcp), Box::new(tcp_peer), "TCP"),
        (Box::new(unix), Box::new(unix_peer), "Unix stream"),
    ];
    for (mut writer, mut reader, name) in pairs {
        let mut buffer = *b"ping";
        assert_eq!(writer.write(&buffer).unwrap(), 4);
        // write() 已经返回：缓冲区归程序所有，随便改写
        buffer.copy_from_slice(b"pong");
        let mut received = [0; 4];
        reader.read_exact(&mut received).unwrap();
        let text = String::from_utf8_lossy(&received);
        println!("{name}: wrote ping, then overwrote the buffer with pong; the peer read {text}");
        // 对方读到的仍是 ping：内核在 write() 返回前复制了一份
        assert_eq!(&received, b"ping", "{name}");
        assert_eq!(&buffer, b"pong");
    }
}
// ANCHOR_END: all
