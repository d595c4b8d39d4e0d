// ANCHOR: all
use std::net::{Ipv4Addr, SocketAddr};
use std::thread;

use sockbook::icmp::{self, ECHO_REPLY};
use sockbook::netns;
use sockbook::privilege::{self, CAP_NET_RAW};
use socket2::{Domain, Protocol, Socket, Type};

/// socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)：成功，或者失败的错误码
fn raw_icmp() -> Result<Socket, i32> {
    Socket::new(Domain::IPV4, Type::RAW, Some(Protocol::ICMPV4))
        .map_err(|err| err.raw_os_error().unwrap())
}

fn main() {
    // 本线程有没有 CAP_NET_RAW，决定 socket() 的成败
    let held = privilege::has(CAP_NET_RAW).unwrap();
    println!("main thread holds CAP_NET_RAW: {held}");
    match raw_icmp() {
        Ok(_) => assert!(held),
        Err(errno) => assert_eq!((errno, held), (libc::EPERM, false)),
    }

    // 在另一个线程上放下这项能力，这个线程就成了“普通用户”
    let refused = thread::spawn(|| {
        privilege::drop_effective(CAP_NET_RAW).unwrap();
        assert!(!privilege::has(CAP_NET_RAW).unwrap());
        let kinds = [
            (Domain::IPV4, Protocol::ICMPV4), // ping 用的
            (Domain::IPV4, Protocol::TCP),    // 扫描器用的
            (Domain::IPV4, Protocol::from(libc::IPPROTO_RAW)),
            (Domain::IPV6, Protocol::ICMPV6),
            (Domain::PACKET, Protocol::from(0)), // 链路层的“原始”套接字
        ];
        kinds.map(|(domain, protocol)| {
            let err = Socket::new(domain, Type::RAW, Some(protocol)).unwrap_err();
            err.raw_os_error()
        })
    })
    .join()
    .unwrap();
    println!("without CAP_NET_RAW: {refused:?}");
    assert_eq!(refused, [Some(libc::EPERM); 5]);
    // 能力属于线程：主线程的没有变
    assert_eq!(privilege::has(CAP_NET_RAW).unwrap(), held);

    // 只在 socket() 时检查：先建好套接字再放下能力，套接字照样能用
    let outcome = netns::isolated(|| {
        if !privilege::has(CAP_NET_RAW).unwrap() {
            return None; // 进程本来就没有这项能力，无从“先建后放”
        }
        let raw = icmp::raw_socket().unwrap();
        privilege::drop_effective(CAP_NET_RAW).unwrap();
        let again = raw_icmp().map(drop);
        let to = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let request = icmp::echo_request(0x1601, 1, b"made before the drop");
        raw.send_to(&request, &to.into()).unwrap();
        let reply = icmp::receive_echo(&raw, ECHO_REPLY, 0x1601, 1).unwrap();
        Some((again, reply.len()))
    });
    match outcome {
        Ok(Some((again, reply_len))) => {
            assert_eq!(again, Err(libc::EPERM)); // 新的建不了
            assert_eq!(reply_len, 20 + 8 + 20); // 旧的照样收发
            println!(
                "after the drop: a new raw socket fails, the old one got a {reply_len}-byte reply"
            );
        }
        Ok(None) => {
            let why = netns::Unavailable("this process does not hold CAP_NET_RAW".into());
            netns::skip("keeping a raw socket after dropping CAP_NET_RAW", &why);
        }
        Err(why) => netns::skip("keeping a raw socket after dropping CAP_NET_RAW", &why),
    }
}
// ANCHOR_END: all
