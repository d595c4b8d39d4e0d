// ANCHOR: all
//! 练习 8-2：同时接待多位客户的回显服务器，每位客户一个线程。
use std::io;
use std::net::TcpListener;
use std::thread;

/// 接受 `clients` 个连接，每个连接交给一个新线程：线程把读到的字节原样写回，
/// 直到对方关闭写方向。一位客户还没说完，下一位也能连上并得到回答。
/// 所有线程都结束后才返回；任何一个线程出错，就返回它的错误。
pub fn serve(listener: &TcpListener, clients: usize) -> io::Result<()> {
    // ANCHOR: solution
    thread::scope(|scope| {
        let mut workers = Vec::new();
        for _ in 0..clients {
            let (stream, _) = listener.accept()?;
            workers.push(scope.spawn(move || {
                // &TcpStream 既能读也能写：从同一个连接读，往同一个连接写
                io::copy(&mut &stream, &mut &stream).map(drop)
            }));
        }
        for worker in workers {
            worker.join().expect("an echo thread panicked")?;
        }
        Ok(())
    })
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::io::{Read, Write};
    use std::net::{Shutdown, TcpStream};
    use std::thread;

    use sockbook::{loopback, server};

    /// 三位客户都连着，倒着次序各说一句：最后连上的先得到回答。
    /// 一个接一个服务的服务器（练习 8-1）还在等第一位客户，答不上来。
    #[test]
    fn answers_clients_that_stay_connected() {
        let server = server::spawn(|listener| super::serve(&listener, 3)).unwrap();
        let mut streams: Vec<TcpStream> = (0..3)
            .map(|_| loopback::connect(server.addr()).unwrap())
            .collect();
        for (stream, word) in streams.iter_mut().rev().zip(["three", "two", "one"]) {
            stream.write_all(word.as_bytes()).unwrap();
            let mut reply = vec![0; word.len()];
            stream.read_exact(&mut reply).unwrap();
            assert_eq!(reply, word.as_bytes());
        }
        for stream in &streams {
            stream.shutdown(Shutdown::Write).unwrap();
            assert_eq!((&*stream).read(&mut [0; 1]).unwrap(), 0);
        }
        server.join().unwrap();
    }

    /// 四位客户同时各送 20 万字节，每位收回的正是自己送的那些。
    #[test]
    fn keeps_each_client_s_bytes_apart() {
        let server = server::spawn(|listener| super::serve(&listener, 4)).unwrap();
        let addr = server.addr();
        let clients: Vec<_> = (0..4u8)
            .map(|id| {
                thread::spawn(move || {
                    let stream = loopback::connect(addr).unwrap();
                    let sent: Vec<u8> = (0..200_000u32).map(|i| (i as u8) ^ id).collect();
                    let writer = {
                        let mut stream = stream.try_clone().unwrap();
                        let sent = sent.clone();
                        thread::spawn(move || {
                            stream.write_all(&sent).unwrap();
                            stream.shutdown(Shutdown::Write).unwrap();
                        })
                    };
                    let mut received = Vec::new();
                    (&stream).read_to_end(&mut received).unwrap();
                    writer.join().unwrap();
                    received == sent
                })
            })
            .collect();
        for client in clients {
            assert!(client.join().unwrap(), "a client got other bytes back");
        }
        server.join().unwrap();
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
