// ANCHOR: all
use std::net::{Ipv4Addr, SocketAddr};

use sockbook::reuse::{self, Reuse};
use sockbook::{loopback, netns};

const PORT: u16 = 7000;

fn main() {
    let outcome = netns::isolated(|| {
        let any = SocketAddr::from((Ipv4Addr::UNSPECIFIED, PORT));
        let one = SocketAddr::from((Ipv4Addr::LOCALHOST, PORT));
        let two = SocketAddr::from((Ipv4Addr::new(127, 0, 0, 2), PORT));

        // 示例 15-8 里 SO_REUSEADDR 做不到的，SO_REUSEPORT 做到了：两个都在监听
        let wildcard = reuse::listener(any, Reuse::PORT).unwrap();
        let specific = reuse::listener(one, Reuse::PORT).unwrap();

        // 连接交给地址最具体的监听套接字，不在两者之间分摊
        let to_one = loopback::connect(one).unwrap();
        let to_two = loopback::connect(two).unwrap();
        let (_, peer) = specific.accept().unwrap();
        assert_eq!(peer, to_one.local_addr().unwrap());
        let (_, peer) = wildcard.accept().unwrap();
        assert_eq!(peer, to_two.local_addr().unwrap());
        (
            wildcard.local_addr().unwrap(),
            specific.local_addr().unwrap(),
        )
    });
    match outcome {
        Ok((wildcard, specific)) => println!("both listening: {wildcard} and {specific}"),
        Err(why) => netns::skip("SO_REUSEPORT on a wildcard and a specific address", &why),
    }
}
// ANCHOR_END: all
