// ANCHOR: all
use std::io::{self, Read, Write};
use std::net::Shutdown;

use sockbook::stream;

fn main() {
    let (mut client, mut server) = stream::pair().unwrap();

    // 客户端说完了：只关掉自己发送的方向（shutdown(SHUT_WR)），套接字仍然打开
    client.write_all(b"question").unwrap();
    client.shutdown(Shutdown::Write).unwrap();

    // 服务器读完问题，再读就是 0：这个方向结束了
    let mut question = String::new();
    server.read_to_string(&mut question).unwrap();
    assert_eq!(question, "question");

    // 可连接没有“撤消”：服务器照样能写，客户端照样能读
    server.write_all(b"answer").unwrap();
    let mut buf = [0; 64];
    let n = client.read(&mut buf).unwrap();
    println!(
        "after shutdown(Write) the client still read {:?}",
        String::from_utf8_lossy(&buf[..n])
    );
    assert_eq!(&buf[..n], b"answer");

    // 只是客户端自己不能再写了：EPIPE
    let err = client.write(b"more").unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
    assert_eq!(err.raw_os_error(), Some(libc::EPIPE));

    // 服务器也关掉之后，连接才完全结束
    drop(server);
    assert_eq!(client.read(&mut buf).unwrap(), 0);
}
// ANCHOR_END: all
