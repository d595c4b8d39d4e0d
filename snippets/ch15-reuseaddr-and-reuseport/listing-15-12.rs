// ANCHOR: all
use std::io;

use sockbook::loopback;
use sockbook::reuse::{self, Reuse};
use socket2::SockRef;

fn main() {
    // 1. 两个都设 SO_REUSEPORT：同一地址和端口，两个都能监听
    let a = reuse::listener(loopback::ANY_PORT, Reuse::PORT).unwrap();
    let addr = a.local_addr().unwrap();
    let b = reuse::listener(addr, Reuse::PORT).unwrap();
    assert_eq!(b.local_addr().unwrap(), addr);

    // 2. 只有后来的设了：不行
    let plain = reuse::listener(loopback::ANY_PORT, Reuse::NONE).unwrap();
    let err = reuse::tcp(plain.local_addr().unwrap(), Reuse::PORT).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::AddrInUse);

    // 3. 只有先来的设了：也不行，SO_REUSEADDR 也帮不上
    let shared = reuse::listener(loopback::ANY_PORT, Reuse::PORT).unwrap();
    for reuse in [Reuse::NONE, Reuse::ADDR] {
        let err = reuse::tcp(shared.local_addr().unwrap(), reuse).unwrap_err();
        println!("{reuse:?} beside SO_REUSEPORT: {err}");
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
    }

    // 4. 内核在后来者 bind() 的那一刻检查先来者的选项：
    //    先来者在 listen() 之后才补设，这个内核也认
    let late = reuse::listener(loopback::ANY_PORT, Reuse::NONE).unwrap();
    SockRef::from(&late).set_reuse_port(true).unwrap();
    let joined = reuse::listener(late.local_addr().unwrap(), Reuse::PORT).unwrap();
    assert_eq!(joined.local_addr().unwrap(), late.local_addr().unwrap());
}
// ANCHOR_END: all
