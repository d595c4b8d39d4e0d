// ANCHOR: all
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sockbook::{loopback, server, timeout};

// 一个请求最多这么多字节，连换行在内
const MAX_REQUEST: u64 = 64;
// 等一个请求、写一个回答，最多这么久
const REQUEST_TIMEOUT: Duration = Duration::from_millis(200);

// 服务器怎样打发了一个客户
#[derive(Debug, PartialEq)]
enum Outcome {
    // 到期也没等来完整的一行
    Silent,
    // 读到的不是请求（参数是读了多少字节）
    Refused(usize),
    // 回答了时间
    Answered,
}

// 服务一个客户：读一行请求，答一行时间，然后关闭
fn serve_one(conn: TcpStream) -> io::Result<Outcome> {
    // 读和写都有期限（SO_RCVTIMEO、SO_SNDTIMEO）
    conn.set_read_timeout(Some(REQUEST_TIMEOUT))?;
    conn.set_write_timeout(Some(REQUEST_TIMEOUT))?;
    // 最多读 MAX_REQUEST 个字节：对方发多少垃圾，这块内存也不会变大
    let mut request = Vec::new();
    let limited = (&conn).take(MAX_REQUEST);
    match BufReader::new(limited).read_until(b'\n', &mut request) {
        Err(err) if err.kind() == io::ErrorKind::WouldBlock => return Ok(Outcome::Silent),
        Err(err) => return Err(err),
        Ok(_) => {}
    }
    if request != b"TIME\n" {
        return Ok(Outcome::Refused(request.len()));
    }
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    (&conn).write_all(format!("Current time is {}\n", now.as_secs()).as_bytes())?;
    Ok(Outcome::Answered)
}

fn main() {
    // 和文档 003 的时间服务器一样，一次服务一个客户，服务完就关闭连接
    let server = server::spawn(|listener| {
        let mut outcomes = Vec::new();
        for _ in 0..3 {
            let (conn, _) = listener.accept()?;
            outcomes.push(serve_one(conn)?);
        }
        Ok(outcomes)
    })
    .unwrap();

    // 坏客户一：连上以后一言不发
    let mut silent = loopback::connect(server.addr()).unwrap();
    // 坏客户二：发来 4 KiB 垃圾，没有换行
    let mut garbage = loopback::connect(server.addr()).unwrap();
    garbage.write_all(&[0xff; 4096]).unwrap();
    // 好客户排在它们后面
    let started = Instant::now();
    let mut good = loopback::connect(server.addr()).unwrap();
    good.write_all(b"TIME\n").unwrap();
    let mut answer = String::new();
    good.read_to_string(&mut answer).unwrap();
    let waited = started.elapsed();
    println!("good client: {answer:?} after {waited:?}");

    let outcomes = server.join().unwrap();
    println!("server: {outcomes:?}");
    // 沉默的客户到期被放弃，垃圾只读了 64 个字节，好客户得到了回答
    assert_eq!(
        outcomes,
        [Outcome::Silent, Outcome::Refused(64), Outcome::Answered]
    );
    assert!(answer.starts_with("Current time is "), "{answer:?}");
    // 好客户至少等了沉默客户期限的四分之三（计时有误差），但远在自己的期限之内
    assert!(waited >= REQUEST_TIMEOUT * 3 / 4, "{waited:?}");
    assert!(waited < timeout::LIMIT, "{waited:?}");
    // 服务器关闭了与沉默客户的连接：它读到流结束
    let mut rest = [0; 1];
    assert_eq!(silent.read(&mut rest).unwrap(), 0);
}
// ANCHOR_END: all
