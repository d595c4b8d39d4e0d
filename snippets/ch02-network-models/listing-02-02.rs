// ANCHOR: all
use std::io::{Read, Write};
use std::net::Shutdown;

use sockbook::{datagram, loopback, server};

fn main() {
    // 应用的数据：0 到 255 每个字节值各一个，内核不解释它们
    let payload: Vec<u8> = (0..=255).collect();

    // TCP：读到的就是写进去的字节，前后都没有首部
    let server = server::spawn(|listener| {
        let (mut conn, _) = listener.accept()?;
        let mut received = Vec::new();
        conn.read_to_end(&mut received)?; // 读到对方关闭写方向为止
        Ok(received)
    })
    .unwrap();
    let mut client = loopback::connect(server.addr()).unwrap();
    client.write_all(&payload).unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    let received = server.join().unwrap();
    println!(
        "TCP: wrote {} bytes, read {} bytes",
        payload.len(),
        received.len()
    );
    assert_eq!(received, payload);

    // UDP：recv_from 交回数据本身，对方的地址另外交回
    let rx = datagram::bind().unwrap();
    let tx = datagram::bind().unwrap();
    tx.send_to(&payload, rx.local_addr().unwrap()).unwrap();
    let mut buf = [0u8; 2048]; // 比数据大得多：若有首部，也放得下
    let (n, from) = rx.recv_from(&mut buf).unwrap();
    println!(
        "UDP: sent {} bytes, received {n} bytes from {from}",
        payload.len()
    );
    assert_eq!(&buf[..n], &payload[..]);
    // 对方的地址和端口来自 IP 首部和 UDP 首部，内核把它们拆出来单独给你
    assert_eq!(from, tx.local_addr().unwrap());
}
// ANCHOR_END: all
