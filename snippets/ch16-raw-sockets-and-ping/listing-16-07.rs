// ANCHOR: all
use std::io;
use std::net::{Ipv4Addr, SocketAddr};

use sockbook::layers::{self, Ipv4, Tcp};
use sockbook::{loopback, netns};
use socket2::{Domain, Socket, Type};

const SYN: u8 = 0x02;
const RST: u8 = 0x04;
const ACK: u8 = 0x10;
const ISN: u32 = 0x1607_0000; // 我们的初始序号

/// 一个 TCP SYN 段：20 字节首部，校验和覆盖“伪首部”（两个地址、协议号、长度）
fn syn(source_port: u16, destination_port: u16) -> Vec<u8> {
    let mut segment = Vec::new();
    segment.extend(source_port.to_be_bytes());
    segment.extend(destination_port.to_be_bytes());
    segment.extend(ISN.to_be_bytes()); // 序号
    segment.extend(0u32.to_be_bytes()); // 确认号
    segment.extend([0x50, SYN]); // 首部 5 × 4 字节；标志 SYN
    segment.extend(1024u16.to_be_bytes()); // 窗口
    segment.extend([0, 0, 0, 0]); // 校验和、紧急指针
    let mut pseudo = Vec::new();
    pseudo.extend(Ipv4Addr::LOCALHOST.octets());
    pseudo.extend(Ipv4Addr::LOCALHOST.octets());
    pseudo.extend([0, 6]);
    pseudo.extend((segment.len() as u16).to_be_bytes());
    pseudo.extend(&segment);
    let checksum = layers::internet_checksum(&pseudo);
    segment[16..18].copy_from_slice(&checksum.to_be_bytes());
    segment
}

/// 读原始 TCP 套接字，直到一个从 from 端口发往 to 端口、带着 must 标志的段；
/// 返回它的标志和确认号。我们自己发的 SYN 也在里面，要跳过
fn answer(raw: &Socket, from: u16, to: u16, must: u8) -> (u8, u32) {
    let packet = layers::receive_until(raw, |ip| {
        Tcp::parse(ip.payload).is_some_and(|tcp| {
            (tcp.source_port, tcp.destination_port) == (from, to) && ip.payload[13] & must == must
        })
    })
    .unwrap();
    let segment = Ipv4::parse(&packet).unwrap().payload.to_vec();
    let ack = u32::from_be_bytes([segment[8], segment[9], segment[10], segment[11]]);
    (segment[13], ack)
}

fn main() {
    let outcome = netns::isolated(|| {
        let raw = layers::raw(6).unwrap();
        let to = SocketAddr::from((Ipv4Addr::LOCALHOST, 0)).into();
        // 一个开着的端口，一个关着的端口（绑定了，但没有 listen）
        let listener = loopback::listener().unwrap();
        let open = listener.local_addr().unwrap().port();
        let closed_socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        closed_socket
            .bind(&SocketAddr::from((Ipv4Addr::LOCALHOST, 0)).into())
            .unwrap();
        let closed = closed_socket
            .local_addr()
            .unwrap()
            .as_socket()
            .unwrap()
            .port();

        // 扫描：向两个端口各发一个 SYN，源端口随意（这里没有谁占着它们）
        let (broken, scan_a, scan_b) = (40000, 40001, 40002);
        // 先发一个校验和算错的 SYN：对方内核会悄悄丢掉它
        let mut bad = syn(broken, open);
        bad[17] ^= 0xff;
        raw.send_to(&bad, &to).unwrap();
        raw.send_to(&syn(scan_a, open), &to).unwrap();
        raw.send_to(&syn(scan_b, closed), &to).unwrap();

        // 开着的端口回 SYN+ACK，确认号是我们的序号加 1；
        // 它回的第一个段就是给 scan_a 的：坏校验和的那个 SYN 没有回音
        let packet = layers::receive_until(&raw, |ip| {
            Tcp::parse(ip.payload).is_some_and(|tcp| tcp.source_port == open)
        })
        .unwrap();
        let segment = Ipv4::parse(&packet).unwrap().payload.to_vec();
        assert_eq!(Tcp::parse(&segment).unwrap().destination_port, scan_a);
        let ack = u32::from_be_bytes([segment[8], segment[9], segment[10], segment[11]]);
        assert_eq!((segment[13], ack), (SYN | ACK, ISN + 1));
        println!("port {open}: SYN+ACK, open");
        // 本机内核不知道有这个连接，替我们回了 RST：握手只走了一半
        let (flags, _) = answer(&raw, scan_a, open, RST);
        assert_eq!(flags, RST);
        // 关着的端口回 RST+ACK
        let (flags, ack) = answer(&raw, closed, scan_b, ACK);
        assert_eq!((flags, ack), (RST | ACK, ISN + 1));
        println!("port {closed}: RST, closed");

        // 服务器的 accept 队列里什么也没有：半开扫描不留下连接
        listener.set_nonblocking(true).unwrap();
        let err = listener.accept().unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
    });
    if let Err(why) = outcome {
        netns::skip("a SYN scan over a raw TCP socket", &why);
    }
}
// ANCHOR_END: all
