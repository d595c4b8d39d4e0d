// ANCHOR: all
use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

use sockbook::{loopback, stream};
use socket2::SockRef;

fn main() {
    // 把两头的缓冲区都设得很小：服务器的接收缓冲区（在 accept 之前设在监听套接字上），
    // 客户端的发送缓冲区；Linux 把设的值翻倍，留给内核自己的开销
    let listener = loopback::listener().unwrap();
    SockRef::from(&listener).set_recv_buffer_size(4096).unwrap();
    let client = loopback::connect(listener.local_addr().unwrap()).unwrap();
    SockRef::from(&client).set_send_buffer_size(4096).unwrap();
    let (server, _) = listener.accept().unwrap();
    assert_eq!(SockRef::from(&client).send_buffer_size().unwrap(), 8192);
    assert_eq!(SockRef::from(&server).recv_buffer_size().unwrap(), 8192);

    // 服务器从不读。客户端用非阻塞模式，一次要写 1 MiB
    client.set_nonblocking(true).unwrap();
    let big = vec![b'x'; 1 << 20];
    let first = (&client).write(&big).unwrap();
    println!(
        "non-blocking write of {} bytes: {first} accepted",
        big.len()
    );
    assert!(
        0 < first && first < big.len(),
        "not a partial write: {first}"
    );

    // 接着写，直到内核一个字节也不收：EAGAIN
    let mut accepted = first;
    let err = loop {
        match (&client).write(&big) {
            Ok(n) => accepted += n,
            Err(err) => break err,
        }
        assert!(accepted < big.len(), "the buffers never filled");
    };
    println!("then: {err}; {accepted} bytes accepted in all");
    assert!(
        accepted < 64 * 1024,
        "{accepted} bytes is more than the buffers hold"
    );
    assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
    assert_eq!(err.raw_os_error(), Some(libc::EAGAIN));

    // 每一次 write() 都“成功”了，可服务器一个字节也没读：
    // 一部分在服务器的接收队列里，其余的还在客户端自己的发送队列里
    let unread = stream::unread(&server).unwrap();
    let unacked = stream::unacked(&client).unwrap();
    println!("server's receive queue: {unread} bytes; client's send queue: {unacked} bytes");
    assert!(0 < unread && unread < accepted);
    assert!(unacked > 0);

    // 服务器把它们都读走，发送缓冲区才腾出地方
    let mut drained = vec![0; accepted];
    (&server).read_exact(&mut drained).unwrap();
    assert!(drained.iter().all(|&b| b == b'x'));

    // 阻塞模式也可能只写出一部分：SO_SNDTIMEO 到期时，write() 返回已经写进去的字节数
    client.set_nonblocking(false).unwrap();
    let limit = Duration::from_millis(30);
    client.set_write_timeout(Some(limit)).unwrap(); // SO_SNDTIMEO
    let start = Instant::now();
    let n = (&client).write(&big).unwrap();
    println!(
        "blocking write with SO_SNDTIMEO: {n} of {} bytes after {:?}",
        big.len(),
        start.elapsed()
    );
    assert!(0 < n && n < big.len(), "not a partial write: {n}");

    // 接着写：每次仍只写进一部分，直到两边的缓冲区都满了；
    // 这时阻塞的 write() 等满 30 毫秒，一个字节也没写进去，以 EAGAIN 失败
    let mut partial_writes = 1;
    let (err, waited) = loop {
        let start = Instant::now();
        match (&client).write(&big) {
            Ok(n) => assert!(n < big.len(), "wrote {n} bytes"),
            Err(err) => break (err, start.elapsed()),
        }
        partial_writes += 1;
        assert!(partial_writes < 50, "the buffers never filled");
    };
    println!("after {partial_writes} partial blocking writes: {err} after {waited:?}");
    assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
    assert_eq!(err.raw_os_error(), Some(libc::EAGAIN));
    assert!(waited >= limit * 3 / 4, "returned after only {waited:?}");
}
// ANCHOR_END: all
