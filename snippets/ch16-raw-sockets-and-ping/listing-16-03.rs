// ANCHOR: all
use std::net::{Ipv4Addr, SocketAddr};
use std::os::fd::AsRawFd;

use nix::errno::Errno;
use nix::sys::socket::{recv, MsgFlags};
use sockbook::icmp::{self, Echo, Ipv4Header, ECHO_REPLY, ECHO_REQUEST, PORT_UNREACHABLE};
use sockbook::layers::{self, Ipv4};
use sockbook::{datagram, netns};
use socket2::Socket;

const ID: u16 = 0x1603;

/// 从原始 ICMP 套接字读下一个包，返回其中的 ICMP 报文
fn next_icmp(raw: &Socket) -> Vec<u8> {
    let packet = layers::receive_until(raw, |_| true).unwrap();
    Ipv4::parse(&packet).unwrap().payload.to_vec()
}

/// 回显报文的类型和序号
fn echo(message: &[u8]) -> (u8, u16) {
    let echo = Echo::parse(message).unwrap();
    assert_eq!(echo.identifier, ID);
    (echo.kind, echo.sequence)
}

fn main() {
    let outcome = netns::isolated(|| {
        let to = SocketAddr::from((Ipv4Addr::LOCALHOST, 0)).into();
        let watcher = icmp::raw_socket().unwrap(); // 只收不发
        let pinger = icmp::raw_socket().unwrap();
        pinger
            .send_to(&icmp::echo_request(ID, 1, b"who sees this?"), &to)
            .unwrap();

        // 旁观者收到了别人的请求和内核的应答；发送者也收到这两个
        for raw in [&watcher, &pinger] {
            let seen = [echo(&next_icmp(raw)), echo(&next_icmp(raw))];
            assert_eq!(seen, [(ECHO_REQUEST, 1), (ECHO_REPLY, 1)]);
        }

        // 不是 ping 引起的 ICMP 也照收：向没人用的 UDP 端口发一个数据报
        let udp = datagram::bind().unwrap();
        let closed = datagram::bind().unwrap().local_addr().unwrap(); // 套接字随即关闭
        udp.send_to(b"anyone?", closed).unwrap();
        for raw in [&watcher, &pinger] {
            let error = next_icmp(raw);
            // 类型 3 代码 3：端口不可达；8 字节的 ICMP 首部之后，引用出错的包
            assert_eq!(error[..2], [3, PORT_UNREACHABLE]);
            let quoted = Ipv4Header::parse(&error[8..]).unwrap();
            let udp_header = &error[8 + quoted.header_len..];
            let port = |at: usize| u16::from_be_bytes([udp_header[at], udp_header[at + 1]]);
            assert_eq!(quoted.protocol, 17); // 出错的是一个 UDP 包
            assert_eq!(port(0), udp.local_addr().unwrap().port());
            assert_eq!(port(2), closed.port());
            println!("port unreachable, quoting UDP {} -> {}", port(0), port(2));
        }

        // 队列已经读空了
        let mut buf = [0u8; 1500];
        let empty = recv(watcher.as_raw_fd(), &mut buf, MsgFlags::MSG_DONTWAIT);
        assert_eq!(empty, Err(Errno::EAGAIN));

        // ICMP_FILTER：旁观者从此只要回显应答
        icmp::set_filter(&watcher, &[ECHO_REPLY]).unwrap();
        pinger
            .send_to(&icmp::echo_request(ID, 2, b"only replies"), &to)
            .unwrap();
        // 请求先于应答到达，但被过滤掉了：读到的第一个就是应答
        assert_eq!(echo(&next_icmp(&watcher)), (ECHO_REPLY, 2));
        // 过滤只对设置了它的套接字起作用
        assert_eq!(echo(&next_icmp(&pinger)), (ECHO_REQUEST, 2));
        assert_eq!(echo(&next_icmp(&pinger)), (ECHO_REPLY, 2));
    });
    if let Err(why) = outcome {
        netns::skip("every raw ICMP socket gets a copy", &why);
    }
}
// ANCHOR_END: all
