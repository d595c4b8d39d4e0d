// ANCHOR: all
use std::io::{Read, Write};
use std::sync::mpsc;
use std::thread;

use sockbook::stream;
use sockbook::timeout::LIMIT;

fn main() {
    let (client, server) = stream::pair().unwrap();
    let (tell, tid_of_reader) = mpsc::channel();

    thread::scope(|scope| {
        let reader = scope.spawn(|| {
            tell.send(nix::unistd::gettid().as_raw()).unwrap();
            let mut buf = [0; 1024];
            // 默认是阻塞模式：接收队列空着，recv() 就等（最多等 SO_RCVTIMEO 的 5 秒）
            let n = (&server).read(&mut buf).unwrap();
            buf[..n].to_vec()
        });

        // 看着读线程在 recv() 里睡下：它在等，没有返回，也没有在转圈
        let tid = tid_of_reader.recv_timeout(LIMIT).unwrap();
        stream::wait_until_blocked(tid).unwrap();
        println!("reader thread {tid} is asleep in recv()");
        assert_eq!(stream::thread_state(tid).unwrap(), 'S');
        assert!(!reader.is_finished());
        assert_eq!(stream::unread(&server).unwrap(), 0);

        // 消息一到，recv() 就返回，拿到的正是这条消息
        (&client).write_all(b"hello").unwrap();
        let got = reader.join().unwrap();
        println!("recv() woke up with {:?}", String::from_utf8_lossy(&got));
        assert_eq!(got, b"hello");
    });
}
// ANCHOR_END: all
