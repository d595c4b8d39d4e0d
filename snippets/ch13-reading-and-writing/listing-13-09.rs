// ANCHOR: all
use std::io::{self, Read, Write};
use std::thread;
use std::time::Instant;

use nix::poll::PollFlags;
use sockbook::stream;
use sockbook::timeout::LIMIT;

/// 有上限地等，直到 `done()` 成立：等的是内核的状态，不是时钟
fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + LIMIT;
    while !done() {
        assert!(Instant::now() < deadline, "waited too long for: {what}");
        thread::yield_now();
    }
}

fn main() {
    let mut buf = [0; 64];

    // 情形一：对方正常关闭（FIN），我们还在写
    let (mut client, mut server) = stream::pair().unwrap();
    server.write_all(b"bye").unwrap();
    drop(server);
    client.read_to_end(&mut Vec::new()).unwrap(); // 读到 "bye" 和流结束
                                                  // 收到了对方的 FIN：本端处于 CLOSE_WAIT
    assert_eq!(stream::tcp_state(&client).unwrap(), "CLOSE_WAIT");

    // 对方已经关闭，第一次 write() 照样成功：内核收下了，也发出去了
    let n = client.write(b"are you there?").unwrap();
    println!("first write after the peer closed: Ok({n})");
    assert_eq!(n, 14);

    // 对方的内核已经没有套接字来收它，回了一个 RST；poll() 看到 POLLHUP | POLLERR
    let events = stream::wait_for_hangup(&client).unwrap();
    println!("then poll(): {events:?}");
    assert!(events.contains(PollFlags::POLLHUP | PollFlags::POLLERR));
    assert_eq!(stream::tcp_state(&client).unwrap(), "CLOSE");

    // 第二次 write() 失败：EPIPE，Rust 报告为 BrokenPipe；之后每次都是
    for _ in 0..2 {
        let err = client.write(b"hello?").unwrap_err();
        println!("next write: {err}");
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
        assert_eq!(err.raw_os_error(), Some(libc::EPIPE));
    }
    assert_eq!(client.read(&mut buf).unwrap(), 0); // 读仍然只是流结束

    // 情形二：对方关闭时，接收队列里还有它没读的数据：内核不发 FIN，直接发 RST
    let (mut client, mut server) = stream::pair().unwrap();
    client.write_all(b"never read").unwrap();
    server.write_all(b"last words").unwrap();
    wait_until("both queues to fill", || {
        stream::unread(&server).unwrap() == 10 && stream::unread(&client).unwrap() == 10
    });
    // "never read" 早已被对方内核确认：客户端的发送队列是空的
    assert_eq!(stream::unacked(&client).unwrap(), 0);
    // 没有收到过 FIN：本端处于 ESTABLISHED
    assert_eq!(stream::tcp_state(&client).unwrap(), "ESTABLISHED");
    drop(server); // 这 10 个字节随之丢弃，对方程序一个也没读到

    let events = stream::wait_for_hangup(&client).unwrap();
    assert!(events.contains(PollFlags::POLLHUP | PollFlags::POLLERR));
    // 已经到达客户端的数据还在，先读到它……
    let n = client.read(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"last words");
    // ……下一次 read() 才报告重置：ECONNRESET，Rust 报告为 ConnectionReset
    let err = client.read(&mut buf).unwrap_err();
    println!("read after the reset: {err}");
    assert_eq!(err.kind(), io::ErrorKind::ConnectionReset);
    assert_eq!(err.raw_os_error(), Some(libc::ECONNRESET));
    // 错误只报告一次；之后写是 EPIPE，读是 0
    let err = client.write(b"hello?").unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
    assert_eq!(client.read(&mut buf).unwrap(), 0);
}
// ANCHOR_END: all
