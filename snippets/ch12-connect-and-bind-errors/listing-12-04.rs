// ANCHOR: all
use std::fs;
use std::io::ErrorKind;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use sockbook::counters::Counters;
use sockbook::errors;
use sockbook::loopback;
use sockbook::netns::{self, Unavailable};

const NEIGH: &str = "/proc/sys/net/ipv4/neigh/quiet0";

fn main() {
    let outcome = netns::isolated(|| -> Result<(), Unavailable> {
        // 这个命名空间里只有 lo。再添三条特殊类型的路由
        errors::ip("route add unreachable 10.1.0.0/16")?;
        errors::ip("route add prohibit 10.2.0.0/16")?;
        errors::ip("route add blackhole 10.3.0.0/16")?;
        let cases = [
            (
                "no route",
                [10, 4, 0, 1],
                libc::ENETUNREACH,
                ErrorKind::NetworkUnreachable,
            ),
            (
                "unreachable",
                [10, 1, 0, 1],
                libc::EHOSTUNREACH,
                ErrorKind::HostUnreachable,
            ),
            (
                "prohibit",
                [10, 2, 0, 1],
                libc::EACCES,
                ErrorKind::PermissionDenied,
            ),
            (
                "blackhole",
                [10, 3, 0, 1],
                libc::EINVAL,
                ErrorKind::InvalidInput,
            ),
        ];
        for (route, ip, errno, kind) in cases {
            let before = Counters::read().unwrap();
            let err = loopback::connect(SocketAddr::from((ip, 80))).unwrap_err();
            let delta = Counters::read().unwrap().since(&before);
            println!("{route:>11}: {err}");
            assert_eq!(err.raw_os_error(), Some(errno));
            assert_eq!(err.kind(), kind);
            // 查路由时就失败了：一个段也没发
            assert_eq!(delta.get("Tcp", "OutSegs"), Some(0));
            assert_eq!(delta.get("Tcp", "ActiveOpens"), Some(0));
        }

        // 有路由，邻居却不应答：一条链路 10.9.0.0/24，10.9.0.3 上没有任何机器
        errors::silent_host()?;
        let nobody = SocketAddr::from((Ipv4Addr::new(10, 9, 0, 3), 80));
        // 默认发 3 次 ARP 请求，每次等 1 秒，这里把它缩短到 1 次、50 毫秒
        let read = |name: &str| fs::read_to_string(format!("{NEIGH}/{name}")).unwrap();
        assert_eq!(read("mcast_solicit").trim(), "3");
        assert_eq!(read("retrans_time_ms").trim(), "1000");
        fs::write(format!("{NEIGH}/mcast_solicit"), "1").unwrap();
        fs::write(format!("{NEIGH}/retrans_time_ms"), "50").unwrap();
        let before = Counters::read().unwrap();
        let start = Instant::now();
        let err = loopback::connect(nobody).unwrap_err();
        let took = start.elapsed();
        let delta = Counters::read().unwrap().since(&before);
        println!("no neighbour: {err} after {took:?}; {:?}", delta.moved());
        assert_eq!(err.raw_os_error(), Some(libc::EHOSTUNREACH));
        assert_eq!(err.kind(), ErrorKind::HostUnreachable);
        assert!(took < Duration::from_secs(1), "{took:?}");
        // 本机给自己发了一个 ICMP“主机不可达”，connect 收到它就失败了
        assert_eq!(delta.get("Icmp", "OutDestUnreachs"), Some(1));
        assert_eq!(delta.get("Icmp", "InDestUnreachs"), Some(1));
        Ok(())
    });
    if let Err(why) = outcome.and_then(|inner| inner) {
        netns::skip("unreachable destinations in a private namespace", &why);
    }
}
// ANCHOR_END: all
