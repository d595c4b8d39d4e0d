// ANCHOR: all
use std::io::{Read, Write};
use std::net::Shutdown;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use sockbook::timeout::LIMIT;
use sockbook::{datagram, loopback, server};

const MESSAGES: usize = 2048;
const SIZE: usize = 1024; // 共 2 MiB

/// 第 seq 条消息：开头 4 个字节是序号，其余是填充
fn message(seq: usize) -> Vec<u8> {
    let mut m = vec![(seq % 251) as u8; SIZE];
    m[..4].copy_from_slice(&(seq as u32).to_be_bytes());
    m
}

fn main() {
    // ---- TCP：2048 次 write()，每次 1 KiB；接收方读到流结束 ----
    let server = server::spawn(|listener| {
        let (mut conn, _) = listener.accept()?;
        let mut all = Vec::with_capacity(MESSAGES * SIZE);
        conn.read_to_end(&mut all)?;
        Ok(all)
    })
    .unwrap();
    let mut client = loopback::connect(server.addr()).unwrap();
    let start = Instant::now();
    for seq in 0..MESSAGES {
        client.write_all(&message(seq)).unwrap();
    }
    client.shutdown(Shutdown::Write).unwrap();
    let all = server.join().unwrap();
    let tcp_time = start.elapsed();
    // TCP：一个字节不少，顺序不乱
    assert_eq!(all.len(), MESSAGES * SIZE);
    for (seq, chunk) in all.chunks(SIZE).enumerate() {
        assert_eq!(chunk, message(seq));
    }

    // ---- UDP：2048 次 sendto()，每次 1 KiB；接收方数一数收到几个 ----
    let rx = datagram::bind().unwrap();
    let tx = datagram::bind().unwrap();
    let to = rx.local_addr().unwrap();
    let (done, finished) = mpsc::channel();
    let receiver = thread::spawn(move || {
        let mut seen = vec![false; MESSAGES];
        let mut buf = [0u8; 2 * SIZE];
        loop {
            let n = rx.recv(&mut buf).unwrap();
            if n == 0 {
                break; // 空数据报是“发完了”的记号
            }
            // 收到的每个数据报都完整、没有重复
            assert_eq!(n, SIZE);
            let seq = u32::from_be_bytes(buf[..4].try_into().unwrap()) as usize;
            assert_eq!(buf[..n], message(seq));
            assert!(!seen[seq], "datagram {seq} twice");
            seen[seq] = true;
        }
        done.send(()).unwrap();
        seen.iter().filter(|&&s| s).count()
    });
    let start = Instant::now();
    for seq in 0..MESSAGES {
        tx.send_to(&message(seq), to).unwrap();
    }
    let sent_time = start.elapsed();
    // “发完了”的记号也可能被丢，所以一直发，直到接收方说收到了（有时限）
    let deadline = Instant::now() + LIMIT;
    while let Err(mpsc::RecvTimeoutError::Timeout) = finished.recv_timeout(Duration::from_millis(1))
    {
        assert!(Instant::now() < deadline, "the receiver never saw the end");
        tx.send_to(&[], to).unwrap();
    }
    let udp_time = start.elapsed();
    let received = receiver.join().unwrap();

    let mib = (MESSAGES * SIZE) as f64 / (1024.0 * 1024.0);
    let rate = |t: Duration| mib / t.as_secs_f64();
    println!(
        "TCP: {MESSAGES} of {MESSAGES} messages in {tcp_time:?} ({:.0} MiB/s)",
        rate(tcp_time)
    );
    println!(
        "UDP: {received} of {MESSAGES} messages in {udp_time:?}, sender done after {sent_time:?} ({:.0} MiB/s offered)",
        rate(sent_time)
    );
    // UDP：收到的不会比发出的多，也至少有一个；少了多少，全看接收方跟不跟得上
    assert!((1..=MESSAGES).contains(&received));
}
// ANCHOR_END: all
