// ANCHOR: all
use std::fs;
use std::io::ErrorKind;
use std::net::SocketAddr;
use std::os::fd::AsFd;

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use sockbook::counters::Counters;
use sockbook::errors::{self, THERE};
use sockbook::netns::{self, Unavailable};
use sockbook::{state, timeout};
use socket2::{Domain, Socket, Type};

fn main() {
    let outcome = netns::isolated(|| -> Result<(), Unavailable> {
        // 隔壁的命名空间当路由器：打开转发；去 10.1.0.0/16 的路由是 unreachable，
        // 别的网络它一概没有路由
        let (router, configured) = errors::other_host(|| {
            fs::write("/proc/sys/net/ipv4/ip_forward", "1").unwrap();
            // 关掉它发 ICMP 的限速，连着两个差错报文都能发出来
            fs::write("/proc/sys/net/ipv4/icmp_ratelimit", "0").unwrap();
            errors::ip("route add unreachable 10.1.0.0/16")
        })?;
        configured?;
        // 我们这边：不在本地链路上的地址，一律交给路由器
        errors::ip(&format!("route add default via {THERE}"))?;
        // 不让内核自己用 ARP 问路由器的以太网地址：SYN 会停在邻居表里，等示例放行
        errors::no_arp("here0")?;
        let release = format!(
            "neigh replace {THERE} lladdr {} dev here0 nud reachable",
            router.ethernet_address()
        );

        let cases = [
            (
                [10, 1, 0, 1],
                libc::EHOSTUNREACH,
                ErrorKind::HostUnreachable,
            ),
            (
                [10, 9, 0, 1],
                libc::ENETUNREACH,
                ErrorKind::NetworkUnreachable,
            ),
        ];
        for (ip, errno, kind) in cases {
            let addr = SocketAddr::from((ip, 80));
            let before = Counters::read().unwrap();
            let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
            socket.set_nonblocking(true).unwrap();
            let err = socket.connect(&addr.into()).unwrap_err();
            assert_eq!(err.raw_os_error(), Some(libc::EINPROGRESS));
            let local = socket.local_addr().unwrap().as_socket().unwrap();
            // connect() 已经返回。放行：SYN 出发，路由器回一个 ICMP“目的不可达”
            errors::ip(&release)?;
            let mut fds = [PollFd::new(socket.as_fd(), PollFlags::POLLOUT)];
            poll(&mut fds, PollTimeout::try_from(timeout::LIMIT).unwrap()).unwrap();
            let events = fds[0].revents().unwrap();
            let err = socket.take_error().unwrap().unwrap();
            let delta = Counters::read().unwrap().since(&before);
            println!("{addr}: {err}, poll {events:?}; {:?}", delta.moved());
            assert_eq!(err.raw_os_error(), Some(errno));
            assert_eq!(err.kind(), kind);
            // 一个 SYN 出去，一个 ICMP 回来；ICMP 到达时没有系统调用占着这个套接字
            assert_eq!(delta.get("Tcp", "OutSegs"), Some(1));
            assert_eq!(delta.get("Icmp", "InDestUnreachs"), Some(1));
            assert_eq!(delta.get("TcpExt", "LockDroppedIcmps"), Some(0));
            // 连接尝试当场结束：挂断，检查器里没有这个套接字了，也没有重传
            assert!(events.contains(PollFlags::POLLERR | PollFlags::POLLHUP));
            assert_eq!(state::find(local, addr).unwrap(), None);
            assert_eq!(delta.get("Tcp", "RetransSegs"), Some(0));
            // 忘掉路由器的地址，下一个 SYN 又会停下来等
            errors::ip(&format!("neigh del {THERE} dev here0"))?;
        }
        Ok(())
    });
    if let Err(why) = outcome.and_then(|inner| inner) {
        netns::skip("a router that answers with ICMP errors", &why);
    }
}
// ANCHOR_END: all
