// ANCHOR: all
use std::fs;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};

use sockbook::{loopback, netns, ports};
use socket2::{Domain, Socket, Type};

const NONLOCAL_BIND: &str = "/proc/sys/net/ipv4/ip_nonlocal_bind";

fn tcp() -> Socket {
    Socket::new(Domain::IPV4, Type::STREAM, None).unwrap()
}

fn main() {
    // 私有网络命名空间：改内核参数不影响宿主机
    let outcome = netns::isolated(|| {
        // 1. bind 一个本机没有的地址（192.0.2.1 是留给文档用的地址）
        let foreign = SocketAddr::from((Ipv4Addr::new(192, 0, 2, 1), 0));
        let err = tcp().bind(&foreign.into()).unwrap_err();
        println!("bind {foreign}: {err}");
        assert_eq!(err.raw_os_error(), Some(libc::EADDRNOTAVAIL));
        assert_eq!(err.kind(), io::ErrorKind::AddrNotAvailable);
        // 套接字选项 IP_FREEBIND：这个套接字的 bind 不做检查
        let free = tcp();
        free.set_freebind_v4(true).unwrap();
        free.bind(&foreign.into()).unwrap();
        let bound = free.local_addr().unwrap().as_socket().unwrap();
        assert_eq!(bound.ip(), foreign.ip());
        // 内核参数 ip_nonlocal_bind = 1：整个命名空间都不检查
        assert_eq!(fs::read_to_string(NONLOCAL_BIND).unwrap().trim(), "0");
        fs::write(NONLOCAL_BIND, "1").unwrap();
        tcp().bind(&foreign.into()).unwrap();
        fs::write(NONLOCAL_BIND, "0").unwrap();

        // 2. connect 时临时端口用完了
        // 两个监听者，端口由内核从默认范围里挑
        let listeners = [loopback::listener().unwrap(), loopback::listener().unwrap()];
        let one = listeners[0].local_addr().unwrap();
        let other = listeners[1].local_addr().unwrap();
        // 把临时端口范围缩成一个端口 61000，它在默认范围之外，不会是两个监听者的端口
        fs::write(ports::RANGE_FILE, "61000 61000").unwrap();
        assert_eq!(ports::ephemeral_range().unwrap(), 61000..=61000);
        let first = loopback::connect(one).unwrap();
        assert_eq!(first.local_addr().unwrap().port(), 61000);
        // 再连同一个目的地：四元组会和 first 完全一样，没有端口可用
        let err = loopback::connect(one).unwrap_err();
        println!("second connect to {one}: {err}");
        assert_eq!(err.raw_os_error(), Some(libc::EADDRNOTAVAIL));
        assert_eq!(err.kind(), io::ErrorKind::AddrNotAvailable);
        // 换一个目的地，同一个本地端口又能用了
        let elsewhere = loopback::connect(other).unwrap();
        assert_eq!(elsewhere.local_addr().unwrap().port(), 61000);
        // 同样没有端口可挑，bind 端口 0 得到的却是 EADDRINUSE
        let err = tcp().bind(&loopback::ANY_PORT.into()).unwrap_err();
        println!("bind port 0: {err}");
        assert_eq!(err.raw_os_error(), Some(libc::EADDRINUSE));
    });
    if let Err(why) = outcome {
        netns::skip("addresses and ports in a private namespace", &why);
    }
}
// ANCHOR_END: all
