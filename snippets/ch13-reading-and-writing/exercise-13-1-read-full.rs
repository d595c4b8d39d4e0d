// ANCHOR: all
//! 练习 13-1：把缓冲区读满，或者一直读到流结束。
use std::io::{self, Read};

/// 反复调用 `read()`，直到 `buf` 装满，或者读到流结束（`read()` 返回 0），
/// 返回一共读到的字节数。和 `read_exact()` 不同，流提前结束不算错误，
/// 只是返回的数比 `buf.len()` 小。`read()` 被信号打断（`Interrupted`）就再读；
/// 别的错误（比如超时的 `WouldBlock`）原样返回。
pub fn read_full(reader: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    // ANCHOR: solution
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
    Ok(filled)
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::io::{self, Write};
    use std::net::Shutdown;
    use std::thread;
    use std::time::Duration;

    use sockbook::{stream, timeout};

    /// 对方分三段写，每写一段，都等到这一段被对方内核确认、又被读走，
    /// 才写下一段：每次 read() 只能拿到一段，read_full 得读三次。
    #[test]
    fn gathers_three_short_reads() {
        let (mut client, mut server) = stream::pair().unwrap();
        let watch = server.try_clone().unwrap();
        let writer = thread::spawn(move || -> io::Result<()> {
            for piece in ["012", "345", "6789"] {
                client.write_all(piece.as_bytes())?;
                timeout::poll_until(
                    || Ok((stream::unacked(&client)?, stream::unread(&watch)?)),
                    |&(unacked, unread)| unacked == 0 && unread == 0,
                    |queues| format!("piece {piece:?} not taken: {queues:?}"),
                )?;
            }
            Ok(())
        });
        let mut buf = [0; 10];
        assert_eq!(super::read_full(&mut server, &mut buf).unwrap(), 10);
        assert_eq!(&buf, b"0123456789");
        writer.join().unwrap().unwrap();
    }

    /// 对方只写了 3 个字节就关闭了写方向：读到 3 个，不算错；再读是 0。
    #[test]
    fn stops_at_the_end_of_the_stream() {
        let (mut client, mut server) = stream::pair().unwrap();
        client.write_all(b"abc").unwrap();
        client.shutdown(Shutdown::Write).unwrap();
        let mut buf = [0; 10];
        assert_eq!(super::read_full(&mut server, &mut buf).unwrap(), 3);
        assert_eq!(&buf[..3], b"abc");
        assert_eq!(super::read_full(&mut server, &mut buf).unwrap(), 0);
    }

    /// 对方什么也不写：20 毫秒的读超时到期，错误要原样交给调用者。
    #[test]
    fn a_timeout_is_an_error() {
        let (_client, mut server) = stream::pair().unwrap();
        timeout::bound_by(&server, Duration::from_millis(20)).unwrap();
        let err = super::read_full(&mut server, &mut [0; 4]).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
