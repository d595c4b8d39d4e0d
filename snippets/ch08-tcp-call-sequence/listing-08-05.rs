// ANCHOR: all
use std::net::{Ipv4Addr, SocketAddr};

use sockbook::{loopback, ports};
use socket2::{Domain, Socket, Type};

fn main() {
    let range = ports::ephemeral_range().unwrap();
    println!("ip_local_port_range: {range:?}");
    let listener = loopback::listener().unwrap();

    // 客户端只调用 socket()：此时它还没有地址
    let client = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    sockbook::timeout::bound(&client).unwrap();
    let before = client.local_addr().unwrap().as_socket().unwrap();
    println!("before connect(): {before}");
    assert_eq!(before, SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)));

    // connect() 时内核替它选了源地址和一个临时端口
    client
        .connect(&listener.local_addr().unwrap().into())
        .unwrap();
    let after = client.local_addr().unwrap().as_socket().unwrap();
    println!("after connect():  {after}");
    assert_eq!(after.ip(), Ipv4Addr::LOCALHOST);
    assert!(range.contains(&after.port()), "{after} not in {range:?}");

    // bind() 到端口 0 也从同一个范围里取端口
    let (_held, bound) = loopback::closed_port().unwrap();
    println!("bind(127.0.0.1:0): {bound}");
    assert!(range.contains(&bound.port()), "{bound} not in {range:?}");
    // 我们的监听套接字也是这样拿到端口的
    let listening = listener.local_addr().unwrap();
    assert!(
        range.contains(&listening.port()),
        "{listening} not in {range:?}"
    );
}
// ANCHOR_END: all
