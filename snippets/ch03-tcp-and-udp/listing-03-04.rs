// ANCHOR: all
use std::io;

use sockbook::datagram;

fn main() {
    let rx = datagram::bind().unwrap();
    let tx = datagram::bind().unwrap();
    let to = rx.local_addr().unwrap();

    // 三次 sendto()，三个数据报，长度 3、3、5
    let mut sent: Vec<&[u8]> = vec![b"one", b"two", b"three"];
    for message in &sent {
        assert_eq!(tx.send_to(message, to).unwrap(), message.len());
    }

    // 三次 recvfrom()，缓冲区都是 64 字节，每次恰好拿到一个完整的数据报
    let mut received = Vec::new();
    for _ in 0..3 {
        let mut buf = [0u8; 64];
        let (n, from) = rx.recv_from(&mut buf).unwrap();
        println!(
            "recvfrom: {n} bytes {:?}",
            String::from_utf8_lossy(&buf[..n])
        );
        assert_eq!(from, tx.local_addr().unwrap());
        received.push(buf[..n].to_vec());
    }
    // 不多不少，正是发出的三个消息（UDP 不保证顺序，所以排序后再比）
    received.sort();
    sent.sort();
    assert_eq!(received, sent);

    // 队列里再没有别的了
    rx.set_nonblocking(true).unwrap();
    match rx.recv_from(&mut [0; 64]) {
        Err(err) => assert_eq!(err.kind(), io::ErrorKind::WouldBlock),
        Ok((n, _)) => panic!("a fourth datagram of {n} bytes"),
    }
}
// ANCHOR_END: all
