// ANCHOR: all
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::os::fd::AsRawFd;

use nix::errno::Errno;
use nix::sys::socket::{
    bind, connect, getpeername, getsockname, socket, AddressFamily, SockFlag, SockType, SockaddrIn,
};
use sockbook::{loopback, timeout};
use socket2::SockRef;

fn main() {
    let fd = socket(
        AddressFamily::Inet,
        SockType::Stream,
        SockFlag::empty(),
        None,
    )
    .unwrap();
    timeout::bound(&fd).unwrap();
    let raw = fd.as_raw_fd();

    // 刚创建：本地地址全是零，也没有对方
    let local: SockaddrIn = getsockname(raw).unwrap();
    println!("after socket(): {local}");
    assert_eq!(local.ip(), Ipv4Addr::UNSPECIFIED);
    assert_eq!(local.port(), 0);
    assert_eq!(getpeername::<SockaddrIn>(raw).err(), Some(Errno::ENOTCONN));

    // bind 到 127.0.0.1:0：地址是我们给的，端口由内核挑
    bind(
        raw,
        &SockaddrIn::from(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)),
    )
    .unwrap();
    let local: SockaddrIn = getsockname(raw).unwrap();
    println!("after bind(): {local}");
    assert_eq!(local.ip(), Ipv4Addr::LOCALHOST);
    assert_ne!(local.port(), 0);
    // 还是没有对方
    assert_eq!(getpeername::<SockaddrIn>(raw).err(), Some(Errno::ENOTCONN));

    // 文档 000 的“半相关”：（协议，本地地址，本地端口），套接字自己全都知道
    let protocol = SockRef::from(&fd).protocol().unwrap().map(i32::from);
    println!("half association: ({protocol:?}, {}, {})", local.ip(), local.port());
    assert_eq!(protocol, Some(libc::IPPROTO_TCP));

    // connect 之后才有了另一半：对方的地址和端口
    let listener = loopback::listener().unwrap();
    let SocketAddr::V4(server) = listener.local_addr().unwrap() else {
        unreachable!("the listener is on 127.0.0.1")
    };
    connect(raw, &SockaddrIn::from(server)).unwrap();
    let peer: SockaddrIn = getpeername(raw).unwrap();
    println!("after connect(): {local} -> {peer}");
    assert_eq!(SocketAddrV4::from(peer), server);
    // 本地这一半没有变，服务器 accept 时看到的正是它
    assert_eq!(getsockname::<SockaddrIn>(raw).unwrap(), local);
    let (_conn, seen) = listener.accept().unwrap();
    assert_eq!(seen, SocketAddr::V4(local.into()));
}
// ANCHOR_END: all
