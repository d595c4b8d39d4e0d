// ANCHOR: all
//! 练习 4-2：像路由器统计流量那样，按七元组给数据报分“流”、计数。
use std::collections::HashMap;
use std::io::{self, IoSliceMut};
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::os::fd::AsRawFd;

use nix::sys::socket::{recvmsg, ControlMessageOwned, MsgFlags, SockaddrIn};
use sockbook::tuple::{self, FiveTuple};

/// 一个数据报的七元组：五元组，加上服务类型和接口编号。
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SevenTuple {
    /// 协议号、本地地址和端口（包的目的）、对方地址和端口（包的源）。
    pub five: FiveTuple,
    /// 服务类型：IPv4 首部的 TOS 字节。
    pub tos: u8,
    /// 收到这个包的网络接口的编号。
    pub interface: u32,
}

/// 从 `socket` 收 `count` 个数据报，按七元组计数。`socket` 已经打开了
/// `IP_RECVTOS` 和 `IP_PKTINFO`（示例 4-5），所以 recvmsg(2) 的辅助数据里有
/// 服务类型（`Ipv4Tos`）和 `in_pktinfo`（`Ipv4PacketInfo`）：接口编号是它的
/// `ipi_ifindex`，包的目的地址是它的 `ipi_addr`（网络字节序）。协议号是套接字的
/// `SO_PROTOCOL`（`tuple::protocol`），本地端口是套接字的端口，对方地址是
/// recvmsg 报告的源地址。辅助数据缺了哪一样，返回 `io::ErrorKind::InvalidData` 错误。
pub fn count_flows(socket: &UdpSocket, count: usize) -> io::Result<HashMap<SevenTuple, usize>> {
    // ANCHOR: solution
    let protocol = tuple::protocol(socket)?;
    let port = socket.local_addr()?.port();
    let mut flows = HashMap::new();
    for _ in 0..count {
        let mut data = [0u8; 2048];
        let mut iov = [IoSliceMut::new(&mut data)];
        let mut space = nix::cmsg_space!(u8, libc::in_pktinfo);
        let msg = recvmsg::<SockaddrIn>(
            socket.as_raw_fd(),
            &mut iov,
            Some(&mut space),
            MsgFlags::empty(),
        )?;
        let (mut tos, mut info) = (None, None);
        for cmsg in msg.cmsgs()? {
            match cmsg {
                ControlMessageOwned::Ipv4Tos(value) => tos = Some(value),
                ControlMessageOwned::Ipv4PacketInfo(value) => info = Some(value),
                _ => {}
            }
        }
        let (Some(tos), Some(info), Some(from)) = (tos, info, msg.address) else {
            let why = "a datagram without its TOS, packet info or source";
            return Err(io::Error::new(io::ErrorKind::InvalidData, why));
        };
        let destination = Ipv4Addr::from(u32::from_be(info.ipi_addr.s_addr));
        let five = FiveTuple {
            protocol,
            local: SocketAddr::from((destination, port)),
            peer: SocketAddr::from((from.ip(), from.port())),
        };
        let seven = SevenTuple {
            five,
            tos,
            interface: info.ipi_ifindex as u32,
        };
        *flows.entry(seven).or_insert(0) += 1;
    }
    Ok(flows)
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::net::UdpSocket;

    use nix::net::if_::if_nametoindex;
    use nix::sys::socket::{setsockopt, sockopt};
    use sockbook::{datagram, tuple};
    use socket2::SockRef;

    use super::{count_flows, SevenTuple};

    /// 接收方：打开 IP_RECVTOS 和 IP_PKTINFO 的 UDP 套接字。
    fn receiver() -> UdpSocket {
        let socket = datagram::bind().unwrap();
        setsockopt(&socket, sockopt::IpRecvTos, &true).unwrap();
        setsockopt(&socket, sockopt::Ipv4PacketInfo, &true).unwrap();
        socket
    }

    /// 一个已连接的发送方，从它发出 `n` 个服务类型为 `tos` 的数据报。
    fn send(sender: &UdpSocket, tos: u32, n: usize) {
        SockRef::from(sender).set_tos_v4(tos).unwrap();
        for _ in 0..n {
            sender.send(b"counted").unwrap();
        }
    }

    /// 同一个发送方换了服务类型，就是另一个流；另一个发送方也是另一个流。
    #[test]
    fn one_flow_per_seven_tuple() {
        let rx = receiver();
        let (a, b) = (datagram::bind().unwrap(), datagram::bind().unwrap());
        a.connect(rx.local_addr().unwrap()).unwrap();
        b.connect(rx.local_addr().unwrap()).unwrap();
        send(&a, 0x10, 3);
        send(&a, 0x28, 2);
        send(&b, 0, 1);
        let flows = count_flows(&rx, 6).unwrap();
        let lo = if_nametoindex("lo").unwrap();
        // 接收方看到的五元组，是发送方五元组的两头对调
        let seen_from = |sender: &UdpSocket, tos| SevenTuple {
            five: tuple::five(sender).unwrap().reversed(),
            tos,
            interface: lo,
        };
        assert_eq!(flows.len(), 3, "{flows:?}");
        assert_eq!(flows[&seen_from(&a, 0x10)], 3);
        assert_eq!(flows[&seen_from(&a, 0x28)], 2);
        assert_eq!(flows[&seen_from(&b, 0)], 1);
    }

    /// 服务类型相同、发送方不同：五元组不同，还是两个流。每个流的本地地址都是接收方的。
    #[test]
    fn same_tos_different_senders() {
        let rx = receiver();
        let (a, b) = (datagram::bind().unwrap(), datagram::bind().unwrap());
        for sender in [&a, &b] {
            sender.connect(rx.local_addr().unwrap()).unwrap();
            send(sender, 0x10, 2);
        }
        let flows = count_flows(&rx, 4).unwrap();
        assert_eq!(flows.len(), 2, "{flows:?}");
        for (seven, n) in &flows {
            assert_eq!(*n, 2);
            assert_eq!(seven.tos, 0x10);
            assert_eq!(seven.five.protocol, libc::IPPROTO_UDP);
            assert_eq!(seven.five.local, rx.local_addr().unwrap());
        }
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
