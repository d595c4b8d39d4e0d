// ANCHOR: all
use std::net::{Ipv4Addr, SocketAddr};

use sockbook::{loopback, netns, ports, timeout};
use socket2::{Domain, Socket, Type};

fn main() {
    // listen() 之前不调用 bind()：会绑定到 0.0.0.0，所以放进私有命名空间里做
    let outcome = netns::isolated(|| {
        let listening = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        timeout::bound(&listening).unwrap();
        let before = listening.local_addr().unwrap().as_socket().unwrap();
        assert_eq!(before, SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)));

        listening.listen(16).unwrap(); // 没有 bind()，照样成功
        let after = listening.local_addr().unwrap().as_socket().unwrap();
        // 内核替它绑定了通配地址和一个临时端口
        assert_eq!(after.ip(), Ipv4Addr::UNSPECIFIED);
        let range = ports::ephemeral_range().unwrap(); // 读的是这个命名空间的设置
        assert!(range.contains(&after.port()), "{after} not in {range:?}");

        // 它是一个真正的监听套接字：能接受连接
        let target = SocketAddr::from((Ipv4Addr::LOCALHOST, after.port()));
        let client = loopback::connect(target).unwrap();
        let (_connected, peer) = listening.accept().unwrap();
        assert_eq!(peer.as_socket().unwrap(), client.local_addr().unwrap());
        (before, after)
    });
    match outcome {
        Ok((before, after)) => println!("before listen(): {before}, after listen(): {after}"),
        Err(why) => netns::skip("listen() without bind()", &why),
    }
}
// ANCHOR_END: all
