// ANCHOR: all
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr};
use std::thread;
use std::time::{SystemTime, UNIX_EPOCH};

use sockbook::timeout;
use socket2::{Domain, Protocol, Socket, Type};

const GREETING: &str = "Current time is ";

fn main() {
    // ---- 服务器：socket() → bind() → listen() ----
    let listening = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)).unwrap();
    timeout::bound(&listening).unwrap();
    let any_port = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
    listening.bind(&any_port.into()).unwrap();
    listening.listen(16).unwrap();
    let server_addr = listening.local_addr().unwrap().as_socket().unwrap();

    let server = thread::spawn(move || -> std::io::Result<SocketAddr> {
        // ---- 服务器：accept() 同时交出新套接字和对方的地址 ----
        let (mut connected, peer) = listening.accept()?;
        timeout::bound(&connected)?;
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        write!(
            connected,
            "{GREETING}{} seconds since the Unix epoch",
            now.as_secs()
        )?;
        drop(connected); // close()：Socket 被丢弃时关闭描述符
        Ok(peer.as_socket().unwrap())
    });

    // ---- 客户端：socket() → connect() ----
    let mut client = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP)).unwrap();
    timeout::bound(&client).unwrap();
    client.connect(&server_addr.into()).unwrap();
    let mut text = String::new();
    client.read_to_string(&mut text).unwrap(); // 反复 read()，直到返回 0
    let client_addr = client.local_addr().unwrap().as_socket().unwrap();
    drop(client); // close()

    let peer_seen_by_server = server.join().unwrap().unwrap();
    println!("client {client_addr} received: {text:?}");
    assert!(text.starts_with(GREETING), "{text:?}");
    // accept() 报告的对方地址，正是客户端自己的地址
    assert_eq!(peer_seen_by_server, client_addr);
}
// ANCHOR_END: all
