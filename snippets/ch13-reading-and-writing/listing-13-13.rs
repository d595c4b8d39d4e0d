// ANCHOR: all
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::fd::AsRawFd;

use sockbook::{loopback, server};

/// 服务器那一端的会话：读一行名字，回一行问候
fn serve(socket: TcpStream) -> io::Result<(String, SocketAddr, SocketAddr)> {
    // getInputStream() 与 getOutputStream()：同一条连接上的两个对象
    let mut input = BufReader::new(socket.try_clone()?); // dup(2)：另一个描述符
    let mut output = socket;
    assert_ne!(input.get_ref().as_raw_fd(), output.as_raw_fd());
    assert_eq!(input.get_ref().peer_addr()?, output.peer_addr()?);

    let mut name = String::new();
    input.read_line(&mut name)?; // 对方写进它的输出流的，从这里读出
    writeln!(output, "hello, {}", name.trim_end())?;
    Ok((name, output.local_addr()?, output.peer_addr()?))
}

fn main() {
    // new ServerSocket(port)：TcpListener，即 socket()、bind()、listen()
    let server = server::spawn(|listener: TcpListener| {
        let mut sessions = Vec::new();
        for _ in 0..2 {
            // serverSocket.accept()：阻塞到有连接为止，返回一个新的 Socket，即 TcpStream
            let (socket, _) = listener.accept()?;
            sessions.push(serve(socket)?);
        } // 监听套接字一直在，一个接一个地接受
        Ok(sessions)
    })
    .unwrap();

    let addr = server.addr();
    let mut clients = Vec::new();
    for name in ["alice", "bob"] {
        // new Socket(host, port)：TcpStream::connect，即 socket()、connect()
        let socket = loopback::connect(addr).unwrap();
        clients.push(socket.local_addr().unwrap());
        let mut output = socket.try_clone().unwrap();
        let mut input = BufReader::new(socket);

        writeln!(output, "{name}").unwrap(); // OutputStream.write
        let mut reply = String::new();
        input.read_line(&mut reply).unwrap(); // InputStream.read
        assert_eq!(reply, format!("hello, {name}\n"));
        // 服务器关闭之后：Java 的 read() 返回 -1，Rust 的 read() 返回 0
        assert_eq!(input.read(&mut [0; 8]).unwrap(), 0);
    }

    let sessions = server.join().unwrap();
    for ((name, local, peer), client) in sessions.iter().zip(&clients) {
        println!("server side of {:?}: {local} <-> {peer}", name.trim_end());
        // accept() 返回的是服务器这一端：本地地址是服务器的，对方才是客户
        assert_eq!(*local, addr);
        assert_eq!(peer, client);
    }
    assert_eq!(sessions[0].0, "alice\n");
    assert_eq!(sessions[1].0, "bob\n");
}
// ANCHOR_END: all
