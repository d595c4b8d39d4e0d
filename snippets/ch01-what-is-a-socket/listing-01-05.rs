// ANCHOR: all
use nix::errno::Errno;
use nix::sys::socket::{
    getsockopt, socket, sockopt, AddressFamily, SockFlag, SockProtocol, SockType,
};
use socket2::{Domain, Protocol, SockRef, Socket, Type};

fn main() {
    // socket(AF_INET, SOCK_STREAM, 0)：地址族、类型、协议，没有任何地址
    let fd = socket(
        AddressFamily::Inet,
        SockType::Stream,
        SockFlag::empty(),
        None,
    )
    .unwrap();
    // 协议填 0（None），内核为“IPv4 上的字节流”选了 TCP
    assert_eq!(
        getsockopt(&fd, sockopt::SockType).unwrap(),
        SockType::Stream
    );
    let same = SockRef::from(&fd); // 同一个描述符，借 socket2 读回 SO_PROTOCOL、SO_DOMAIN
    let protocol = same.protocol().unwrap().map(i32::from);
    println!("(AF_INET, SOCK_STREAM, 0) -> protocol {protocol:?}");
    assert_eq!(protocol, Some(libc::IPPROTO_TCP));
    assert_eq!(protocol, Some(6));
    assert_eq!(same.domain().unwrap(), Domain::IPV4);

    // 同样三个参数，用 socket2 来写；换成 SOCK_DGRAM，0 就选了 UDP（17）
    let stream = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    let datagram = Socket::new(Domain::IPV4, Type::DGRAM, None).unwrap();
    for (socket, want_type, want_protocol) in [
        (&stream, Type::STREAM, Protocol::TCP),
        (&datagram, Type::DGRAM, Protocol::UDP),
    ] {
        assert_eq!(socket.domain().unwrap(), Domain::IPV4);
        assert_eq!(socket.r#type().unwrap(), want_type);
        assert_eq!(socket.protocol().unwrap(), Some(want_protocol));
    }
    assert_eq!(i32::from(Protocol::UDP), 17);

    // 第三个参数必须与类型相配：“数据报 + TCP”内核不接受
    let mismatch = socket(
        AddressFamily::Inet,
        SockType::Datagram,
        SockFlag::empty(),
        SockProtocol::Tcp,
    );
    assert_eq!(mismatch.err(), Some(Errno::EPROTONOSUPPORT));
}
// ANCHOR_END: all
