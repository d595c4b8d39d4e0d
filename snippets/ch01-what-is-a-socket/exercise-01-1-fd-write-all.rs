// ANCHOR: all
//! 练习 1-1：套接字就是文件描述符：用 write(2) 把数据写进任何一个描述符。
use std::io;
use std::os::fd::BorrowedFd;

use nix::unistd::write;

/// 用 write(2)（`nix::unistd::write`）把 `data` 全部写进描述符 `fd`，不管它是
/// 文件、管道还是套接字。一次 `write` 可能只写进一部分：没写完就接着写剩下的；
/// 出错时把 errno 变成 `io::Error` 返回（`io::Error::from(errno)`，或者 `?`）。
pub fn write_all_fd(fd: BorrowedFd<'_>, data: &[u8]) -> io::Result<()> {
    // ANCHOR: solution
    let mut rest = data;
    while !rest.is_empty() {
        let n = write(fd, rest)?;
        if n == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        rest = &rest[n..];
    }
    Ok(())
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::fs;
    use std::io::{self, Read};
    use std::net::{Shutdown, UdpSocket};
    use std::os::fd::AsFd;

    use sockbook::stream;

    use super::write_all_fd;

    /// 二十万字节经客户端的描述符写出，服务器那一端一字不差地读到。
    #[test]
    fn writes_through_a_connected_socket() {
        let (client, mut server) = stream::pair().unwrap();
        let sent: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let writer = {
            let sent = sent.clone();
            std::thread::spawn(move || {
                let done = write_all_fd(client.as_fd(), &sent);
                client.shutdown(Shutdown::Write).unwrap();
                done
            })
        };
        let mut received = Vec::new();
        server.read_to_end(&mut received).unwrap();
        writer.join().unwrap().unwrap();
        assert_eq!(received.len(), sent.len());
        assert!(received == sent, "the bytes differ");
    }

    /// 同一个函数，不改一行，也能写管道和普通文件。
    #[test]
    fn writes_a_pipe_and_a_file_the_same_way() {
        let (mut reader, writer) = io::pipe().unwrap();
        write_all_fd(writer.as_fd(), b"through a pipe").unwrap();
        drop(writer);
        let mut text = String::new();
        reader.read_to_string(&mut text).unwrap();
        assert_eq!(text, "through a pipe");

        let path = std::env::temp_dir().join(format!("sockbook-ex-1-1-{}", std::process::id()));
        let file = fs::File::create(&path).unwrap();
        write_all_fd(file.as_fd(), b"into a file").unwrap();
        drop(file);
        let written = fs::read(&path).unwrap();
        fs::remove_file(&path).unwrap();
        assert_eq!(written, b"into a file");
    }

    /// 没有连接的 UDP 套接字：write(2) 不知道往哪里送，内核答 EDESTADDRREQ。
    #[test]
    fn reports_the_kernel_error() {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        let err = write_all_fd(socket.as_fd(), b"to whom?").unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EDESTADDRREQ));
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
