// ANCHOR: all
use std::io;

use sockbook::reuse::{self, Reuse, NOBODY};
use sockbook::{loopback, netns};
use socket2::{Domain, Socket, Type};

fn main() {
    // root 的服务器设了 SO_REUSEPORT
    let first = reuse::listener(loopback::ANY_PORT, Reuse::PORT).unwrap();
    let addr = first.local_addr().unwrap();

    // 另一个线程把有效用户 ID 换成 nobody（只换这一个线程）
    let outcome = reuse::as_user(NOBODY, || {
        assert_eq!(unsafe { libc::geteuid() }, NOBODY);
        // nobody 的套接字也设了 SO_REUSEPORT：不行，用户不同
        let err = reuse::tcp(addr, Reuse::PORT).unwrap_err();
        println!("euid {NOBODY}: {err}");
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);

        // 套接字记住的是创建它的用户：nobody 创建，换回 root 再 bind，仍然不行
        let made_by_nobody = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        made_by_nobody.set_reuse_port(true).unwrap();
        reuse::set_thread_euid(0).unwrap();
        let err = made_by_nobody.bind(&addr.into()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);

        // root 新建的套接字：可以
        let by_root = reuse::listener(addr, Reuse::PORT).unwrap();
        assert_eq!(by_root.local_addr().unwrap(), addr);
    });
    match outcome {
        Ok(()) => assert_eq!(unsafe { libc::geteuid() }, 0), // 主线程一直是 root
        Err(why) => netns::skip("SO_REUSEPORT across user ids", &why),
    }
}
// ANCHOR_END: all
