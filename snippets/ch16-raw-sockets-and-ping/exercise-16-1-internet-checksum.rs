// ANCHOR: all
//! 练习 16-1：因特网校验和（RFC 1071）。
/// 计算 `bytes` 的因特网校验和：把它看成一串 16 位的大端序数，个数为奇数时
/// 最后一个字节后面补一个 0；把这些数相加，加法溢出 16 位的进位再加回低
/// 16 位（反码加法），直到不再溢出；最后按位取反。
pub fn checksum(bytes: &[u8]) -> u16 {
    // ANCHOR: solution
    let mut sum: u32 = 0;
    for pair in bytes.chunks(2) {
        let low = pair.get(1).copied().unwrap_or(0);
        sum += u32::from(u16::from_be_bytes([pair[0], low]));
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::checksum;
    use sockbook::icmp;

    /// RFC 1071 第 3 节的例子：和是 0xddf2，校验和是它的反码 0x220d。
    #[test]
    fn the_example_of_rfc_1071() {
        let bytes = [0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7];
        assert_eq!(checksum(&bytes), !0xddf2);
        assert_eq!(checksum(&bytes), 0x220d);
    }

    /// 奇数个字节补 0；进位要加回去，加回去还进位就再加。
    #[test]
    fn odd_lengths_and_carries() {
        assert_eq!(checksum(&[]), 0xffff);
        assert_eq!(checksum(&[0x01]), !0x0100);
        assert_eq!(checksum(&[0xff, 0xff, 0x00, 0x01]), !0x0001);
        assert_eq!(checksum(&[0xff; 1000]), 0x0000);
    }

    /// 亲手拼一个回显请求（示例 16-2 的表格）：校验和字段先填 0，算好再
    /// 填进去。结果和支持库拼的一模一样；连同校验和再算一遍，得 0。
    #[test]
    fn an_echo_request_by_hand() {
        let mut request = vec![icmp::ECHO_REQUEST, 0, 0, 0, 0x16, 0x02, 0x00, 0x01];
        request.extend(b"checksum by hand");
        let sum = checksum(&request);
        request[2..4].copy_from_slice(&sum.to_be_bytes());
        assert_eq!(request, icmp::echo_request(0x1602, 1, b"checksum by hand"));
        assert_eq!(checksum(&request), 0);
        assert!(icmp::checksum_ok(&request));
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
