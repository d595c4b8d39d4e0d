// ANCHOR: all
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::{SystemTime, UNIX_EPOCH};

use sockbook::timeout::{self, LIMIT};

const GREETING: &str = "Current time is ";

fn main() {
    // ---- 服务器：一次调用完成 socket() + bind() + listen() ----
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    timeout::bound(&listener).unwrap();
    let server_addr = listener.local_addr().unwrap();

    let server = thread::spawn(move || -> std::io::Result<()> {
        let (mut connected, peer) = listener.accept()?;
        println!("Client {peer} connected!");
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
        write!(
            connected,
            "{GREETING}{} seconds since the Unix epoch",
            now.as_secs()
        )?;
        Ok(()) // connected 与 listener 在这里被丢弃，即 close()
    });

    // ---- 客户端：一次调用完成 socket() + connect() ----
    let mut client = TcpStream::connect_timeout(&server_addr, LIMIT).unwrap();
    timeout::bound(&client).unwrap();
    let mut text = String::new();
    client.read_to_string(&mut text).unwrap();
    server.join().unwrap().unwrap();

    println!("Received: {text:?}");
    assert!(text.starts_with(GREETING), "{text:?}");
}
// ANCHOR_END: all
