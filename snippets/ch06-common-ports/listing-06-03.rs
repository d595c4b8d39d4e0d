// ANCHOR: all
use std::fs;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, UdpSocket};

use sockbook::{netns, ports, privilege};

const START: &str = "/proc/sys/net/ipv4/ip_unprivileged_port_start";

fn start() -> u16 {
    fs::read_to_string(START).unwrap().trim().parse().unwrap()
}

fn on(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, port))
}

/// 用 TCP 和 UDP 各绑定一次：两者的结果必须一样
fn bind(port: u16) -> io::Result<()> {
    let tcp = TcpListener::bind(on(port)).map(drop);
    let udp = UdpSocket::bind(on(port)).map(drop);
    assert_eq!(
        tcp.as_ref().map_err(io::Error::kind),
        udp.as_ref().map_err(io::Error::kind)
    );
    tcp
}

fn main() {
    let host_before = start();
    // 私有网络命名空间：端口 80 没有别人用，改设置也不影响宿主机
    let outcome = netns::isolated(|| {
        // 新命名空间里是内核的默认值
        let threshold = start();
        let range = ports::ephemeral_range().unwrap();
        println!("in the namespace: ip_unprivileged_port_start = {threshold}, ip_local_port_range = {range:?}");
        assert_eq!(threshold, 1024);
        assert_eq!(range, 32768..=60999);
        // 内核不许临时端口范围伸进特权端口
        let err = fs::write(ports::RANGE_FILE, "1000 60999").unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EINVAL));
        assert_eq!(ports::ephemeral_range().unwrap(), range);

        // 有 CAP_NET_BIND_SERVICE（root 都有）：80 端口随便绑
        assert!(privilege::has(privilege::CAP_NET_BIND_SERVICE).unwrap());
        bind(80).unwrap();

        // 只在这个线程里放弃这项能力，就像一个普通用户
        privilege::drop_effective(privilege::CAP_NET_BIND_SERVICE).unwrap();
        assert!(!privilege::has(privilege::CAP_NET_BIND_SERVICE).unwrap());
        for port in [80, threshold - 1] {
            let err = bind(port).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
            assert_eq!(err.raw_os_error(), Some(libc::EACCES));
        }
        // 门槛本身和门槛以上的端口，普通用户也能绑
        bind(threshold).unwrap();
        bind(0).unwrap();

        // 把门槛降到 80：不用特权也能绑 80 了
        fs::write(START, "80").unwrap();
        assert_eq!(start(), 80);
        bind(80).unwrap();
        assert_eq!(
            bind(79).unwrap_err().kind(),
            io::ErrorKind::PermissionDenied
        );
        // 降到 0：所有端口都不再需要特权
        fs::write(START, "0").unwrap();
        bind(1).unwrap();
    });
    if let Err(why) = outcome {
        return netns::skip("binding privileged ports", &why);
    }
    // 宿主机上的设置没有动
    assert_eq!(start(), host_before);
}
// ANCHOR_END: all
