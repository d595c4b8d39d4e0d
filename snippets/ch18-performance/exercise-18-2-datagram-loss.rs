// ANCHOR: all
//! 练习 18-2：数据报的“丢失率”，由内核自己的计数器来数。
use std::io;
use std::net::UdpSocket;

use sockbook::datagram;

/// 一次发送的结果：发了几个，收到几个，内核为接收方丢了几个。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loss {
    pub sent: usize,
    pub delivered: usize,
    pub dropped: u32,
}

/// 向 `receiver` 连发 `count` 个 `size` 字节的数据报，发的时候谁也不读；
/// 然后把 `receiver` 的队列读空，再问内核它为这个套接字丢了几个。
pub fn send_and_count(
    sender: &UdpSocket,
    receiver: &UdpSocket,
    count: usize,
    size: usize,
) -> io::Result<Loss> {
    // ANCHOR: solution
    let to = receiver.local_addr()?;
    let before = datagram::drops(receiver)?;
    let payload = vec![0u8; size];
    for _ in 0..count {
        sender.send_to(&payload, to)?;
    }
    let mut buf = vec![0u8; size.max(1)];
    let delivered = datagram::drain(receiver, &mut buf)?.len();
    Ok(Loss {
        sent: count,
        delivered,
        dropped: datagram::drops(receiver)? - before,
    })
    // ANCHOR_END: solution
}

impl Loss {
    /// 丢掉的占发出的比例，在 0 和 1 之间；什么都没发时为 0。
    pub fn share_lost(&self) -> f64 {
        // ANCHOR: solution
        if self.sent == 0 {
            0.0
        } else {
            f64::from(self.dropped) / self.sent as f64
        }
        // ANCHOR_END: solution
    }
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::{send_and_count, Loss};
    use sockbook::datagram;
    use socket2::SockRef;

    /// 接收缓冲区很小：64 个 1000 字节的数据报放不下，收到的加上丢掉的，
    /// 正好是发出的，一个不多一个不少。
    #[test]
    fn every_datagram_is_delivered_or_counted_as_dropped() {
        let (sender, receiver) = (datagram::bind().unwrap(), datagram::bind().unwrap());
        SockRef::from(&receiver).set_recv_buffer_size(4096).unwrap();
        let loss = send_and_count(&sender, &receiver, 64, 1000).unwrap();
        println!("{loss:?}");
        assert_eq!(loss.sent, 64);
        assert!(loss.dropped > 0, "{loss:?}");
        assert_eq!(loss.delivered + loss.dropped as usize, 64);
        assert!(loss.share_lost() > 0.0 && loss.share_lost() < 1.0);
    }

    /// 缓冲区够大：10 个全部收到，内核一个也没丢。
    #[test]
    fn nothing_is_lost_when_the_buffer_holds_everything() {
        let (sender, receiver) = (datagram::bind().unwrap(), datagram::bind().unwrap());
        let loss = send_and_count(&sender, &receiver, 10, 100).unwrap();
        assert_eq!(
            loss,
            Loss {
                sent: 10,
                delivered: 10,
                dropped: 0
            }
        );
        assert_eq!(loss.share_lost(), 0.0);
        let none = Loss {
            sent: 0,
            delivered: 0,
            dropped: 0,
        };
        assert_eq!(none.share_lost(), 0.0);
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
