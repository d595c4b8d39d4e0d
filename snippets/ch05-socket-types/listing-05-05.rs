// ANCHOR: all
use std::fs;

use sockbook::netdb;
use socket2::{Domain, Protocol, Socket, Type};

fn errno(result: std::io::Result<Socket>) -> Option<i32> {
    result.err().map(|err| err.raw_os_error().unwrap())
}

fn main() {
    // 两个协议在 /etc/protocols 里都有号码
    assert_eq!(
        netdb::protocol_by_name("sctp").unwrap().unwrap().number,
        132
    );
    assert_eq!(netdb::protocol_by_name("dccp").unwrap().unwrap().number, 33);

    // SCTP：一对一风格用 SOCK_STREAM，前提是内核带了 SCTP
    let sctp = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::SCTP));
    match &sctp {
        Ok(socket) => {
            println!("SCTP over SOCK_STREAM: available");
            assert_eq!(socket.r#type().unwrap(), Type::STREAM);
            assert_eq!(socket.protocol().unwrap(), Some(Protocol::SCTP));
        }
        Err(err) => {
            println!("SCTP over SOCK_STREAM: {err}");
            // 没有 SCTP 模块的内核：不支持这个协议
            assert_eq!(err.raw_os_error(), Some(libc::EPROTONOSUPPORT));
        }
    }

    // DCCP 从来不是字节流：在 SOCK_STREAM 下要 DCCP，任何 Linux 都拒绝
    let dccp_stream = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::DCCP));
    assert_eq!(errno(dccp_stream), Some(libc::EPROTONOSUPPORT));

    // DCCP 在 Linux 上有自己的类型 SOCK_DCCP；6.16 起内核删掉了 DCCP
    let release = fs::read_to_string("/proc/sys/kernel/osrelease").unwrap();
    let mut numbers = release.split(|c: char| !c.is_ascii_digit());
    let major: u32 = numbers.next().unwrap().parse().unwrap();
    let minor: u32 = numbers.next().unwrap().parse().unwrap();
    let dccp = Socket::new(Domain::IPV4, Type::DCCP, Some(Protocol::DCCP));
    println!(
        "kernel {}, SOCK_DCCP: {:?}",
        release.trim(),
        dccp.as_ref().err()
    );
    if (major, minor) >= (6, 16) {
        assert_eq!(errno(dccp), Some(libc::ESOCKTNOSUPPORT));
    } else if let Ok(socket) = dccp {
        assert_eq!(socket.r#type().unwrap(), Type::DCCP);
    }
}
// ANCHOR_END: all
