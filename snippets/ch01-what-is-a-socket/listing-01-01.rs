// ANCHOR: all
use std::io::{Read, Write};

use sockbook::{loopback, server};

fn main() {
    // 程序 B：服务器线程，在自己的套接字上等待、收一句、答一句
    let server = server::spawn(|listener| {
        let (mut conn, _) = listener.accept()?;
        let mut question = [0; 4];
        conn.read_exact(&mut question)?;
        conn.write_all(b"pong")?;
        // 交回这一端看到的两个地址：自己的，对方的
        Ok((question, conn.local_addr()?, conn.peer_addr()?))
    })
    .unwrap();

    // 程序 A：客户端，拿着服务器的地址打过去
    let mut client = loopback::connect(server.addr()).unwrap();
    client.write_all(b"ping").unwrap();
    let mut answer = [0; 4];
    client.read_exact(&mut answer).unwrap();

    let (question, server_local, server_peer) = server.join().unwrap();
    let client_local = client.local_addr().unwrap();
    let client_peer = client.peer_addr().unwrap();
    println!("A: {client_local} -> {client_peer}");
    println!("B: {server_local} -> {server_peer}");

    // 一句话从 A 到了 B，另一句从 B 回到 A
    assert_eq!(&question, b"ping");
    assert_eq!(&answer, b"pong");
    // 两个端点互为对方：A 的“本地”就是 B 的“对方”，反之亦然
    assert_eq!(client_local, server_peer);
    assert_eq!(client_peer, server_local);
}
// ANCHOR_END: all
