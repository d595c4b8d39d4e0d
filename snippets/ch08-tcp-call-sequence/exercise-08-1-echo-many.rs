// ANCHOR: all
//! 练习 8-1：一个接一个地接待多位客户的回显服务器。
use std::io::{self, Read, Write};
use std::net::TcpListener;

/// 接受 `clients` 个连接，一个接一个：把每个连接读到的字节原样写回，
/// 直到对方关闭写方向（read 返回 0），再去 accept 下一个。
pub fn serve(listener: &TcpListener, clients: usize) -> io::Result<()> {
    // ANCHOR: solution
    for _ in 0..clients {
        // accept() 返回的已连接套接字继承监听套接字的超时（sockbook::loopback::listener）
        let (mut stream, _) = listener.accept()?;
        let mut buffer = [0; 4096];
        loop {
            let n = stream.read(&mut buffer)?;
            if n == 0 {
                break;
            }
            stream.write_all(&buffer[..n])?;
        }
    }
    Ok(())
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::Shutdown;

    use sockbook::{loopback, server};

    /// 三位客户先后连上来，各说一句，各自收到自己的那一句。
    #[test]
    fn echoes_three_clients_in_turn() {
        let server = server::spawn(|listener| super::serve(&listener, 3)).unwrap();
        for word in ["one", "two", "three"] {
            let mut stream = loopback::connect(server.addr()).unwrap();
            stream.write_all(word.as_bytes()).unwrap();
            stream.shutdown(Shutdown::Write).unwrap();
            let mut reply = String::new();
            stream.read_to_string(&mut reply).unwrap();
            assert_eq!(reply, word);
        }
        server.join().unwrap();
    }

    /// 比一次 read 能装下的更多的数据，也要一字不差地回来。
    #[test]
    fn echoes_more_than_one_read() {
        let server = server::spawn(|listener| super::serve(&listener, 1)).unwrap();
        let mut stream = loopback::connect(server.addr()).unwrap();
        let sent: Vec<u8> = (0..100_000u32).map(|i| i as u8).collect();
        let writer = {
            let mut stream = stream.try_clone().unwrap();
            let sent = sent.clone();
            std::thread::spawn(move || {
                stream.write_all(&sent).unwrap();
                stream.shutdown(Shutdown::Write).unwrap();
            })
        };
        let mut received = Vec::new();
        stream.read_to_end(&mut received).unwrap();
        writer.join().unwrap();
        assert_eq!(received, sent);
        server.join().unwrap();
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
