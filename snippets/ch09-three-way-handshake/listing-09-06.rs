// ANCHOR: all
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use sockbook::handshake::{self, SYN};
use sockbook::layers::internet_checksum;
use sockbook::state::{self, State};
use sockbook::{loopback, netns, timeout};
use socket2::{Domain, Socket, Type};

/// 线程 tid 的调度状态：/proc/self/task/<tid>/stat 里右括号后的那个字母
fn scheduler_state(tid: i32) -> char {
    let stat = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")).unwrap();
    let after_name = stat.rsplit_once(") ").unwrap().1;
    after_name.chars().next().unwrap()
}

fn main() {
    let outcome = netns::isolated(|| {
        handshake::silence().unwrap();
        let capture = handshake::capture().unwrap();
        let nowhere = SocketAddr::from((handshake::SILENT_HOST, 80));
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        timeout::bound(&socket).unwrap(); // connect() 最多等 5 秒
        socket.bind(&loopback::ANY_PORT.into()).unwrap();
        let me = socket.local_addr().unwrap().as_socket().unwrap();

        // 另一个线程做阻塞的 connect()，把自己的线程号告诉我们
        let (tid_tx, tid_rx) = mpsc::channel();
        let connecting = thread::spawn(move || {
            tid_tx.send(nix::unistd::gettid().as_raw()).unwrap();
            let result = socket.connect(&nowhere.into());
            (result, Instant::now())
        });
        let tid = tid_rx.recv().unwrap();

        // SYN 发出去了，没有回音：套接字在 SYN_SENT，线程睡在 connect() 里
        let syn = handshake::next(&capture, |s| SocketAddr::V4(s.source) == me).unwrap();
        assert!(syn.is(SYN));
        state::wait_until(me.port(), |sockets| {
            sockets
                .iter()
                .any(|s| s.local == me && s.state == State::SynSent)
        })
        .unwrap();
        while scheduler_state(tid) != 'S' {
            thread::yield_now();
        }
        println!("{syn}\nthe connecting thread sleeps in connect(), state SYN-SENT");

        // 路上的一台路由器（192.0.2.254）回一个 ICMP“主机不可达”：
        // 类型 3，代码 1，后面附上惹事的那个包的 IP 首部和 TCP 首部的前 8 个字节
        let router = Ipv4Addr::new(192, 0, 2, 254);
        let mut icmp = vec![3, 1, 0, 0, 0, 0, 0, 0];
        icmp.extend(&syn.to_packet()[..20 + 8]);
        let sum = internet_checksum(&icmp);
        icmp[2..4].copy_from_slice(&sum.to_be_bytes());
        let packet = handshake::ipv4_packet(router, *syn.source.ip(), 1, &icmp);
        let sent = Instant::now();
        handshake::send_packet(&handshake::sender().unwrap(), &packet).unwrap();

        // Linux 不再重传 SYN：connect() 立刻以 EHOSTUNREACH 失败
        let (result, returned) = connecting.join().unwrap();
        let err = result.unwrap_err();
        println!("connect() failed after {:?}: {err}", returned - sent);
        assert_eq!(err.raw_os_error(), Some(libc::EHOSTUNREACH));
        assert_eq!(err.kind(), io::ErrorKind::HostUnreachable);
        assert!(
            returned - sent < Duration::from_secs(1),
            "no SYN was sent again"
        );
        // 套接字回到 CLOSED：内核的 TCP 连接表里已经没有它
        assert_eq!(state::find(me, nowhere).unwrap(), None);
    });
    if let Err(why) = outcome {
        netns::skip("ICMP errors in a private network namespace", &why);
    }
}
// ANCHOR_END: all
