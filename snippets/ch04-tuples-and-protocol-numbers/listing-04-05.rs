// ANCHOR: all
use std::io::IoSliceMut;
use std::net::{SocketAddr, UdpSocket};
use std::os::fd::AsRawFd;

use nix::net::if_::if_nametoindex;
use nix::sys::socket::{recvmsg, setsockopt, sockopt, ControlMessageOwned, MsgFlags, SockaddrIn};
use sockbook::{loopback, timeout, tuple};
use socket2::SockRef;

/// 收一个数据报，连同发送方地址和内核附上的“服务类型”“接口索引”
fn receive(socket: &UdpSocket) -> (Vec<u8>, SocketAddr, u8, u32) {
    let mut data = [0u8; 64];
    let mut iov = [IoSliceMut::new(&mut data)];
    let mut space = nix::cmsg_space!(u8, libc::in_pktinfo);
    let msg = recvmsg::<SockaddrIn>(
        socket.as_raw_fd(),
        &mut iov,
        Some(&mut space),
        MsgFlags::empty(),
    )
    .unwrap();
    let (mut tos, mut ifindex) = (None, None);
    for cmsg in msg.cmsgs().unwrap() {
        match cmsg {
            ControlMessageOwned::Ipv4Tos(value) => tos = Some(value),
            ControlMessageOwned::Ipv4PacketInfo(info) => ifindex = Some(info.ipi_ifindex as u32),
            _ => {}
        }
    }
    let from = msg.address.unwrap();
    let from = SocketAddr::from((from.ip(), from.port()));
    let n = msg.bytes;
    (data[..n].to_vec(), from, tos.unwrap(), ifindex.unwrap())
}

fn main() {
    let receiver = UdpSocket::bind(loopback::ANY_PORT).unwrap();
    timeout::bound(&receiver).unwrap();
    // 请内核在每个包上附带 IP 头里的服务类型（TOS）和收到它的接口
    setsockopt(&receiver, sockopt::IpRecvTos, &true).unwrap();
    setsockopt(&receiver, sockopt::Ipv4PacketInfo, &true).unwrap();

    let sender = UdpSocket::bind(loopback::ANY_PORT).unwrap();
    sender.connect(receiver.local_addr().unwrap()).unwrap();
    let five = tuple::five(&sender).unwrap();
    println!("5-tuple of the sender: {five}");

    // 同一个套接字、同一个五元组，先后用两种服务类型各发一个包
    for tos in [0x10, 0x28] {
        SockRef::from(&sender).set_tos_v4(tos).unwrap();
        sender.send(format!("tos {tos:#04x}").as_bytes()).unwrap();
    }

    let lo = if_nametoindex("lo").unwrap();
    for expected in [0x10u8, 0x28] {
        let (data, from, tos, ifindex) = receive(&receiver);
        println!(
            "{:?}: TOS {tos:#04x}, interface index {ifindex}",
            String::from_utf8_lossy(&data)
        );
        // 两个包来自同一个地址，落进同一个套接字：五元组相同
        assert_eq!(from, five.local);
        // 服务类型却是每个包自己的；接口索引是 lo 的编号
        assert_eq!(tos, expected);
        assert_eq!(ifindex, lo);
    }
}
// ANCHOR_END: all
