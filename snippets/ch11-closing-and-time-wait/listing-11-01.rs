// ANCHOR: all
use std::io::Read;
use std::net::{SocketAddr, TcpListener, TcpStream};

use sockbook::closing::{self, Segment};
use sockbook::state::{self, State};
use sockbook::{layers, loopback, netns};

/// 打印一个段：方向、标志、序号、确认号
fn show(segment: &Segment, client_port: u16) {
    let direction = if segment.source_port == client_port {
        "client -> server"
    } else {
        "server -> client"
    };
    println!(
        "  {direction}  {:<8} seq={} ack={}",
        segment.flags.names(),
        segment.sequence,
        segment.acknowledgment
    );
}

/// 抓下一条连接从握手到最后一个 ACK 的所有段，返回关闭的那几个（从第一个 FIN 起）
fn closing_segments(raw: &socket2::Socket, client_port: u16, server: SocketAddr) -> Vec<Segment> {
    let segments = closing::capture(raw, (client_port, server.port()), |kept| {
        // 两个 FIN 都到了，而且最后一个段是客户端发的：那就是最后的 ACK
        kept.iter().filter(|s| s.flags.fin).count() == 2
            && kept.last().unwrap().source_port == client_port
    })
    .unwrap();
    let first_fin = segments.iter().position(|s| s.flags.fin).unwrap();
    segments[first_fin..].to_vec()
}

/// 建一条连接，返回客户端、服务器两端和客户端的地址
fn one_connection(listener: &TcpListener) -> (TcpStream, TcpStream, SocketAddr) {
    let client = loopback::connect(listener.local_addr().unwrap()).unwrap();
    let (server, client_addr) = listener.accept().unwrap();
    (client, server, client_addr)
}

fn main() {
    let outcome = netns::isolated(|| {
        // 私有命名空间里只有本示例的流量；原始套接字收下每个 TCP 段
        let raw = layers::raw(6).unwrap();
        let listener = loopback::listener().unwrap();
        let server_addr = listener.local_addr().unwrap();

        // ---- 1. 被动方不急着关：四个段 ----
        let (client, mut server, client_addr) = one_connection(&listener);
        let client_port = client_addr.port();
        // 客户端主动关闭，发出 FIN；等它进入 FIN_WAIT2：它的 FIN 已经被单独确认了
        drop(client);
        state::wait_until(server_addr.port(), |sockets| {
            sockets
                .iter()
                .any(|s| s.local == client_addr && s.state == State::FinWait2)
        })
        .unwrap();
        assert_eq!(server.read(&mut [0; 16]).unwrap(), 0); // 服务器读到流结束
        drop(server); // 被动关闭：发出自己的 FIN

        let four = closing_segments(&raw, client_port, server_addr);
        println!("the passive side closes later: {} segments", four.len());
        four.iter().for_each(|s| show(s, client_port));
        assert_eq!(four.len(), 4);
        let (fin1, ack1, fin2, ack2) = (four[0], four[1], four[2], four[3]);
        assert_eq!(fin1.source_port, client_port); // 客户端的 FIN
        assert!(fin1.flags.fin);
        assert_eq!(ack1.source_port, server_addr.port()); // 服务器单独确认它
        assert!(!ack1.flags.fin && ack1.acknowledges(&fin1));
        assert_eq!(fin2.source_port, server_addr.port()); // 服务器的 FIN
        assert!(fin2.flags.fin);
        assert_eq!(ack2.source_port, client_port); // 客户端确认它
        assert!(!ack2.flags.fin && ack2.acknowledges(&fin2));
        // 关闭的四个段都不带数据，也没有 RST
        assert!(four.iter().all(|s| s.data_len == 0 && !s.flags.rst));

        // ---- 2. 被动方读到流结束就立刻关：ACK 常常搭在 FIN 上 ----
        let (client, mut server, client_addr) = one_connection(&listener);
        let client_port = client_addr.port();
        drop(client);
        assert_eq!(server.read(&mut [0; 16]).unwrap(), 0);
        drop(server);

        let segments = closing_segments(&raw, client_port, server_addr);
        println!(
            "the passive side closes at once: {} segments",
            segments.len()
        );
        segments.iter().for_each(|s| show(s, client_port));
        let fins: Vec<&Segment> = segments.iter().filter(|s| s.flags.fin).collect();
        // 服务器的 FIN 本身就确认了客户端的 FIN
        assert!(fins[1].acknowledges(fins[0]));
        // 所以单独的 ACK 可有可无：三个段，或者（服务器慢了一步时）四个
        assert!(segments.len() == 3 || segments.len() == 4, "{segments:?}");
        assert!(segments.last().unwrap().acknowledges(fins[1]));
    });
    if let Err(why) = outcome {
        netns::skip("capturing a close in a private network namespace", &why);
    }
}
// ANCHOR_END: all
