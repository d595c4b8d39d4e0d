// ANCHOR: all
//! 练习 3-2：给 UDP 数据报编上序号，发现丢失和乱序。
//!
//! 数据报的格式：前 4 个字节是序号（`u32`，大端，从 0 起），后面是消息，消息不能为空。
//! 所有消息发完之后，再发一个恰好 4 个字节的“结束”数据报，内容是消息的条数。
use std::io;
use std::net::{SocketAddr, UdpSocket};

/// 接收方看到的情况。
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// 收到的序号和消息，按到达的先后。
    pub arrived: Vec<(u32, Vec<u8>)>,
    /// 没有收到的序号，从小到大。
    pub lost: Vec<u32>,
    /// 迟到的序号：它到达之前，已经有比它大的序号到了。按到达的先后。
    pub late: Vec<u32>,
}

/// 从 `socket` 把 `messages` 依次发给 `to`，第 i 条带上序号 i；最后发“结束”数据报。
pub fn send_numbered(socket: &UdpSocket, to: SocketAddr, messages: &[&[u8]]) -> io::Result<()> {
    // ANCHOR: solution
    for (number, message) in (0u32..).zip(messages) {
        let mut datagram = number.to_be_bytes().to_vec();
        datagram.extend_from_slice(message);
        socket.send_to(&datagram, to)?;
    }
    socket.send_to(&(messages.len() as u32).to_be_bytes(), to)?;
    Ok(())
    // ANCHOR_END: solution
}

/// 从 `socket` 接收，直到收到“结束”数据报，然后报告收到了什么、丢了什么、
/// 什么迟到了。短于 4 个字节的数据报不合格式：返回 `io::ErrorKind::InvalidData` 错误。
pub fn receive_numbered(socket: &UdpSocket) -> io::Result<Report> {
    // ANCHOR: solution
    let mut report = Report::default();
    let mut highest = None;
    let mut buf = vec![0; 65536];
    loop {
        let n = socket.recv(&mut buf)?;
        if n < 4 {
            let why = "a datagram without a number";
            return Err(io::Error::new(io::ErrorKind::InvalidData, why));
        }
        let number = u32::from_be_bytes([buf[0], buf[1], buf[2], buf[3]]);
        if n == 4 {
            report.lost = (0..number)
                .filter(|wanted| report.arrived.iter().all(|(seen, _)| seen != wanted))
                .collect();
            return Ok(report);
        }
        if highest.is_some_and(|highest| highest > number) {
            report.late.push(number);
        }
        highest = highest.max(Some(number));
        report.arrived.push((number, buf[4..n].to_vec()));
    }
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::io;

    use sockbook::datagram;

    use super::{receive_numbered, send_numbered, Report};

    /// 本机回环上的三条消息：全部按顺序收到，没有丢失，没有迟到。
    #[test]
    fn an_exchange_without_trouble() {
        let (rx, tx) = (datagram::bind().unwrap(), datagram::bind().unwrap());
        send_numbered(
            &tx,
            rx.local_addr().unwrap(),
            &[b"alpha", b"beta", b"gamma"],
        )
        .unwrap();
        let report = receive_numbered(&rx).unwrap();
        let expected = Report {
            arrived: vec![
                (0, b"alpha".to_vec()),
                (1, b"beta".to_vec()),
                (2, b"gamma".to_vec()),
            ],
            lost: vec![],
            late: vec![],
        };
        assert_eq!(report, expected);
    }

    /// 发送方写出的数据报：序号在前，消息在后，最后是条数。
    #[test]
    fn the_sender_numbers_its_datagrams() {
        let (rx, tx) = (datagram::bind().unwrap(), datagram::bind().unwrap());
        send_numbered(&tx, rx.local_addr().unwrap(), &[b"x", b"yz"]).unwrap();
        let mut buf = [0; 16];
        let expected: [&[u8]; 3] = [
            &[0, 0, 0, 0, b'x'],
            &[0, 0, 0, 1, b'y', b'z'],
            &[0, 0, 0, 2],
        ];
        for datagram in expected {
            let n = rx.recv(&mut buf).unwrap();
            assert_eq!(&buf[..n], datagram);
        }
    }

    /// 测试扮演一张糟糕的网络：2 和 4 丢了，1 在 3 之后才到。
    #[test]
    fn finds_what_was_lost_and_what_came_late() {
        let (rx, tx) = (datagram::bind().unwrap(), datagram::bind().unwrap());
        let to = rx.local_addr().unwrap();
        let datagrams: [&[u8]; 4] = [
            &[0, 0, 0, 0, b'a'],
            &[0, 0, 0, 3, b'd'],
            &[0, 0, 0, 1, b'b'],
            &[0, 0, 0, 5],
        ];
        for datagram in datagrams {
            tx.send_to(datagram, to).unwrap();
        }
        let report = receive_numbered(&rx).unwrap();
        let order: Vec<u32> = report.arrived.iter().map(|(number, _)| *number).collect();
        assert_eq!(order, [0, 3, 1]);
        assert_eq!(report.arrived[1].1, b"d");
        assert_eq!(report.lost, [2, 4]);
        assert_eq!(report.late, [1]);
    }

    /// 两个字节的数据报连序号都放不下。
    #[test]
    fn refuses_a_datagram_without_a_number() {
        let (rx, tx) = (datagram::bind().unwrap(), datagram::bind().unwrap());
        tx.send_to(&[0, 1], rx.local_addr().unwrap()).unwrap();
        let err = receive_numbered(&rx).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
