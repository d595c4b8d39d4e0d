// ANCHOR: all
use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use sockbook::counters::Counters;
use sockbook::state::{self, State, Timer};
use sockbook::{loopback, netns};
use socket2::{Domain, Socket, Type};

fn main() {
    // 私有网络命名空间：计数器只记我们自己的包，端口也没有别人来抢
    let outcome = netns::isolated(|| {
        // 1. 端口上什么套接字也没有：先占一个端口，再放开它
        let (held, nobody) = loopback::closed_port().unwrap();
        drop(held);
        refused("no socket", nobody);

        // 2. 端口被一个套接字占着（bind 过），但它没有 listen：照样是 RST
        let (_bound, not_listening) = loopback::closed_port().unwrap();
        refused("bound, not listening", not_listening);

        // 3. 有人在 listen，只是已完成连接的队列满了
        let listener = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        listener.bind(&loopback::ANY_PORT.into()).unwrap();
        listener.listen(0).unwrap(); // backlog 0：队列里只放得下一个连接
        let busy = listener.local_addr().unwrap().as_socket().unwrap();
        let _first = loopback::connect(busy).unwrap();
        // 等第一个连接进了队列（监听套接字的 Recv-Q 就是队列长度）
        state::wait_until(busy.port(), |sockets| {
            sockets
                .iter()
                .any(|s| s.state == State::Listen && s.recv_queue == 1)
        })
        .unwrap();
        let before = Counters::read().unwrap();
        let second = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        second.set_nonblocking(true).unwrap();
        let err = second.connect(&busy.into()).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EINPROGRESS));
        // 监听方把 SYN 悄悄丢掉，记一笔 ListenDrops，不回 RST
        let delta =
            Counters::wait_until(|now| now.since(&before).get("TcpExt", "ListenDrops") == Some(1))
                .unwrap()
                .since(&before);
        println!("full accept queue: {:?}", delta.moved());
        assert_eq!(delta.get("TcpExt", "ListenOverflows"), Some(1));
        assert_eq!(delta.get("Tcp", "OutRsts"), Some(0));
        // 客户端没有被拒绝：它还在 SYN_SENT，定时器到了就重传 SYN
        let local = second.local_addr().unwrap().as_socket().unwrap();
        let client = state::find(local, busy).unwrap().unwrap();
        println!(
            "second client: {:?}, timer {:?}",
            client.state, client.timer
        );
        assert_eq!(client.state, State::SynSent);
        assert!(matches!(
            client.timer,
            Some(Timer::Retransmit { count: 0, .. })
        ));
        assert!(second.take_error().unwrap().is_none());
    });
    if let Err(why) = outcome {
        netns::skip("resets counted in a private namespace", &why);
    }
}

/// 连接 addr：被拒绝，而且是立刻；一共两个段，我们的 SYN 和对方的 RST
fn refused(what: &str, addr: SocketAddr) {
    let before = Counters::read().unwrap();
    let start = Instant::now();
    let err = loopback::connect(addr).unwrap_err();
    let took = start.elapsed();
    let delta = Counters::read().unwrap().since(&before);
    println!("{what}: {err} after {took:?}; {:?}", delta.moved());
    assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
    assert_eq!(err.raw_os_error(), Some(libc::ECONNREFUSED));
    assert_eq!(delta.get("Tcp", "ActiveOpens"), Some(1));
    assert_eq!(delta.get("Tcp", "OutSegs"), Some(2));
    assert_eq!(delta.get("Tcp", "OutRsts"), Some(1));
    assert_eq!(delta.get("Tcp", "AttemptFails"), Some(1));
    // 收到 RST 就放弃：没有重传，远不到第一次重传的 1 秒
    assert_eq!(delta.get("Tcp", "RetransSegs"), Some(0));
    assert!(took < Duration::from_secs(1), "{took:?}");
}
// ANCHOR_END: all
