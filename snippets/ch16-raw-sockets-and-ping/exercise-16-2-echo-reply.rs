// ANCHOR: all
//! 练习 16-2：像内核那样回答一个回显请求。
use sockbook::icmp;
use sockbook::layers::internet_checksum;

/// `request` 是一个 ICMP 报文（不带 IP 首部）。如果它是一个完好的回显请求
/// （至少 8 个字节，类型 8，代码 0，校验和正确），返回主机回给它的回显应答：
/// 类型改成 0，标识、序号、数据原样带回，校验和重新计算；否则返回 `None`。
/// 校验和可以用练习 16-1 的 `checksum`，也可以用支持库的
/// `sockbook::layers::internet_checksum`。
pub fn echo_reply(request: &[u8]) -> Option<Vec<u8>> {
    // ANCHOR: solution
    let echo = icmp::Echo::parse(request)?;
    if (echo.kind, echo.code) != (icmp::ECHO_REQUEST, 0) || !icmp::checksum_ok(request) {
        return None;
    }
    let mut reply = request.to_vec();
    reply[0] = icmp::ECHO_REPLY;
    reply[2..4].fill(0);
    let sum = internet_checksum(&reply);
    reply[2..4].copy_from_slice(&sum.to_be_bytes());
    Some(reply)
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::net::{Ipv4Addr, SocketAddr};

    use sockbook::icmp::{self, Echo};
    use sockbook::netns;

    const DATA: &[u8] = b"same bytes as the kernel";

    /// 应答：类型 0，代码 0，标识、序号、数据不变，校验和正确。
    #[test]
    fn answers_a_request() {
        let reply = super::echo_reply(&icmp::echo_request(0x1234, 9, b"abc")).unwrap();
        let echo = Echo::parse(&reply).unwrap();
        assert_eq!((echo.kind, echo.code), (icmp::ECHO_REPLY, 0));
        assert_eq!((echo.identifier, echo.sequence), (0x1234, 9));
        assert_eq!(echo.payload, b"abc");
        assert!(icmp::checksum_ok(&reply));
    }

    /// 校验和错了、太短、不是请求、代码不是 0：都不回答。
    #[test]
    fn ignores_what_is_not_a_good_request() {
        let request = icmp::echo_request(0x1234, 9, b"abc");
        let mut corrupted = request.clone();
        corrupted[9] ^= 1;
        assert_eq!(super::echo_reply(&corrupted), None);
        assert_eq!(super::echo_reply(&request[..7]), None);
        let reply = super::echo_reply(&request).unwrap();
        assert_eq!(super::echo_reply(&reply), None);
        // 代码改成 1，校验和随之改正（第 1 个字节是一个 16 位数的低位）
        let mut coded = request.clone();
        coded[1] = 1;
        let sum = u16::from_be_bytes([coded[2], coded[3]]).wrapping_sub(1);
        coded[2..4].copy_from_slice(&sum.to_be_bytes());
        assert!(icmp::checksum_ok(&coded));
        assert_eq!(super::echo_reply(&coded), None);
    }

    /// 和内核比一比：先算好对标识 0x4242、序号 7 的请求应答什么；然后在私有
    /// 网络命名空间里，用绑定“端口”0x4242 的 ping 套接字（示例 16-9）真的
    /// ping 一次，内核的应答要和我们算的逐字节相同。没有 root 权限时跳过。
    #[test]
    fn the_kernel_answers_the_same_bytes() {
        const IDENT: u16 = 0x4242;
        let expected = super::echo_reply(&icmp::echo_request(IDENT, 7, DATA)).unwrap();
        let outcome = netns::isolated(move || {
            // SAFETY: getegid 不会失败
            let gid = unsafe { libc::getegid() };
            icmp::set_ping_group_range(gid, gid).unwrap();
            let ping = icmp::ping_socket().unwrap();
            let local = SocketAddr::from((Ipv4Addr::LOCALHOST, IDENT));
            ping.bind(&local.into()).unwrap();
            // 标识由内核换成套接字的“端口”，校验和也由内核重算
            let to = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
            ping.send_to(&icmp::echo_request(0, 7, DATA), &to.into())
                .unwrap();
            let mut buf = [0u8; 1500];
            let n = std::io::Read::read(&mut &ping, &mut buf).unwrap();
            buf[..n].to_vec()
        });
        match outcome {
            Ok(reply) => assert_eq!(reply, expected),
            Err(why) => netns::skip("a ping socket in a private network namespace", &why),
        }
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
