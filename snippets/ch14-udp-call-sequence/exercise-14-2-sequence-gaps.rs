// ANCHOR: all
//! 练习 14-2：给数据报编上序号，找出丢了哪些。
use std::io;
use std::net::UdpSocket;

/// 发送方给每个数据报编号：前 4 个字节是序号（`u32`，大端序），从 0 编到
/// `last`。从 `socket` 接收数据报，直到收到序号为 `last` 的那个，然后返回
/// `0..last` 里没有收到的序号，从小到大。次序打乱的照样算收到，重复的只算
/// 一次；不到 4 个字节的数据报，以及序号大于 `last` 的，都不算。
pub fn missing(socket: &UdpSocket, last: u32) -> io::Result<Vec<u32>> {
    // ANCHOR: solution
    let mut received = vec![false; last as usize];
    let mut buf = [0; 1500];
    loop {
        let n = socket.recv(&mut buf)?;
        let Some(number) = buf[..n].first_chunk().map(|b| u32::from_be_bytes(*b)) else {
            continue;
        };
        if number == last {
            break;
        }
        if let Some(seen) = received.get_mut(number as usize) {
            *seen = true;
        }
    }
    Ok((0..last).filter(|&n| !received[n as usize]).collect())
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::io;
    use std::thread;

    use sockbook::{datagram, stream, timeout};
    use socket2::SockRef;

    /// 一个 200 字节的数据报，前 4 个字节是序号。
    fn numbered(number: u32) -> Vec<u8> {
        let mut datagram = number.to_be_bytes().to_vec();
        datagram.resize(200, b'.');
        datagram
    }

    /// 3 和 5 没有发，2 发了两次，4 跑到 2 前面，还夹着一个太短的和一个
    /// 序号太大的数据报：缺的正是 3 和 5。
    #[test]
    fn finds_the_gaps() {
        let rx = datagram::bind().unwrap();
        let tx = datagram::bind().unwrap();
        let to = rx.local_addr().unwrap();
        tx.send_to(b"ab", to).unwrap();
        for number in [0, 1, 4, 2, 2, 99, 6, 7] {
            tx.send_to(&numbered(number), to).unwrap();
        }
        assert_eq!(super::missing(&rx, 7).unwrap(), [3, 5]);
    }

    /// 真的丢：接收缓冲区很小，64 个数据报发出时没有人读，内核丢掉一部分
    /// （示例 3-7）。等接收方读空了队列，再发最后一个（序号 64）。
    /// 函数找出的缺号，正是内核丢掉的那些，加上迟到、排在 64 后面的。
    #[test]
    fn finds_what_the_kernel_dropped() {
        let rx = datagram::bind().unwrap();
        let tx = datagram::bind().unwrap();
        let to = rx.local_addr().unwrap();
        SockRef::from(&rx).set_recv_buffer_size(4096).unwrap();
        for number in 0..64 {
            tx.send_to(&numbered(number), to).unwrap();
        }
        let watch = rx.try_clone().unwrap();
        let last = thread::spawn(move || -> io::Result<usize> {
            timeout::poll_until(|| stream::unread(&watch), |&n| n == 0, |n| format!("{n}"))?;
            tx.send_to(&numbered(64), to)
        });
        let missing = super::missing(&rx, 64).unwrap();
        last.join().unwrap().unwrap();
        let dropped = datagram::drops(&rx).unwrap() as usize;
        let late = datagram::drain(&rx, &mut [0; 200]).unwrap().len();
        println!("missing {missing:?}: dropped {dropped}, late {late}");
        assert!(dropped > 0, "the kernel dropped nothing");
        assert_eq!(missing.len(), dropped + late);
        assert!(missing.iter().all(|&n| n < 64));
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
