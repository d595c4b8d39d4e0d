// ANCHOR: all
//! 练习 13-2：给 TCP 字节流加上消息边界：长度前缀。
use std::io::{self, Read, Write};

/// 写一条消息：先写 4 个字节的长度（`u32`，大端序），再写消息本身。
/// 消息长到 `u32` 装不下时，返回 `InvalidInput`，一个字节也不写。
pub fn write_frame(writer: &mut impl Write, message: &[u8]) -> io::Result<()> {
    // ANCHOR: solution
    let len = u32::try_from(message.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "message too long"))?;
    writer.write_all(&len.to_be_bytes())?;
    writer.write_all(message)
    // ANCHOR_END: solution
}

/// 读一条 `write_frame` 写的消息，不管它被分成几次 `read()` 才到齐。
/// 长度超过 `max` 时返回 `InvalidData`，消息本身一个字节也不读（也不为它
/// 分配内存）；流在一条消息中间结束时返回 `UnexpectedEof`。
pub fn read_frame(reader: &mut impl Read, max: usize) -> io::Result<Vec<u8>> {
    // ANCHOR: solution
    let mut header = [0; 4];
    reader.read_exact(&mut header)?;
    let len = u32::from_be_bytes(header) as usize;
    if len > max {
        let why = format!("a frame of {len} bytes, more than {max}");
        return Err(io::Error::new(io::ErrorKind::InvalidData, why));
    }
    let mut message = vec![0; len];
    reader.read_exact(&mut message)?;
    Ok(message)
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::io::{self, Write};
    use std::net::Shutdown;
    use std::thread;

    use sockbook::{stream, timeout};

    /// 三条消息（中间一条是空的）先写进内存，再用一次 write 发出：
    /// 字节流里没有边界，边界全靠长度前缀。
    #[test]
    fn three_frames_in_one_write() {
        let mut bytes = Vec::new();
        for message in ["hello", "", "world"] {
            super::write_frame(&mut bytes, message.as_bytes()).unwrap();
        }
        assert_eq!(&bytes[..9], b"\0\0\0\x05hello");
        assert_eq!(bytes.len(), 3 * 4 + 10);
        let (mut client, mut server) = stream::pair().unwrap();
        client.write_all(&bytes).unwrap();
        for message in ["hello", "", "world"] {
            assert_eq!(
                super::read_frame(&mut server, 64).unwrap(),
                message.as_bytes()
            );
        }
    }

    /// 一条消息分四段到达，长度前缀本身也被切成两半；每段都要等读的一方
    /// 取走上一段才写，所以每次 read() 只拿到一段。
    #[test]
    fn a_frame_in_four_short_reads() {
        let (mut client, mut server) = stream::pair().unwrap();
        let watch = server.try_clone().unwrap();
        let writer = thread::spawn(move || -> io::Result<()> {
            let mut frame = Vec::new();
            super::write_frame(&mut frame, b"split apart")?;
            for piece in [&frame[..2], &frame[2..4], &frame[4..9], &frame[9..]] {
                client.write_all(piece)?;
                timeout::poll_until(
                    || Ok((stream::unacked(&client)?, stream::unread(&watch)?)),
                    |&(unacked, unread)| unacked == 0 && unread == 0,
                    |queues| format!("piece {piece:?} not taken: {queues:?}"),
                )?;
            }
            Ok(())
        });
        assert_eq!(super::read_frame(&mut server, 64).unwrap(), b"split apart");
        writer.join().unwrap().unwrap();
    }

    /// 长度前缀说有一百万字节，上限只有 1024：立刻拒绝，
    /// 随后到达的 3 个字节还留在接收队列里，没有被读走。
    #[test]
    fn refuses_a_frame_longer_than_max() {
        let (mut client, mut server) = stream::pair().unwrap();
        client.write_all(&1_000_000u32.to_be_bytes()).unwrap();
        client.write_all(b"abc").unwrap();
        timeout::poll_until(|| stream::unread(&server), |&n| n == 7, |n| format!("{n}")).unwrap();
        let err = super::read_frame(&mut server, 1024).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(stream::unread(&server).unwrap(), 3);
    }

    /// 长度前缀说有 10 个字节，只来了 4 个，对方就关闭了写方向。
    #[test]
    fn the_stream_ends_inside_a_frame() {
        let (mut client, mut server) = stream::pair().unwrap();
        client.write_all(&10u32.to_be_bytes()).unwrap();
        client.write_all(b"abcd").unwrap();
        client.shutdown(Shutdown::Write).unwrap();
        let err = super::read_frame(&mut server, 64).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
