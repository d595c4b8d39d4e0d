// ANCHOR: all
use std::io::{self, Read};
use std::net::{Ipv6Addr, SocketAddr};
use std::os::fd::AsRawFd;

use sockbook::{layers, netns, timeout};
use socket2::{Domain, Protocol, Socket, Type};

const ID: u16 = 0x1610;
const DATA: &[u8] = b"over IPv6";

/// ICMPv6 的校验和覆盖一个“伪首部”：源地址、目的地址、长度、下一个首部（58）
fn checksum_v6(source: Ipv6Addr, destination: Ipv6Addr, message: &[u8]) -> u16 {
    let mut pseudo = Vec::new();
    pseudo.extend(source.octets());
    pseudo.extend(destination.octets());
    pseudo.extend((message.len() as u32).to_be_bytes());
    pseudo.extend([0, 0, 0, 58]);
    pseudo.extend(message);
    layers::internet_checksum(&pseudo)
}

fn main() {
    let outcome = netns::isolated(|| {
        let raw = Socket::new(Domain::IPV6, Type::RAW, Some(Protocol::ICMPV6)).unwrap();
        timeout::bound(&raw).unwrap();
        // ICMPv6 的校验和由内核计算，位置在报文的第 2 字节
        let mut offset: libc::c_int = 0;
        let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: 选项值是一个 int，长度如实给出
        let status = unsafe {
            libc::getsockopt(
                raw.as_raw_fd(),
                libc::IPPROTO_IPV6,
                libc::IPV6_CHECKSUM,
                (&mut offset as *mut libc::c_int).cast(),
                &mut len,
            )
        };
        assert_eq!((status, offset), (0, 2));
        // IPPROTO_IPV6 层的 IPV6_CHECKSUM 不许改（RFC 3542）
        let offset: libc::c_int = -1;
        // SAFETY: 选项值是一个 int，长度如实给出
        let status = unsafe {
            libc::setsockopt(
                raw.as_raw_fd(),
                libc::IPPROTO_IPV6,
                libc::IPV6_CHECKSUM,
                (&offset as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        };
        assert_eq!(status, -1);
        assert_eq!(
            io::Error::last_os_error().raw_os_error(),
            Some(libc::EINVAL)
        );

        // 回显请求（ICMPv6 类型 128），校验和一栏留 0
        let mut request = vec![128, 0, 0, 0];
        request.extend(ID.to_be_bytes());
        request.extend(1u16.to_be_bytes());
        request.extend(DATA);
        let to = SocketAddr::from((Ipv6Addr::LOCALHOST, 0));
        raw.send_to(&request, &to.into()).unwrap();

        // 先读到自己的请求，再读到应答；读到的都从 ICMPv6 首部开始，没有 IPv6 首部
        let mut seen = Vec::new();
        for _ in 0..2 {
            let mut buf = [0u8; 1500];
            let n = (&raw).read(&mut buf).unwrap();
            seen.push(buf[..n].to_vec());
        }
        for (message, kind) in seen.iter().zip([128, 129]) {
            println!(
                "{} bytes, first byte {} (an IPv6 header would start with 0x6_)",
                message.len(),
                message[0]
            );
            assert_eq!(message.len(), request.len()); // 没有 40 字节的 IPv6 首部
            assert_eq!(message[0], kind); // 128 请求，129 应答
            assert_eq!(message[4..], request[4..]); // 标识、序号、数据
                                                    // 请求里留空的校验和，内核已经算好填上
            let localhost = Ipv6Addr::LOCALHOST;
            assert_eq!(checksum_v6(localhost, localhost, message), 0);
        }
    });
    if let Err(why) = outcome {
        netns::skip("a raw ICMPv6 socket in a private namespace", &why);
    }
}
// ANCHOR_END: all
