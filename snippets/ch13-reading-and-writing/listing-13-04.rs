// ANCHOR: all
use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

use sockbook::stream;

fn main() {
    let (client, server) = stream::pair().unwrap();
    let limit = Duration::from_millis(100);
    server.set_read_timeout(Some(limit)).unwrap(); // SO_RCVTIMEO
    let mut buf = [0; 64];

    // 没有人写：recv() 等满 100 毫秒，然后失败
    let cpu_before = stream::thread_cpu_time();
    let start = Instant::now();
    let err = (&server).read(&mut buf).unwrap_err();
    let waited = start.elapsed();
    let cpu = stream::thread_cpu_time() - cpu_before;
    println!(
        "recv() with SO_RCVTIMEO: {err} ({:?}) after {waited:?}",
        err.kind()
    );

    // 错误是 EAGAIN，Rust 报告为 WouldBlock，而不是 TimedOut
    assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
    assert_ne!(err.kind(), io::ErrorKind::TimedOut);
    assert_eq!(err.raw_os_error(), Some(libc::EAGAIN));
    assert!(waited >= limit * 3 / 4, "returned after only {waited:?}");

    // 等待期间这个线程几乎没用 CPU：它睡在内核里，不是在循环里空转
    println!("CPU time used while blocked: {cpu:?}");
    assert!(cpu < waited / 10, "used {cpu:?} of CPU in {waited:?}");

    // 超时不伤连接：数据来了，照样读得到
    (&client).write_all(b"late").unwrap();
    let n = (&server).read(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"late");
}
// ANCHOR_END: all
