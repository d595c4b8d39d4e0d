// ANCHOR: all
use std::io;
use std::net::{Ipv4Addr, SocketAddr};

use sockbook::netns;
use sockbook::reuse::{self, Reuse};

const PORT: u16 = 7000; // 私有命名空间里，固定端口不会和谁冲突

fn main() {
    let outcome = netns::isolated(|| {
        let any = SocketAddr::from((Ipv4Addr::UNSPECIFIED, PORT));
        let one = SocketAddr::from((Ipv4Addr::LOCALHOST, PORT));

        // 1. 都不设选项：通配地址占着端口，具体地址绑不上
        let wildcard = reuse::tcp(any, Reuse::NONE).unwrap();
        let err = reuse::tcp(one, Reuse::NONE).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
        drop(wildcard);

        // 2. 都设 SO_REUSEADDR：两次 bind() 都成功，只要还没有谁在监听
        let wildcard = reuse::tcp(any, Reuse::ADDR).unwrap();
        let specific = reuse::tcp(one, Reuse::ADDR).unwrap();
        // 可是只有一个能 listen()
        wildcard.listen(128).unwrap();
        let err = specific.listen(128).unwrap_err();
        println!("listen() on {one} beside {any}: {err}");
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
        drop((wildcard, specific));

        // 3. 反过来：具体地址已在监听，通配地址连 bind() 都不行
        let specific = reuse::listener(one, Reuse::ADDR).unwrap();
        let err = reuse::tcp(any, Reuse::ADDR).unwrap_err();
        println!("bind() on {any} beside a listener on {one}: {err}");
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
        drop(specific);
    });
    if let Err(why) = outcome {
        netns::skip(
            "wildcard and specific listeners in a private namespace",
            &why,
        );
    }
}
// ANCHOR_END: all
