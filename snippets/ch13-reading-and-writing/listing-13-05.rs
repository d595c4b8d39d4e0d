// ANCHOR: all
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::os::fd::AsRawFd;
use std::sync::mpsc::{self, Sender};
use std::thread;
use std::time::Instant;

use nix::sys::socket::{recv, MsgFlags};
use sockbook::stream;
use sockbook::timeout::LIMIT;

/// 记下每一次 read() 拿到多少字节，并在每次返回后通知写的一方
struct Counted<'a> {
    inner: &'a TcpStream,
    sizes: Vec<usize>,
    returned: Sender<()>,
}

impl Read for Counted<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.sizes.push(n);
        self.returned.send(()).unwrap();
        Ok(n)
    }
}

fn main() {
    // 1. 要 1024 字节，只到了 3 个：read() 返回 3，不等凑满
    let (mut client, mut server) = stream::pair().unwrap();
    client.write_all(b"abc").unwrap();
    let mut buf = [0; 1024];
    let n = server.read(&mut buf).unwrap();
    println!("asked for {} bytes, read() returned {n}", buf.len());
    assert_eq!(n, 3);

    // 2. read_exact() 要凑满 10 个字节：它自己循环，一次不够就再读
    let (returned, read_returned) = mpsc::channel();
    let mut counted = Counted {
        inner: &server,
        sizes: Vec::new(),
        returned,
    };
    let mut writer = &client;
    thread::scope(|scope| {
        scope.spawn(move || {
            // 写的一方：每写一段，都等读的一方的 read() 返回后再写下一段
            for piece in [&b"012"[..], b"345", b"6789"] {
                writer.write_all(piece).unwrap();
                read_returned.recv_timeout(LIMIT).unwrap();
            }
        });
        let mut ten = [0; 10];
        counted.read_exact(&mut ten).unwrap();
        assert_eq!(&ten, b"0123456789");
    });
    println!(
        "read_exact() made {} read() calls: {:?}",
        counted.sizes.len(),
        counted.sizes
    );
    assert_eq!(counted.sizes, [3, 3, 4]);

    // 3. 让内核去凑：recv(MSG_WAITALL) 一次调用，等齐 10 个字节才返回
    let (tell, tid_of_reader) = mpsc::channel();
    let fd = server.as_raw_fd();
    thread::scope(|scope| {
        let reader = scope.spawn(move || {
            tell.send(nix::unistd::gettid().as_raw()).unwrap();
            let mut ten = [0; 10];
            let n = recv(fd, &mut ten, MsgFlags::MSG_WAITALL).unwrap();
            (n, ten)
        });
        let tid = tid_of_reader.recv_timeout(LIMIT).unwrap();
        (&client).write_all(b"abc").unwrap();
        // 等到 recv() 取走了这 3 个字节、又睡下等其余的
        let deadline = Instant::now() + LIMIT;
        while stream::unread(&server).unwrap() > 0 || stream::thread_state(tid).unwrap() != 'S' {
            assert!(
                Instant::now() < deadline,
                "recv(MSG_WAITALL) did not take the bytes"
            );
            thread::yield_now();
        }
        assert!(!reader.is_finished(), "recv(MSG_WAITALL) returned early");
        (&client).write_all(b"defghij").unwrap();
        let (n, ten) = reader.join().unwrap();
        println!("one recv(MSG_WAITALL) returned {n} bytes");
        assert_eq!((n, &ten), (10, b"abcdefghij"));
    });

    // 4. 凑不满就遇到流结束：read_exact() 报 UnexpectedEof
    client.write_all(b"xyz").unwrap();
    drop(client);
    let err = server.read_exact(&mut [0; 10]).unwrap_err();
    println!("read_exact() at end of stream: {err}");
    assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
}
// ANCHOR_END: all
