// ANCHOR: all
use std::io::{Read, Write};
use std::net::{Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{self, UnixListener, UnixStream};

use sockbook::timeout::{self, LIMIT};
use socket2::{Domain, SockRef};

/// 在一对已连接的套接字之间传一句话
fn talk(mut from: impl Write, mut to: impl Read) {
    from.write_all(b"hi").unwrap();
    let mut heard = [0; 2];
    to.read_exact(&mut heard).unwrap();
    assert_eq!(&heard, b"hi");
}

fn main() {
    // 地址族（AF_）和协议族（PF_）在 Linux 上是同一组数
    assert_eq!(libc::PF_INET, libc::AF_INET);
    assert_eq!(libc::PF_INET6, libc::AF_INET6);
    assert_eq!(libc::PF_UNIX, libc::AF_UNIX);

    // AF_INET：IPv4 地址 + 端口，地址结构 16 字节
    let v4 = TcpListener::bind("127.0.0.1:0").unwrap();
    timeout::bound(&v4).unwrap();
    let client = TcpStream::connect_timeout(&v4.local_addr().unwrap(), LIMIT).unwrap();
    let (served, _) = v4.accept().unwrap();
    talk(&client, &served);
    let name = SockRef::from(&v4).local_addr().unwrap();
    println!(
        "AF_INET  {:?} ({} bytes)",
        name.as_socket().unwrap(),
        name.len()
    );
    assert_eq!(SockRef::from(&v4).domain().unwrap(), Domain::IPV4);
    assert_eq!((name.domain(), name.len()), (Domain::IPV4, 16));

    // AF_INET6：IPv6 地址 + 端口，地址结构 28 字节
    let any6 = SocketAddr::from((Ipv6Addr::LOCALHOST, 0));
    let v6 = TcpListener::bind(any6).unwrap();
    timeout::bound(&v6).unwrap();
    let client = TcpStream::connect_timeout(&v6.local_addr().unwrap(), LIMIT).unwrap();
    let (served, _) = v6.accept().unwrap();
    talk(&client, &served);
    let name = SockRef::from(&v6).local_addr().unwrap();
    println!(
        "AF_INET6 {:?} ({} bytes)",
        name.as_socket().unwrap(),
        name.len()
    );
    assert_eq!(SockRef::from(&v6).domain().unwrap(), Domain::IPV6);
    assert_eq!((name.domain(), name.len()), (Domain::IPV6, 28));
    assert_eq!(name.as_socket().unwrap().ip(), Ipv6Addr::LOCALHOST);

    // AF_UNIX：地址是一个名字，不是 IP 和端口。这里用 Linux 的“抽象名字”，不落在文件系统里
    let abstract_name = format!("sockbook-ch05-{}", std::process::id());
    let addr = net::SocketAddr::from_abstract_name(&abstract_name).unwrap();
    let local = UnixListener::bind_addr(&addr).unwrap();
    timeout::bound(&local).unwrap();
    let client = UnixStream::connect_addr(&addr).unwrap();
    timeout::bound(&client).unwrap();
    let (served, _) = local.accept().unwrap();
    talk(&client, &served);
    let bound = local.local_addr().unwrap();
    println!("AF_UNIX  {bound:?}");
    assert_eq!(SockRef::from(&local).domain().unwrap(), Domain::UNIX);
    assert_eq!(bound.as_abstract_name(), Some(abstract_name.as_bytes()));
    // Unix 域套接字没有 IP 地址，也没有端口，协议号是 0
    assert!(SockRef::from(&local)
        .local_addr()
        .unwrap()
        .as_socket()
        .is_none());
    assert_eq!(SockRef::from(&local).protocol().unwrap(), None);
}
// ANCHOR_END: all
