// ANCHOR: all
use std::fs;
use std::io;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use sockbook::loopback;
use sockbook::timeout::{self, LIMIT};

/// 线程的调度状态，取自 /proc/self/task/<tid>/stat：'R' 运行，'S' 睡眠（阻塞）。
fn state(tid: i32) -> char {
    let stat = fs::read_to_string(format!("/proc/self/task/{tid}/stat")).unwrap();
    // 格式是 "tid (线程名) 状态 ..."；线程名里可能有空格，所以从最后一个 ')' 往后找
    let after_name = &stat[stat.rfind(')').unwrap() + 1..];
    after_name.trim_start().chars().next().unwrap()
}

fn main() {
    // 1. 阻塞的 accept()：没有客户，就一直等；SO_RCVTIMEO 给等待设了上限
    let listener = loopback::listener().unwrap();
    let wait = Duration::from_millis(200);
    timeout::bound_by(&listener, wait).unwrap();
    let start = Instant::now();
    let err = listener.accept().unwrap_err();
    let waited = start.elapsed();
    println!("blocking accept(): {err} after {waited:?}");
    assert_eq!(err.kind(), io::ErrorKind::WouldBlock); // EAGAIN
    assert_eq!(err.raw_os_error(), Some(libc::EAGAIN));
    // 它确实等了：至少等了超时的大部分（只断言下限）
    assert!(waited >= wait * 3 / 4, "returned after only {waited:?}");

    // 2. 非阻塞的 accept()：没有客户，立刻失败，不理会 SO_RCVTIMEO
    let listener = loopback::listener().unwrap(); // SO_RCVTIMEO = LIMIT（5 秒）
    listener.set_nonblocking(true).unwrap();
    let start = Instant::now();
    let err = listener.accept().unwrap_err();
    let waited = start.elapsed();
    println!("non-blocking accept(): {err} after {waited:?}");
    assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
    assert!(
        waited < LIMIT / 2,
        "a non-blocking accept() waited {waited:?}"
    );

    // 有客户排队时，非阻塞的 accept() 立刻成功
    let client = loopback::connect(listener.local_addr().unwrap()).unwrap();
    let (_connected, peer) = listener.accept().unwrap();
    assert_eq!(peer, client.local_addr().unwrap());

    // 3. 阻塞在 accept() 里的线程：客户一连上就醒来
    let listener = loopback::listener().unwrap();
    let addr = listener.local_addr().unwrap();
    let (ready, tid_of_server) = mpsc::channel();

    let server = thread::spawn(move || {
        ready.send(nix::unistd::gettid().as_raw()).unwrap();
        listener.accept() // 阻塞在这里
    });

    // 等服务器线程报上线程号，然后看着它在 accept() 里睡下
    let tid = tid_of_server.recv_timeout(LIMIT).unwrap();
    let deadline = Instant::now() + LIMIT;
    while state(tid) != 'S' {
        assert!(Instant::now() < deadline, "the server thread never blocked");
        thread::yield_now();
    }
    println!("server thread {tid} is asleep in accept()");
    assert!(!server.is_finished());

    // 客户端一连上，accept() 就返回
    let client = loopback::connect(addr).unwrap();
    let (_connected, peer) = server.join().unwrap().unwrap();
    println!("accept() returned the connection from {peer}");
    assert_eq!(peer, client.local_addr().unwrap());
}
// ANCHOR_END: all
