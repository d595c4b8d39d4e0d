// ANCHOR: all
use std::fs;
use std::io::{self, Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use sockbook::counters::Counters;
use sockbook::errors::{self, THERE};
use sockbook::netns::{self, Unavailable};
use sockbook::{loopback, timeout};
use socket2::SockRef;

fn main() {
    let outcome = netns::isolated(|| -> Result<(), Unavailable> {
        // 默认设置：数据得不到确认时，最多重传 15 次才放弃
        let retries2 = fs::read_to_string("/proc/sys/net/ipv4/tcp_retries2").unwrap();
        assert_eq!(retries2.trim(), "15");
        // 隔壁的命名空间里有一个服务器
        let (_server_host, listener) = errors::other_host(|| {
            let listener = TcpListener::bind((THERE, 0)).unwrap();
            timeout::bound(&listener).unwrap();
            listener
        })?;
        let addr = listener.local_addr().unwrap();
        // 最小重传超时默认 200 毫秒。去服务器的这条路由上改成 10 毫秒，
        // 内核就早些重传、早些放弃
        assert_eq!(Counters::read().unwrap().get("Tcp", "RtoMin"), Some(200));
        errors::ip(&format!("route add {THERE}/32 dev here0 rto_min 10ms"))?;
        let mut client = loopback::connect(addr).unwrap();
        let (_server, _) = listener.accept().unwrap();
        // 发出去的数据最多等 100 毫秒的确认
        let limit = Duration::from_millis(100);
        SockRef::from(&client)
            .set_tcp_user_timeout(Some(limit))
            .unwrap();

        // 服务器“断线”：把它的以太网地址改成一个不存在的，
        // 从此我们发的段都到不了它，它也不会有任何回应
        errors::ip(&format!(
            "neigh replace {THERE} lladdr 02:00:00:00:00:99 dev here0 nud permanent"
        ))?;
        let before = Counters::read().unwrap();
        let start = Instant::now();
        // 数据进了发送缓冲区，write 就算成功
        client.write_all(b"anyone there?").unwrap();
        // 阻塞的 read 等着（SO_RCVTIMEO 兜底，5 秒），等来的是内核放弃这条连接
        let err = client.read(&mut [0; 16]).unwrap_err();
        let took = start.elapsed();
        let delta = Counters::read().unwrap().since(&before);
        println!("read: {err} after {took:?}; {:?}", delta.moved());
        assert_eq!(err.raw_os_error(), Some(libc::ETIMEDOUT));
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(took >= limit, "{took:?}");
        assert!(took < Duration::from_secs(1), "{took:?}");
        // 放弃之前，内核至少重传过一次
        assert!(delta.get("Tcp", "RetransSegs").unwrap() >= 1);
        assert_eq!(delta.get("TcpExt", "TCPAbortOnTimeout"), Some(1));
        Ok(())
    });
    if let Err(why) = outcome.and_then(|inner| inner) {
        netns::skip("a peer that vanished, in two namespaces", &why);
    }
}
// ANCHOR_END: all
