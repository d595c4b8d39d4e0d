// ANCHOR: all
use std::io;
use std::net::{Ipv4Addr, SocketAddr};

use sockbook::loopback;
use sockbook::reuse::{self, Reuse};

fn main() {
    // 两个监听套接字，同一个端口，不同的地址，都不设任何选项
    let one = reuse::listener(loopback::ANY_PORT, Reuse::NONE).unwrap();
    let port = one.local_addr().unwrap().port();
    let two_addr = SocketAddr::from((Ipv4Addr::new(127, 0, 0, 2), port));
    let two = reuse::listener(two_addr, Reuse::NONE).unwrap();
    println!(
        "listening on {} and {}",
        one.local_addr().unwrap(),
        two_addr
    );

    // 各收各的连接
    for (listener, ip) in [(&one, [127, 0, 0, 1]), (&two, [127, 0, 0, 2])] {
        let client = loopback::connect(SocketAddr::from((ip, port))).unwrap();
        let (connection, peer) = listener.accept().unwrap();
        assert_eq!(peer, client.local_addr().unwrap());
        assert_eq!(
            connection.local_addr().unwrap(),
            SocketAddr::from((ip, port))
        );
    }

    // 冲突只发生在地址相同（或有一方是通配地址）的时候
    let err = reuse::tcp(one.local_addr().unwrap(), Reuse::NONE).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
}
// ANCHOR_END: all
