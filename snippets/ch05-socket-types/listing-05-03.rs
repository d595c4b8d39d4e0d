// ANCHOR: all
use std::fs;

use nix::errno::Errno;
use sockbook::privilege;
use socket2::{Domain, Protocol, Socket, Type};

/// 一次 socket(2) 调用的结果：成功时记下内核读回的类型（SO_TYPE）和协议号（SO_PROTOCOL）
#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    Created(Type, i32),
    Failed(Errno),
}
use Outcome::{Created, Failed};

fn attempt(domain: Domain, kind: Type, protocol: i32) -> Outcome {
    let protocol = (protocol != 0).then(|| Protocol::from(protocol));
    match Socket::new(domain, kind, protocol) {
        Ok(socket) => Created(
            socket.r#type().unwrap(),
            socket.protocol().unwrap().map_or(0, i32::from),
        ),
        Err(err) => Failed(Errno::from_raw(err.raw_os_error().unwrap())),
    }
}

fn cell(outcome: Outcome, asked: Type) -> String {
    match outcome {
        // 成功：写出内核选定的协议号；类型被内核改掉时加 *
        Created(kind, protocol) if kind == asked => format!("ok {protocol}"),
        Created(_, protocol) => format!("ok {protocol}*"),
        Failed(errno) => format!("{errno:?}"),
    }
}

fn main() {
    let families = [
        ("AF_INET", Domain::IPV4),
        ("AF_INET6", Domain::IPV6),
        ("AF_UNIX", Domain::UNIX),
    ];
    let types = [
        ("SOCK_STREAM", Type::STREAM),
        ("SOCK_DGRAM", Type::DGRAM),
        ("SOCK_SEQPACKET", Type::SEQPACKET),
        ("SOCK_RAW", Type::RAW),
        ("SOCK_DCCP", Type::DCCP),
    ];
    // 协议参数：0 表示“让内核挑”，其余是明确的协议号
    let protocols = [
        ("0", 0),
        ("TCP", libc::IPPROTO_TCP),
        ("UDP", libc::IPPROTO_UDP),
        ("ICMP", libc::IPPROTO_ICMP),
        ("SCTP", libc::IPPROTO_SCTP),
        ("DCCP", libc::IPPROTO_DCCP),
        ("MPTCP", libc::IPPROTO_MPTCP),
    ];

    // 逐一尝试，打印一张表
    print!("{:<9}{:<15}", "", "");
    for (name, _) in protocols {
        print!("{name:<17}");
    }
    println!();
    let mut table = Vec::new();
    for (family_name, family) in families {
        for (type_name, kind) in types {
            print!("{family_name:<9}{type_name:<15}");
            for (protocol_name, mut protocol) in protocols {
                // IPv6 的 ICMP 是另一个协议：ICMPv6，58 号
                if family == Domain::IPV6 && protocol_name == "ICMP" {
                    protocol = libc::IPPROTO_ICMPV6;
                }
                let outcome = attempt(family, kind, protocol);
                print!("{:<17}", cell(outcome, kind));
                table.push(((family_name, type_name, protocol_name), outcome));
            }
            println!();
        }
    }
    let at = |family: &str, kind: &str, protocol: &str| {
        table
            .iter()
            .find(|(key, _)| *key == (family, kind, protocol))
            .unwrap()
            .1
    };

    // ---- 确定无疑的几行 ----
    let (stream, dgram) = (Type::STREAM, Type::DGRAM);
    for inet in ["AF_INET", "AF_INET6"] {
        // 字节流默认是 TCP，数据报默认是 UDP
        assert_eq!(at(inet, "SOCK_STREAM", "0"), Created(stream, 6));
        assert_eq!(at(inet, "SOCK_DGRAM", "0"), Created(dgram, 17));
        // 类型和协议不配：EPROTONOSUPPORT
        assert_eq!(
            at(inet, "SOCK_STREAM", "UDP"),
            Failed(Errno::EPROTONOSUPPORT)
        );
        assert_eq!(
            at(inet, "SOCK_DGRAM", "TCP"),
            Failed(Errno::EPROTONOSUPPORT)
        );
        // 原始套接字必须说出协议号，0 不行
        assert_eq!(at(inet, "SOCK_RAW", "0"), Failed(Errno::EPROTONOSUPPORT));
    }
    for (name, kind) in &types[..3] {
        // Unix 域三种类型都有，协议只能是 0
        assert_eq!(at("AF_UNIX", name, "0"), Created(*kind, 0));
        assert_eq!(at("AF_UNIX", name, "TCP"), Failed(Errno::EPROTONOSUPPORT));
        // 唯一的例外是 1：它恰好等于 PF_UNIX，内核照收，读回来仍是 0
        assert_eq!(libc::IPPROTO_ICMP, libc::PF_UNIX);
        assert_eq!(at("AF_UNIX", name, "ICMP"), Created(*kind, 0));
    }
    // Unix 域的 SOCK_RAW 被内核当成 SOCK_DGRAM
    assert_eq!(at("AF_UNIX", "SOCK_RAW", "0"), Created(dgram, 0));
    assert_eq!(
        at("AF_UNIX", "SOCK_DCCP", "0"),
        Failed(Errno::ESOCKTNOSUPPORT)
    );

    // ---- 取决于权限的几行：有 CAP_NET_RAW 才能开原始套接字 ----
    let raw_allowed = privilege::has(privilege::CAP_NET_RAW).unwrap();
    println!("CAP_NET_RAW: {raw_allowed}");
    for inet in ["AF_INET", "AF_INET6"] {
        for protocol in ["TCP", "UDP", "ICMP"] {
            match at(inet, "SOCK_RAW", protocol) {
                Created(kind, _) => assert!(raw_allowed && kind == Type::RAW),
                Failed(errno) => assert!(!raw_allowed && errno == Errno::EPERM),
            }
        }
    }

    // ---- 取决于内核配置的几行 ----
    // 有 SCTP 时，SEQPACKET 默认就是 SCTP；没有时，内核不认识这种类型
    let sctp = at("AF_INET", "SOCK_STREAM", "SCTP");
    println!("SCTP: {sctp:?}");
    for inet in ["AF_INET", "AF_INET6"] {
        match sctp {
            Created(..) => assert!(matches!(at(inet, "SOCK_SEQPACKET", "0"), Created(_, 132))),
            Failed(errno) => {
                assert_eq!(errno, Errno::EPROTONOSUPPORT);
                assert_eq!(
                    at(inet, "SOCK_SEQPACKET", "0"),
                    Failed(Errno::ESOCKTNOSUPPORT)
                );
            }
        }
    }
    // MPTCP：由 net.mptcp.enabled 决定
    let mptcp = fs::read_to_string("/proc/sys/net/mptcp/enabled");
    let expected = match mptcp.as_deref().map(str::trim) {
        Ok("1") => Created(stream, libc::IPPROTO_MPTCP),
        Ok(_) => Failed(Errno::ENOPROTOOPT),
        Err(_) => Failed(Errno::EPROTONOSUPPORT),
    };
    assert_eq!(at("AF_INET", "SOCK_STREAM", "MPTCP"), expected);
}
// ANCHOR_END: all
