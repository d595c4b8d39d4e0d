// ANCHOR: all
//! 练习 7-1：经一对 Unix 域套接字为主线程干活的线程。
use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::thread;

use sockbook::timeout;

/// 用 `UnixStream::pair()`（即 `socketpair(2)`）建一对相连的套接字，
/// 把一端交给新线程，另一端（读写都设好时限）返回给调用者。
/// 新线程每读到一段字节，就把它们转成大写（ASCII）写回去；
/// 读到流结束（read 返回 0）时结束，它那一端随之关闭。
pub fn spawn_upper() -> io::Result<UnixStream> {
    // ANCHOR: solution
    let (mine, theirs) = UnixStream::pair()?;
    timeout::bound(&mine)?;
    timeout::bound(&theirs)?;
    thread::spawn(move || -> io::Result<()> {
        let mut theirs = theirs;
        let mut buffer = [0; 4096];
        loop {
            let n = theirs.read(&mut buffer)?;
            if n == 0 {
                return Ok(());
            }
            buffer[..n].make_ascii_uppercase();
            theirs.write_all(&buffer[..n])?;
        }
    });
    Ok(mine)
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::Shutdown;

    use sockbook::descriptor::{self, Kind};
    use socket2::{Domain, SockRef, Type};

    /// 拿到的是一个 AF_UNIX、SOCK_STREAM 的套接字，读写都有时限。
    #[test]
    fn hands_back_a_bounded_unix_stream() {
        let end = super::spawn_upper().unwrap();
        assert_eq!(descriptor::kind(&end).unwrap(), Kind::Socket);
        let socket = SockRef::from(&end);
        assert_eq!(socket.domain().unwrap(), Domain::UNIX);
        assert_eq!(socket.r#type().unwrap(), Type::STREAM);
        assert!(end.read_timeout().unwrap().is_some());
        assert!(end.write_timeout().unwrap().is_some());
    }

    /// 同一个描述符上一问一答两次：问题和回答走的是两个方向。
    /// 管道做不到这一点，它只有一个方向（示例 7-1）。
    #[test]
    fn answers_on_the_same_descriptor() {
        let mut end = super::spawn_upper().unwrap();
        for (question, answer) in [("hello", "HELLO"), ("pipe? no", "PIPE? NO")] {
            end.write_all(question.as_bytes()).unwrap();
            let mut reply = vec![0; answer.len()];
            end.read_exact(&mut reply).unwrap();
            assert_eq!(reply, answer.as_bytes());
        }
        // 关掉我们这个方向：线程读到流结束，关掉它那一端，我们读到 0
        end.shutdown(Shutdown::Write).unwrap();
        assert_eq!(end.read(&mut [0; 8]).unwrap(), 0);
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
