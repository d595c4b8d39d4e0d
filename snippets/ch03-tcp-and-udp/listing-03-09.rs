// ANCHOR: all
use nix::errno::Errno;
use sockbook::layers;
use socket2::{Domain, Protocol, Socket, Type};

/// 表里这个协议的 IP 协议号
fn number(name: &str) -> i32 {
    let protocol = layers::protocol(name).unwrap();
    i32::from(protocol.carrier.ip_protocol().unwrap())
}

/// socket(AF_INET, kind, protocol)：成功，或者失败的错误码
fn socket(kind: Type, protocol: i32) -> Result<Socket, Errno> {
    Socket::new(Domain::IPV4, kind, Some(Protocol::from(protocol)))
        .map_err(|err| Errno::from_raw(err.raw_os_error().unwrap()))
}

fn main() {
    // 流套接字配 TCP：内核同意
    assert!(socket(Type::STREAM, number("TCP")).is_ok());

    // 流套接字配 DCCP（协议号 33）：内核拒绝，DCCP 不是字节流协议
    println!(
        "{}: {}",
        layers::protocol("DCCP").unwrap().full_name,
        number("DCCP")
    );
    let dccp = socket(Type::STREAM, number("DCCP"));
    assert_eq!(dccp.err(), Some(Errno::EPROTONOSUPPORT));
    // 流套接字配 UDP，同样被拒绝：类型和协议必须相配
    let udp = socket(Type::STREAM, number("UDP"));
    assert_eq!(udp.err(), Some(Errno::EPROTONOSUPPORT));

    // DCCP 有自己的套接字类型 SOCK_DCCP；Linux 6.16 起内核里没有 DCCP 了
    let release = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap();
    let mut parts = release.split(|c: char| !c.is_ascii_digit());
    let mut next = || parts.next().unwrap().parse::<u32>().unwrap();
    let version = (next(), next());
    let own_type = socket(Type::DCCP, number("DCCP"));
    println!(
        "SOCK_DCCP on Linux {}: {:?}",
        release.trim(),
        own_type.as_ref().err()
    );
    if version >= (6, 16) {
        assert_eq!(own_type.err(), Some(Errno::ESOCKTNOSUPPORT));
    }

    // SCTP 的流套接字要看内核有没有 SCTP 模块：只打印，不断言
    let sctp = socket(Type::STREAM, number("SCTP"));
    println!("SOCK_STREAM with SCTP: {:?}", sctp.as_ref().err());
}
// ANCHOR_END: all
