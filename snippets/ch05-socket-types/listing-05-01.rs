// ANCHOR: all
use std::os::fd::{AsRawFd, OwnedFd};

use nix::errno::Errno;
use nix::sys::socket::{recv, send, socketpair, AddressFamily, MsgFlags, SockFlag, SockType};
use sockbook::timeout;

/// 一对相连的 Unix 域套接字，读写都有时限
fn pair(kind: SockType) -> (OwnedFd, OwnedFd) {
    let (a, b) = socketpair(AddressFamily::Unix, kind, None, SockFlag::SOCK_CLOEXEC).unwrap();
    timeout::bound(&a).unwrap();
    timeout::bound(&b).unwrap();
    (a, b)
}

fn main() {
    for kind in [SockType::Stream, SockType::Datagram, SockType::SeqPacket] {
        let (a, b) = pair(kind);
        let (a_fd, b_fd) = (a.as_raw_fd(), b.as_raw_fd());

        // 连发两次，各两个字节
        send(a_fd, b"ab", MsgFlags::empty()).unwrap();
        send(a_fd, b"cd", MsgFlags::empty()).unwrap();
        // 一次读，缓冲区足够大
        let mut buf = [0u8; 16];
        let n = recv(b_fd, &mut buf, MsgFlags::empty()).unwrap();
        println!(
            "{kind:?}: first recv got {:?}",
            String::from_utf8_lossy(&buf[..n])
        );
        match kind {
            // 字节流没有边界：两次写的内容一次读了出来
            SockType::Stream => assert_eq!(&buf[..n], b"abcd"),
            // 数据报、顺序包保留边界：一次只读出一条消息
            _ => {
                assert_eq!(&buf[..n], b"ab");
                let n = recv(b_fd, &mut buf, MsgFlags::empty()).unwrap();
                assert_eq!(&buf[..n], b"cd");
            }
        }

        // 对方关闭之后再读
        drop(a);
        match (kind, recv(b_fd, &mut buf, MsgFlags::MSG_DONTWAIT)) {
            // 有连接的两种类型：读到 0，即“流结束”
            (SockType::Stream | SockType::SeqPacket, result) => assert_eq!(result, Ok(0)),
            // 数据报没有连接，也就没有“结束”：只是没有数据
            (_, result) => assert_eq!(result, Err(Errno::EAGAIN)),
        }
    }

    // 数据报是整体：缓冲区太小时，多出的部分被丢掉，下一次读到的是下一条
    let (a, b) = pair(SockType::Datagram);
    send(a.as_raw_fd(), b"hello", MsgFlags::empty()).unwrap();
    send(a.as_raw_fd(), b"world", MsgFlags::empty()).unwrap();
    let mut small = [0u8; 2];
    // MSG_TRUNC 让 recv 返回这条消息的真实长度
    let real = recv(b.as_raw_fd(), &mut small, MsgFlags::MSG_TRUNC).unwrap();
    assert_eq!((real, &small), (5, b"he"));
    let mut rest = [0u8; 16];
    let n = recv(b.as_raw_fd(), &mut rest, MsgFlags::empty()).unwrap();
    assert_eq!(&rest[..n], b"world");

    // Unix 域的数据报不会丢：对方的队列满了，发送方得到 EAGAIN，而不是悄悄丢掉
    let mut sent = 0u32;
    loop {
        match send(a.as_raw_fd(), &sent.to_be_bytes(), MsgFlags::MSG_DONTWAIT) {
            Ok(_) => sent += 1,
            Err(errno) => {
                assert_eq!(errno, Errno::EAGAIN);
                break;
            }
        }
    }
    println!("{sent} datagrams queued before EAGAIN");
    // 发出去的每一个都按顺序收得到
    for expected in 0..sent {
        let mut number = [0u8; 4];
        recv(b.as_raw_fd(), &mut number, MsgFlags::empty()).unwrap();
        assert_eq!(u32::from_be_bytes(number), expected);
    }
    assert_eq!(
        recv(b.as_raw_fd(), &mut rest, MsgFlags::MSG_DONTWAIT),
        Err(Errno::EAGAIN)
    );
}
// ANCHOR_END: all
