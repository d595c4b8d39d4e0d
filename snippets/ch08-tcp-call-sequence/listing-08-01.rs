// ANCHOR: all
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::thread;
use std::time::{SystemTime, UNIX_EPOCH};

use nix::sys::socket::{
    accept, bind, connect, getsockname, listen, socket, AddressFamily, Backlog, SockFlag, SockType,
    SockaddrIn,
};
use nix::unistd::{close, read, write};
use sockbook::timeout;

const GREETING: &str = "Current time is ";

/// 把整段数据写完：write() 可能只写出一部分。
fn write_all(fd: &OwnedFd, mut data: &[u8]) -> nix::Result<()> {
    while !data.is_empty() {
        let n = write(fd, data)?;
        data = &data[n..];
    }
    Ok(())
}

fn main() {
    // ---- 服务器：socket() → bind() → listen() ----
    let listening = socket(
        AddressFamily::Inet,
        SockType::Stream,
        SockFlag::empty(),
        None,
    )
    .expect("socket");
    timeout::bound(&listening).unwrap(); // accept() 最多等 5 秒
    bind(listening.as_raw_fd(), &SockaddrIn::new(127, 0, 0, 1, 0)).expect("bind");
    listen(&listening, Backlog::new(16).unwrap()).expect("listen");
    // 端口 0 表示“由内核挑一个”；getsockname() 问出挑中的端口
    let server_addr: SockaddrIn = getsockname(listening.as_raw_fd()).unwrap();
    assert_ne!(server_addr.port(), 0);
    println!("server listening on {server_addr}");

    let server = thread::spawn(move || -> nix::Result<()> {
        // ---- 服务器：accept() 阻塞，直到有一个已完成的连接 ----
        let raw = accept(listening.as_raw_fd())?;
        // SAFETY: accept() 刚返回的描述符只归我们所有
        let connected = unsafe { OwnedFd::from_raw_fd(raw) };
        timeout::bound(&connected).unwrap();
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        let message = format!("{GREETING}{} seconds since the Unix epoch", now.as_secs());
        write_all(&connected, message.as_bytes())?;
        close(connected)?; // 对方的 read() 将读到 0：流结束
        close(listening)
    });

    // ---- 客户端：socket() → connect()，不调用 bind() ----
    let client = socket(
        AddressFamily::Inet,
        SockType::Stream,
        SockFlag::empty(),
        None,
    )
    .expect("socket");
    timeout::bound(&client).unwrap(); // connect() 与 read() 也最多等 5 秒
    connect(client.as_raw_fd(), &server_addr).expect("connect");

    // ---- 客户端：read() 直到返回 0 ----
    let mut received = Vec::new();
    let mut buf = [0u8; 16]; // 故意用小缓冲区：一次 read() 最多拿 16 字节
    let mut reads = 0;
    loop {
        let n = read(&client, &mut buf).expect("read");
        if n == 0 {
            break; // 0 表示对方已关闭：流结束
        }
        reads += 1;
        received.extend_from_slice(&buf[..n]);
    }
    close(client).expect("close");
    server.join().unwrap().expect("server");

    let text = String::from_utf8(received).unwrap();
    println!("client received {text:?} in {reads} reads");
    assert!(reads > 1);
    assert!(text.starts_with(GREETING), "{text:?}");
    // 顺便核对时间：服务器和客户端在同一台机器上，钟是同一个
    let seconds: u64 = text[GREETING.len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let ours = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    assert!(ours.abs_diff(seconds) <= 5, "{seconds} vs {ours}");
}
// ANCHOR_END: all
