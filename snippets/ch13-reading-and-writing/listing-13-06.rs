// ANCHOR: all
use std::io::{Read, Write};

use sockbook::stream;

fn main() {
    // 像文档 003 的服务器那样：send() 之后马上 close()
    let (mut client, mut server) = stream::pair().unwrap();
    server.write_all(b"Current time is now").unwrap();
    drop(server); // close()

    // 已经发出的数据不会因为 close() 丢掉：先读到全部数据……
    let mut message = Vec::new();
    client.read_to_end(&mut message).unwrap();
    println!(
        "read {:?}, then end of stream",
        String::from_utf8_lossy(&message)
    );
    assert_eq!(message, b"Current time is now");

    // ……然后 read() 返回 0：流结束。再读多少次，都是 0，而且立刻返回
    let mut buf = [0; 64];
    for _ in 0..3 {
        assert_eq!(client.read(&mut buf).unwrap(), 0);
    }
    // 非阻塞模式下也是 0，不是 EAGAIN：“结束了”和“暂时没有”是两回事
    client.set_nonblocking(true).unwrap();
    assert_eq!(client.read(&mut buf).unwrap(), 0);

    // 两端是平等的：客户端先 close()，服务器那一端同样读到 0
    let (client, mut server) = stream::pair().unwrap();
    drop(client);
    assert_eq!(server.read(&mut buf).unwrap(), 0);
    assert_eq!(server.read(&mut buf).unwrap(), 0);
    println!("either end may close first; the other reads 0");
}
// ANCHOR_END: all
