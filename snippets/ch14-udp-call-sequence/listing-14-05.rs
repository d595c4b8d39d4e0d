// ANCHOR: all
use std::io;
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::os::fd::{AsFd, AsRawFd};

use sockbook::{datagram, ports};

/// connect() 到地址族 AF_UNSPEC：解除 UDP 套接字的“连接”（connect(2)）
fn disconnect(socket: &impl AsFd) -> io::Result<()> {
    let unspec = libc::sockaddr {
        sa_family: libc::AF_UNSPEC as libc::sa_family_t,
        sa_data: [0; 14],
    };
    let len = std::mem::size_of::<libc::sa_family_t>() as libc::socklen_t;
    // SAFETY: 内核只读 unspec 的前 len 个字节
    match unsafe { libc::connect(socket.as_fd().as_raw_fd(), &unspec, len) } {
        0 => Ok(()),
        _ => Err(io::Error::last_os_error()),
    }
}

/// 从 socket 收一个数据报，返回内容和来信地址
fn receive(socket: &UdpSocket) -> (Vec<u8>, SocketAddr) {
    let mut buf = [0u8; 64];
    let (n, from) = socket.recv_from(&mut buf).unwrap();
    (buf[..n].to_vec(), from)
}

fn main() {
    let b = datagram::bind().unwrap(); // 主角
    let a = datagram::bind().unwrap(); // b 将 connect 到 a
    let c = datagram::bind().unwrap(); // 第三者
    let (a_addr, b_addr, c_addr) = (
        a.local_addr().unwrap(),
        b.local_addr().unwrap(),
        c.local_addr().unwrap(),
    );

    // 1. 没有 connect 时：send() 不知道发给谁，EDESTADDRREQ（“需要目的地址”）
    let err = b.send(b"to whom?").unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EDESTADDRREQ));
    assert_eq!(
        b.peer_addr().unwrap_err().kind(),
        io::ErrorKind::NotConnected
    );

    // 2. connect(a) 之后：有了对端，send() 不写地址也能发
    b.connect(a_addr).unwrap();
    assert_eq!(b.peer_addr().unwrap(), a_addr);
    b.send(b"hello a").unwrap();
    assert_eq!(receive(&a), (b"hello a".to_vec(), b_addr));

    // 3. 过滤：c 发给 b 的数据报，内核不交给 b。对 c 来说，b 的端口上等于没有人，
    //    于是 c 收到“端口不可达”：connect 过的 c 在下一次 recv 得到 ECONNREFUSED
    c.connect(b_addr).unwrap();
    c.send(b"from c").unwrap();
    assert_eq!(
        c.recv(&mut [0; 64]).unwrap_err().kind(),
        io::ErrorKind::ConnectionRefused
    );
    // a 发来的照收；收完之后 b 的队列是空的，c 的那个从未进来
    a.send_to(b"from a", b_addr).unwrap();
    assert_eq!(receive(&b), (b"from a".to_vec(), a_addr));
    b.set_nonblocking(true).unwrap();
    assert_eq!(
        b.recv(&mut [0; 64]).unwrap_err().kind(),
        io::ErrorKind::WouldBlock
    );
    b.set_nonblocking(false).unwrap();

    // 4. 在 Linux 上，connect 过的 UDP 套接字仍可以 sendto() 到别的地址
    b.send_to(b"to c", c_addr).unwrap();
    assert_eq!(receive(&c), (b"to c".to_vec(), b_addr));

    // 5. connect(AF_UNSPEC) 解除连接：对端没了
    disconnect(&b).unwrap();
    assert_eq!(
        b.peer_addr().unwrap_err().kind(),
        io::ErrorKind::NotConnected
    );
    // 一个意外：bind() 时由内核挑的端口，断开时也交还了；自己指定的 127.0.0.1 留着
    let after = b.local_addr().unwrap();
    println!("bound to {b_addr}, after AF_UNSPEC: {after}");
    assert_eq!(after, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)));
    // send() 又要地址了：EDESTADDRREQ
    let err = b.send(b"to whom?").unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EDESTADDRREQ));
    // 另一个意外：这次失败的 send() 已经替它自动绑定了一个新的端口
    let b_now = b.local_addr().unwrap();
    println!("after a failed send(): {b_now}");
    assert_eq!(b_now.ip(), Ipv4Addr::LOCALHOST);
    assert!(
        ports::ephemeral_range().unwrap().contains(&b_now.port()),
        "{b_now}"
    );

    // 从此谁的数据报都收：a 的，还有 c 的（UDP 的 connect 可以再调用，换一个对端）
    c.connect(b_now).unwrap();
    c.send(b"from c").unwrap();
    a.send_to(b"from a", b_now).unwrap();
    let mut senders = vec![receive(&b).1, receive(&b).1];
    senders.sort();
    let mut expected = vec![a_addr, c_addr];
    expected.sort();
    assert_eq!(senders, expected);
}
// ANCHOR_END: all
