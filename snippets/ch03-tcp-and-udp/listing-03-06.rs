// ANCHOR: all
use std::net::UdpSocket;

use nix::errno::Errno;
use sockbook::datagram::{self, MAX_PAYLOAD_V4, MAX_PAYLOAD_V6};
use sockbook::netns::{self, Unavailable};

/// 从 tx 发一个 size 字节的数据报给 rx，返回 rx 收到的字节数，或 sendto() 的错误码
fn try_size(tx: &UdpSocket, rx: &UdpSocket, size: usize) -> Result<usize, Errno> {
    let data = vec![0x5a; size];
    match tx.send_to(&data, rx.local_addr().unwrap()) {
        Ok(sent) => {
            assert_eq!(sent, size);
            let mut buf = vec![0u8; 70_000];
            let n = rx.recv(&mut buf).unwrap();
            assert_eq!(buf[..n], data[..]);
            Ok(n)
        }
        Err(err) => Err(Errno::from_raw(err.raw_os_error().unwrap())),
    }
}

fn main() {
    // IPv4：65535 − 20（IP 首部）− 8（UDP 首部）= 65507
    assert_eq!(MAX_PAYLOAD_V4, 65535 - 20 - 8);
    let (tx, rx) = (datagram::bind().unwrap(), datagram::bind().unwrap());
    assert_eq!(try_size(&tx, &rx, MAX_PAYLOAD_V4), Ok(65507));
    assert_eq!(try_size(&tx, &rx, MAX_PAYLOAD_V4 + 1), Err(Errno::EMSGSIZE));
    // 大一个字节的那个根本没有发出去：接收方什么也没收到
    assert!(datagram::drain(&rx, &mut [0; 16]).unwrap().is_empty());
    println!("IPv4: {MAX_PAYLOAD_V4} bytes go through, one more is EMSGSIZE");

    // IPv6：长度字段不算 40 字节的 IPv6 首部，所以是 65535 − 8 = 65527
    assert_eq!(MAX_PAYLOAD_V6, 65535 - 8);
    match (datagram::bind_v6(), datagram::bind_v6()) {
        (Ok(tx), Ok(rx)) => {
            assert_eq!(try_size(&tx, &rx, MAX_PAYLOAD_V6), Ok(65527));
            assert_eq!(try_size(&tx, &rx, MAX_PAYLOAD_V6 + 1), Err(Errno::EMSGSIZE));
            println!("IPv6: {MAX_PAYLOAD_V6} bytes go through, one more is EMSGSIZE");
        }
        (Err(err), _) | (_, Err(err)) => netns::skip(
            "UDP over ::1",
            &Unavailable(format!("no IPv6 loopback: {err}")),
        ),
    }
}
// ANCHOR_END: all
