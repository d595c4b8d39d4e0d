// ANCHOR: all
//! 练习 6-1：一个端口号在这台机器上意味着什么。
use std::fs;
use std::io;

use sockbook::{netdb, ports};

/// 低于这个号码的端口，绑定时需要 `CAP_NET_BIND_SERVICE`（示例 6-3）。
pub const UNPRIVILEGED_START: &str = "/proc/sys/net/ipv4/ip_unprivileged_port_start";

/// 关于一个端口，系统知道的三件事。
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortInfo {
    /// `/etc/services` 里登记的服务名；没有登记的是 `None`。
    pub service: Option<String>,
    /// 是否低于 `ip_unprivileged_port_start`，即是否是特权端口。
    pub privileged: bool,
    /// 是否落在内核挑临时端口的范围 `ip_local_port_range` 里。
    pub ephemeral: bool,
}

/// 查出传输协议 `protocol`（`"tcp"` 或 `"udp"`）的端口 `port` 的三件事：
/// 服务名用 `netdb::service_by_port`，临时端口范围用 `ports::ephemeral_range`，
/// 特权端口的界线读 [`UNPRIVILEGED_START`]（文件里是一个数）。
/// 文件里的内容不是一个端口号时，返回 `io::ErrorKind::InvalidData` 错误。
pub fn port_info(port: u16, protocol: &str) -> io::Result<PortInfo> {
    // ANCHOR: solution
    let text = fs::read_to_string(UNPRIVILEGED_START)?;
    let start: u16 = text
        .trim()
        .parse()
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, text.clone()))?;
    Ok(PortInfo {
        service: netdb::service_by_port(port, protocol)?.map(|service| service.name),
        privileged: port < start,
        ephemeral: ports::ephemeral_range()?.contains(&port),
    })
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::fs;
    use std::net::{TcpListener, UdpSocket};

    use sockbook::loopback;

    use super::{port_info, UNPRIVILEGED_START};

    fn unprivileged_start() -> u16 {
        let text = fs::read_to_string(UNPRIVILEGED_START).unwrap();
        text.trim().parse().unwrap()
    }

    /// 80/tcp 是 http，67/udp 是 DHCP 服务器的 bootps；都低于特权界线，都不是临时端口。
    #[test]
    fn well_known_ports_have_names() {
        let start = unprivileged_start();
        for (port, protocol, name) in [(80, "tcp", "http"), (67, "udp", "bootps")] {
            let info = port_info(port, protocol).unwrap();
            assert_eq!(info.service.as_deref(), Some(name));
            assert_eq!(info.privileged, port < start);
            assert!(!info.ephemeral, "{port}/{protocol}: {info:?}");
        }
    }

    /// 内核为端口 0 挑的端口：都是临时端口，没有一个是特权端口。
    #[test]
    fn ports_the_kernel_picks_are_ephemeral() {
        for _ in 0..10 {
            let tcp = TcpListener::bind(loopback::ANY_PORT).unwrap();
            let udp = UdpSocket::bind(loopback::ANY_PORT).unwrap();
            let picked = [
                (tcp.local_addr().unwrap().port(), "tcp"),
                (udp.local_addr().unwrap().port(), "udp"),
            ];
            for (port, protocol) in picked {
                let info = port_info(port, protocol).unwrap();
                assert!(info.ephemeral && !info.privileged, "{port}: {info:?}");
            }
        }
    }

    /// 1024 什么都不是：没有登记服务，也不是临时端口的起点（更正文档 002）。
    #[test]
    fn port_1024_is_nothing_special() {
        let info = port_info(1024, "tcp").unwrap();
        assert_eq!(info.service, None);
        assert!(!info.ephemeral);
        assert_eq!(info.privileged, 1024 < unprivileged_start());
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
