// ANCHOR: all
use std::fs;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use sockbook::errors;
use sockbook::netns::{self, Unavailable};
use sockbook::state::{self, State, Timer};
use socket2::{Domain, Socket, Type};

/// 读一个 net.ipv4 的内核参数；较老的内核没有的参数返回 None
fn sysctl(name: &str) -> Option<u32> {
    let text = fs::read_to_string(format!("/proc/sys/net/ipv4/{name}")).ok()?;
    Some(text.trim().parse().unwrap())
}

/// 对 addr 发起非阻塞的 connect，返回内核看到的定时器，和从发起到读出定时器用了多久
fn first_timer(socket: &Socket, addr: SocketAddr) -> (Duration, u8, Duration) {
    socket.set_nonblocking(true).unwrap();
    let start = Instant::now();
    let err = socket.connect(&addr.into()).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EINPROGRESS)); // SYN 已经发出
    let local = socket.local_addr().unwrap().as_socket().unwrap();
    let seen = state::find(local, addr).unwrap().unwrap();
    let elapsed = start.elapsed();
    assert_eq!(seen.state, State::SynSent);
    match seen.timer {
        Some(Timer::Retransmit { left, count }) => (left, count, elapsed),
        other => panic!("a SYN_SENT socket without its retransmission timer: {other:?}"),
    }
}

fn main() {
    let outcome = netns::isolated(|| -> Result<(), Unavailable> {
        // 新命名空间里是内核的默认值
        let retries = sysctl("tcp_syn_retries").unwrap();
        let linear = sysctl("tcp_syn_linear_timeouts");
        println!("tcp_syn_retries = {retries}, tcp_syn_linear_timeouts = {linear:?}");
        assert_eq!(retries, 6);
        assert!(linear.is_none() || linear == Some(4), "{linear:?}");

        // 一个永远不回应的地址：SYN 发出去就石沉大海
        let silent = SocketAddr::from((errors::silent_host()?, 80));
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        let (left, count, elapsed) = first_timer(&socket, silent);
        println!(
            "SYN_SENT: next retransmission in {left:?} (count {count}), read after {elapsed:?}"
        );
        // 还一次都没有重传；第一次重传定在发出 SYN 之后 1 秒
        assert_eq!(count, 0);
        assert!(left <= Duration::from_secs(1), "{left:?}");
        assert!(
            left + elapsed >= Duration::from_millis(980),
            "{left:?} {elapsed:?}"
        );

        // 把重传次数压到 1（TCP_SYNCNT），再加 1 毫秒的 TCP_USER_TIMEOUT：
        // 第一次重传还是在 1 秒之后，ETIMEDOUT 不会来得比这更早
        let hurried = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        errors::set_syn_count(&hurried, 1).unwrap();
        hurried
            .set_tcp_user_timeout(Some(Duration::from_millis(1)))
            .unwrap();
        assert_eq!(errors::syn_count(&hurried).unwrap(), 1);
        let (left, count, elapsed) = first_timer(&hurried, silent);
        println!("TCP_SYNCNT 1, TCP_USER_TIMEOUT 1 ms: next retransmission in {left:?}");
        assert_eq!(count, 0);
        assert!(left <= Duration::from_secs(1), "{left:?}");
        assert!(
            left + elapsed >= Duration::from_millis(980),
            "{left:?} {elapsed:?}"
        );
        // 两个套接字都还在等，没有任何错误
        assert!(socket.take_error().unwrap().is_none());
        assert!(hurried.take_error().unwrap().is_none());
        Ok(())
    });
    if let Err(why) = outcome.and_then(|inner| inner) {
        netns::skip("a SYN that nobody answers", &why);
    }
}
// ANCHOR_END: all
