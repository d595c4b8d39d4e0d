// ANCHOR: all
use std::io;
use std::net::{Ipv4Addr, SocketAddr};

use sockbook::reuse::{self, Reuse};
use sockbook::{datagram, netns};

const PORT: u16 = 7000;

fn main() {
    let outcome = netns::isolated(|| {
        let any = SocketAddr::from((Ipv4Addr::UNSPECIFIED, PORT));
        let one = SocketAddr::from((Ipv4Addr::LOCALHOST, PORT));
        let two = SocketAddr::from((Ipv4Addr::new(127, 0, 0, 2), PORT));

        // 1. 两个不同的具体地址：不设选项也行
        let first = reuse::udp(one, Reuse::NONE).unwrap();
        let second = reuse::udp(two, Reuse::NONE).unwrap();
        // 再加一个通配地址：不行
        let err = reuse::udp(any, Reuse::NONE).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
        drop((first, second));

        // 2. 通配地址加具体地址：两个都设 SO_REUSEADDR 就行（UDP 没有 listen）
        let wildcard = reuse::udp(any, Reuse::ADDR).unwrap();
        let specific = reuse::udp(one, Reuse::ADDR).unwrap();

        // 每个数据报交给地址最具体的那个套接字
        let sender = datagram::bind().unwrap();
        sender.send_to(b"to 127.0.0.1", one).unwrap();
        sender.send_to(b"to 127.0.0.2", two).unwrap();
        let got = reuse::receive_spread(&[&wildcard, &specific], 2).unwrap();
        for (who, datagrams) in ["0.0.0.0", "127.0.0.1"].iter().zip(&got) {
            let texts: Vec<_> = datagrams
                .iter()
                .map(|d| String::from_utf8_lossy(d))
                .collect();
            println!("the socket on {who} got {texts:?}");
        }
        assert_eq!(got[0], [b"to 127.0.0.2".to_vec()]);
        assert_eq!(got[1], [b"to 127.0.0.1".to_vec()]);
    });
    if let Err(why) = outcome {
        netns::skip("UDP on a wildcard and a specific address", &why);
    }
}
// ANCHOR_END: all
