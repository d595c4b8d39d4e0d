// ANCHOR: all
//! 练习 5-2：不知道一条消息有多长，也把它完整地收下来。
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};

use nix::sys::socket::{recv, MsgFlags};

/// 从数据报或顺序包套接字 `fd` 收下一条完整的消息，不管它有多长。
/// 先用 `MSG_PEEK | MSG_TRUNC` 问出它的真实长度（`MSG_PEEK` 让消息留在队列里，
/// `MSG_TRUNC` 让 recv(2) 返回真实长度，示例 5-1），再用刚好那么大的缓冲区把它收下来。
/// 空消息得到空的 `Vec`。（不要用在字节流上：在 TCP 上 `MSG_TRUNC` 的意思是丢掉数据。）
pub fn recv_whole(fd: BorrowedFd<'_>) -> io::Result<Vec<u8>> {
    // ANCHOR: solution
    let length = recv(
        fd.as_raw_fd(),
        &mut [],
        MsgFlags::MSG_PEEK | MsgFlags::MSG_TRUNC,
    )?;
    let mut message = vec![0; length];
    let n = recv(fd.as_raw_fd(), &mut message, MsgFlags::empty())?;
    message.truncate(n);
    Ok(message)
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::os::fd::{AsFd, AsRawFd};

    use nix::sys::socket::{send, socketpair, AddressFamily, MsgFlags, SockFlag, SockType};
    use sockbook::{datagram, timeout};

    use super::recv_whole;

    /// UDP：1 字节、1000 字节、最大的 65507 字节、空数据报，一个一个完整地收下。
    #[test]
    fn receives_udp_datagrams_of_any_size() {
        let (rx, tx) = (datagram::bind().unwrap(), datagram::bind().unwrap());
        let sizes = [1, 1000, datagram::MAX_PAYLOAD_V4, 0];
        for size in sizes {
            let message: Vec<u8> = (0..size).map(|i| (i % 253) as u8).collect();
            tx.send_to(&message, rx.local_addr().unwrap()).unwrap();
        }
        for size in sizes {
            let message = recv_whole(rx.as_fd()).unwrap();
            assert_eq!(message.len(), size);
            assert!(message
                .iter()
                .enumerate()
                .all(|(i, b)| *b == (i % 253) as u8));
        }
    }

    /// Unix 域的数据报和顺序包：消息的边界由内核保留，每条都完整地收下。
    #[test]
    fn keeps_unix_messages_whole() {
        for kind in [SockType::Datagram, SockType::SeqPacket] {
            let (a, b) = socketpair(AddressFamily::Unix, kind, None, SockFlag::empty()).unwrap();
            timeout::bound(&b).unwrap();
            let big = vec![9u8; 50_000];
            let sent: [&[u8]; 3] = [b"hello", &big, b"world"];
            for message in sent {
                send(a.as_raw_fd(), message, MsgFlags::empty()).unwrap();
            }
            for message in sent {
                assert!(recv_whole(b.as_fd()).unwrap() == message, "{kind:?}");
            }
        }
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
