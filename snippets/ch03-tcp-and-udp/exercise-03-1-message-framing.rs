// ANCHOR: all
//! 练习 3-1：在 TCP 字节流上划出消息的边界。
use std::io::{self, Read, Write};

/// 把一条消息写进字节流：先写 4 个字节的长度（`u32`，大端），再写消息本身。
/// 消息长得 `u32` 装不下时，返回 `io::ErrorKind::InvalidInput` 错误。
pub fn write_message(stream: &mut impl Write, message: &[u8]) -> io::Result<()> {
    // ANCHOR: solution
    let length = u32::try_from(message.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "message too long"))?;
    stream.write_all(&length.to_be_bytes())?;
    stream.write_all(message)
    // ANCHOR_END: solution
}

/// 从字节流读出 `write_message` 写的一条消息。TCP 不保留 `write` 的边界：
/// 一次 `read` 可能只拿到半条，也可能拿到好几条的开头，所以要按长度读足。
/// 对方已经关闭、读不到一条完整的消息时，返回 `io::ErrorKind::UnexpectedEof` 错误。
pub fn read_message(stream: &mut impl Read) -> io::Result<Vec<u8>> {
    // ANCHOR: solution
    let mut length = [0; 4];
    stream.read_exact(&mut length)?;
    let mut message = vec![0; u32::from_be_bytes(length) as usize];
    stream.read_exact(&mut message)?;
    Ok(message)
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::io::{self, Read, Write};
    use std::net::Shutdown;
    use std::thread;

    use sockbook::{stream, timeout};

    use super::{read_message, write_message};

    /// 四条消息一口气写出去（有一条是空的，有一条五万字节），读回来还是四条。
    #[test]
    fn messages_keep_their_boundaries() {
        let (mut client, mut server) = stream::pair().unwrap();
        let big = vec![7u8; 50_000];
        let sent: Vec<Vec<u8>> = vec![b"one".to_vec(), Vec::new(), b"two words".to_vec(), big];
        let writer = {
            let sent = sent.clone();
            thread::spawn(move || {
                for message in &sent {
                    write_message(&mut client, message)?;
                }
                client.shutdown(Shutdown::Write)
            })
        };
        for message in &sent {
            assert!(read_message(&mut server).unwrap() == *message);
        }
        writer.join().unwrap().unwrap();
        // 对方关闭之后，再也读不到一条完整的消息
        let err = read_message(&mut server).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }

    /// 写出的字节正是“长度 + 消息”：4 个字节的 3，再是 abc。
    #[test]
    fn the_length_comes_first() {
        let (mut client, mut server) = stream::pair().unwrap();
        write_message(&mut client, b"abc").unwrap();
        client.shutdown(Shutdown::Write).unwrap();
        let mut bytes = Vec::new();
        server.read_to_end(&mut bytes).unwrap();
        assert_eq!(bytes, [0, 0, 0, 3, b'a', b'b', b'c']);
    }

    /// 一条消息分四次到达，每一次都等读的一方把它取走，再发下一段。
    #[test]
    fn reads_a_message_that_arrives_in_pieces() {
        let (mut client, server) = stream::pair().unwrap();
        let watched = server.try_clone().unwrap();
        let reader = thread::spawn(move || read_message(&mut &server));
        let pieces: [&[u8]; 4] = [&[0, 0], &[0, 11, b'h', b'e'], b"llo", b" world"];
        for piece in pieces {
            client.write_all(piece).unwrap();
            // 等接收队列空了：读的一方已经把这一段读走了
            timeout::poll_until(
                || match stream::unread(&watched)? {
                    waiting if waiting > 0 && reader.is_finished() => {
                        Err(io::Error::other("the reader stopped before reading it all"))
                    }
                    waiting => Ok(waiting),
                },
                |unread| *unread == 0,
                |unread| format!("{unread} bytes were never read"),
            )
            .unwrap();
        }
        assert_eq!(reader.join().unwrap().unwrap(), b"hello world");
    }

    /// 对方在一条消息的中途关闭：这是一个错误，不是一条短消息。
    #[test]
    fn a_message_cut_short_is_an_error() {
        let (mut client, mut server) = stream::pair().unwrap();
        client.write_all(&[0, 0, 0, 10, b'a']).unwrap();
        client.shutdown(Shutdown::Write).unwrap();
        let err = read_message(&mut server).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
