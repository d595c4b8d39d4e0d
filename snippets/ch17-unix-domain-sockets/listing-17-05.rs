// ANCHOR: all
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::thread;
use std::time::{Duration, Instant};

use sockbook::{counters, loopback, netns, timeout};

const MIB: usize = 1 << 20;
const CHUNK: usize = 64 * 1024;
/// 数据的花样：第 i 个字节是 i % 251，251 是质数，错位一个字节都比得出来
const PERIOD: usize = 251;

/// CHUNK + PERIOD 字节的花样，从任何位置开始截取一个 CHUNK 都够长
fn pattern() -> Vec<u8> {
    (0..CHUNK + PERIOD).map(|i| (i % PERIOD) as u8).collect()
}

/// 从 writer 写 total 字节，reader 读到流结束，逐段核对；返回用时和收到的字节数
fn transfer<W, R>(mut writer: W, mut reader: R, total: usize) -> (Duration, usize)
where
    W: Write + Send,
    R: Read,
{
    let pattern = pattern();
    let start = Instant::now();
    thread::scope(|scope| {
        let pattern = &pattern;
        scope.spawn(move || {
            let mut sent = 0;
            while sent < total {
                let len = CHUNK.min(total - sent);
                let from = sent % PERIOD;
                writer.write_all(&pattern[from..from + len]).unwrap();
                sent += len;
            }
            // writer 在这里被丢弃：关闭，对方读到流结束
        });
        let mut buf = vec![0u8; CHUNK];
        let mut received = 0;
        loop {
            let n = reader.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            let from = received % PERIOD;
            assert!(
                buf[..n] == pattern[from..from + n],
                "wrong bytes at {received}"
            );
            received += n;
        }
        (start.elapsed(), received)
    })
}

/// 一条回环 TCP 连接的两端，读写都有时限
fn tcp_pair() -> (std::net::TcpStream, std::net::TcpStream) {
    let listener = loopback::listener().unwrap();
    let client = loopback::connect(listener.local_addr().unwrap()).unwrap();
    let (served, _) = listener.accept().unwrap();
    (client, served)
}

/// 一对 Unix 域字节流套接字，读写都有时限
fn unix_pair() -> (UnixStream, UnixStream) {
    let (a, b) = UnixStream::pair().unwrap();
    timeout::bound(&a).unwrap();
    timeout::bound(&b).unwrap();
    (a, b)
}

fn rate(bytes: usize, time: Duration) -> f64 {
    bytes as f64 / MIB as f64 / time.as_secs_f64()
}

fn main() {
    // 各传 16 MiB，轮流做三遍，取最快的一遍：只打印用时，只断言字节一个不差地全到了
    let total = 16 * MIB;
    let (mut unix_times, mut tcp_times) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        let (a, b) = unix_pair();
        let (time, bytes) = transfer(a, b, total);
        assert_eq!(bytes, total);
        unix_times.push(time);
        let (client, served) = tcp_pair();
        let (time, bytes) = transfer(client, served, total);
        assert_eq!(bytes, total);
        tcp_times.push(time);
    }
    for (name, times) in [("Unix stream", &unix_times), ("TCP loopback", &tcp_times)] {
        let best = *times.iter().min().unwrap();
        println!(
            "{name}: 16 MiB in {times:?}, best {:.0} MiB/s",
            rate(total, best)
        );
    }

    // 为什么可能更快：Unix 域套接字根本不经过 IP 和 TCP。到私有网络命名空间里数包
    let outcome = netns::isolated(|| {
        let ip_before = counters::ip_packets_sent().unwrap();
        let (a, b) = unix_pair();
        let (_, bytes) = transfer(a, b, MIB);
        assert_eq!(bytes, MIB);
        let unix_packets = counters::ip_packets_sent().unwrap() - ip_before;

        let (segs_before, ip_before) = (
            counters::tcp_segments_sent().unwrap(),
            counters::ip_packets_sent().unwrap(),
        );
        let (client, served) = tcp_pair();
        let (_, bytes) = transfer(client, served, MIB);
        assert_eq!(bytes, MIB);
        let tcp_segments = counters::tcp_segments_sent().unwrap() - segs_before;
        let tcp_packets = counters::ip_packets_sent().unwrap() - ip_before;
        (unix_packets, tcp_segments, tcp_packets)
    });
    match outcome {
        Ok((unix_packets, tcp_segments, tcp_packets)) => {
            println!("1 MiB over Unix: {unix_packets} IP packets");
            println!("1 MiB over TCP: {tcp_packets} IP packets, {tcp_segments} TCP segments");
            assert_eq!(unix_packets, 0);
            assert!(tcp_segments > 0 && tcp_packets > 0);
        }
        Err(why) => netns::skip("counting packets in a private namespace", &why),
    }
}
// ANCHOR_END: all
