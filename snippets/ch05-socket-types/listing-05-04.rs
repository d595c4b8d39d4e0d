// ANCHOR: all
use std::fs;
use std::io::Read;
use std::net::{Ipv4Addr, SocketAddr};

use sockbook::{netns, timeout};
use socket2::{Domain, Protocol, Socket, Type};

const RANGE: &str = "/proc/sys/net/ipv4/ping_group_range";
const ECHO_REQUEST: u8 = 8;
const ECHO_REPLY: u8 = 0;

/// 本进程的有效组和附加组里，有没有落在 ping_group_range 之内的
fn may_ping() -> bool {
    let text = fs::read_to_string(RANGE).unwrap();
    let bounds: Vec<u32> = text
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    // SAFETY: 先问个数，再按个数取出附加组
    let mut groups = vec![0; unsafe { libc::getgroups(0, std::ptr::null_mut()) } as usize];
    unsafe { libc::getgroups(groups.len() as i32, groups.as_mut_ptr()) };
    groups.push(unsafe { libc::getegid() });
    groups.iter().any(|g| bounds[0] <= *g && *g <= bounds[1])
}

/// 互联网校验和用的 16 位反码求和（RFC 1071）
fn ones_complement_sum(bytes: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    for pair in bytes.chunks(2) {
        let word = u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
        sum += u32::from(word);
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

fn ping_socket() -> std::io::Result<Socket> {
    Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::ICMPV4))
}

fn main() {
    // 宿主机上：SOCK_DGRAM + ICMP 能否创建，由 ping_group_range 决定
    let allowed = may_ping();
    println!(
        "{RANGE} = {:?}, may ping: {allowed}",
        fs::read_to_string(RANGE).unwrap().trim()
    );
    match ping_socket() {
        Ok(_) => assert!(allowed),
        Err(err) => {
            assert!(!allowed);
            assert_eq!(err.raw_os_error(), Some(libc::EACCES));
        }
    }

    // 私有网络命名空间里：放开 ping_group_range，真正 ping 一次 127.0.0.1
    let outcome = netns::isolated(|| {
        // 新命名空间里的默认值是空范围 1 0：谁都不许
        assert_eq!(
            fs::read_to_string(RANGE)
                .unwrap()
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["1", "0"]
        );
        assert_eq!(
            ping_socket().unwrap_err().raw_os_error(),
            Some(libc::EACCES)
        );
        // 这个文件属于当前线程所在的命名空间，改它不影响宿主机
        let gid = unsafe { libc::getegid() };
        fs::write(RANGE, format!("{gid} {gid}")).unwrap();

        // 一个原始 ICMP 套接字在旁边看着
        let raw = Socket::new(Domain::IPV4, Type::RAW, Some(Protocol::ICMPV4)).unwrap();
        timeout::bound(&raw).unwrap();
        // 数据报类型、ICMP 协议：不是 UDP
        let ping = ping_socket().unwrap();
        timeout::bound(&ping).unwrap();
        assert_eq!(ping.r#type().unwrap(), Type::DGRAM);
        assert_eq!(ping.protocol().unwrap(), Some(Protocol::ICMPV4));

        // ICMP 回显请求：类型 8，代码 0；校验和与标识由内核填写
        let mut request = vec![ECHO_REQUEST, 0, 0, 0, 0, 0, 0, 1];
        request.extend_from_slice(b"ping over SOCK_DGRAM");
        let to = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        ping.send_to(&request, &to.into()).unwrap();

        // ping 套接字的“端口”就是内核替它选的 ICMP 标识
        let ident = ping.local_addr().unwrap().as_socket().unwrap().port();
        let mut reply = [0u8; 128];
        let n = (&ping).read(&mut reply).unwrap();
        let mut seen_raw = Vec::new();
        for _ in 0..2 {
            let mut packet = [0u8; 128];
            let n = (&raw).read(&mut packet).unwrap();
            seen_raw.push(packet[..n].to_vec());
        }
        (reply[..n].to_vec(), ident, seen_raw)
    });
    let (reply, ident, seen_raw) = match outcome {
        Ok(seen) => seen,
        Err(why) => return netns::skip("ping and raw ICMP sockets", &why),
    };

    // 数据报套接字收到的是 ICMP 回显应答本身，不带 IP 头
    println!("SOCK_DGRAM got {} bytes, type {}", reply.len(), reply[0]);
    assert_eq!(reply[0], ECHO_REPLY);
    assert_eq!(&reply[8..], b"ping over SOCK_DGRAM");
    // 标识（第 4、5 字节）是内核填的
    assert_eq!(u16::from_be_bytes([reply[4], reply[5]]), ident);
    // 原始套接字看到了请求和应答两个包，每个都从 IPv4 头开始，协议号 1
    for (packet, icmp_type) in seen_raw.iter().zip([ECHO_REQUEST, ECHO_REPLY]) {
        let header_len = usize::from(packet[0] & 0x0f) * 4;
        println!(
            "SOCK_RAW got {} bytes: IP header {header_len} bytes, ICMP type {}",
            packet.len(),
            packet[header_len]
        );
        assert_eq!(packet[0] >> 4, 4);
        assert_eq!(packet[9], 1);
        assert_eq!(packet[header_len], icmp_type);
        assert_eq!(&packet[header_len + 8..], b"ping over SOCK_DGRAM");
        // 校验和也是内核算的：整个 ICMP 报文按 16 位反码求和，结果全 1
        assert_eq!(ones_complement_sum(&packet[header_len..]), 0xffff);
    }
}
// ANCHOR_END: all
