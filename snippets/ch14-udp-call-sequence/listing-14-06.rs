// ANCHOR: all
use std::io::{self, IoSliceMut};
use std::net::{SocketAddr, UdpSocket};
use std::os::fd::{AsFd, AsRawFd};

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use nix::sys::socket::{recvmsg, setsockopt, sockopt, ControlMessageOwned, MsgFlags, SockaddrIn};
use sockbook::datagram;

/// 等到套接字上有挂起的错误（poll(2) 报告 POLLERR），最多 5 秒
fn wait_for_error(socket: &UdpSocket) {
    let mut fds = [PollFd::new(socket.as_fd(), PollFlags::empty())];
    let ready = poll(&mut fds, PollTimeout::from(5000u16)).unwrap();
    assert_eq!(ready, 1, "no error within 5 s");
    assert!(fds[0].revents().unwrap().contains(PollFlags::POLLERR));
}

fn main() {
    // 一个“关着”的端口：held 占着它，但已 connect 到别处，
    // 所以发往这个端口的数据报没有套接字肯收（示例 14-5 的第 3 步）
    let held = datagram::bind().unwrap();
    held.connect(datagram::bind().unwrap().local_addr().unwrap())
        .unwrap();
    let closed = held.local_addr().unwrap();

    // ---- connect 过的套接字 ----
    let client = datagram::bind().unwrap();
    client.connect(closed).unwrap();
    // send() 成功：返回值只说明内核接下了这个数据报
    assert_eq!(client.send(b"one").unwrap(), 3);
    // 对方内核回了 ICMP“端口不可达”，它到达后，错误挂在套接字上
    wait_for_error(&client);
    // 下一次 send() 失败了：它报告的是上一个数据报的命运
    let err = client.send(b"two").unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
    // 错误只报告一次：再 send() 又成功了
    assert_eq!(client.send(b"three").unwrap(), 5);
    // 这回不去读它，用 SO_ERROR 取走：取走之后就没有了
    wait_for_error(&client);
    let pending = client.take_error().unwrap().expect("a pending error");
    assert_eq!(pending.kind(), io::ErrorKind::ConnectionRefused);
    assert!(client.take_error().unwrap().is_none());
    println!("connected socket: {pending}");

    // ---- 没有 connect 的套接字：默认什么也不知道（示例 3-1），打开 IP_RECVERR 就知道了 ----
    let loose = datagram::bind().unwrap();
    setsockopt(&loose, sockopt::Ipv4RecvErr, &true).unwrap();
    loose.send_to(b"four", closed).unwrap();
    wait_for_error(&loose);
    let err = loose.recv_from(&mut [0; 16]).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
    // 错误的细节在错误队列里：recvmsg(MSG_ERRQUEUE) 取回出错的数据报和那条 ICMP 的内容
    let mut data = [0u8; 16];
    let mut iov = [IoSliceMut::new(&mut data)];
    let mut space = nix::cmsg_space!(libc::sock_extended_err, libc::sockaddr_in);
    let msg = recvmsg::<SockaddrIn>(
        loose.as_raw_fd(),
        &mut iov,
        Some(&mut space),
        MsgFlags::MSG_ERRQUEUE,
    )
    .unwrap();
    let (bytes, to) = (
        msg.bytes,
        msg.address.map(|a| SocketAddr::from((a.ip(), a.port()))),
    );
    let mut detail = None;
    for cmsg in msg.cmsgs().unwrap() {
        if let ControlMessageOwned::Ipv4RecvErr(err, offender) = cmsg {
            detail = Some((err, offender.map(|o| SockaddrIn::from(o).ip())));
        }
    }
    let (err, offender) = detail.expect("an IP_RECVERR message");
    println!(
        "error queue: {bytes} bytes to {to:?}, ICMP type {} code {} from {offender:?}",
        err.ee_type, err.ee_code
    );
    // 出错的是发往 closed 的那个 4 字节数据报
    assert_eq!((&data[..bytes], to), (&b"four"[..], Some(closed)));
    // 错误来自 ICMP：类型 3“目的不可达”，代码 3“端口不可达”，由 127.0.0.1 发出
    assert_eq!(err.ee_errno, libc::ECONNREFUSED as u32);
    assert_eq!(err.ee_origin, libc::SO_EE_ORIGIN_ICMP);
    assert_eq!((err.ee_type, err.ee_code), (3, 3));
    assert_eq!(offender, Some(std::net::Ipv4Addr::LOCALHOST));
}
// ANCHOR_END: all
