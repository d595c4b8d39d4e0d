// ANCHOR: all
use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::sync::Barrier;
use std::thread;

use sockbook::datagram;

const CLIENTS: usize = 8;
const REQUESTS: usize = 5;

fn main() {
    // 服务器只有这一个套接字
    let server = datagram::bind().unwrap();
    let addr = server.local_addr().unwrap();
    let start = Barrier::new(CLIENTS);

    let (sources, order, clients) = thread::scope(|scope| {
        // ---- 服务器：recvfrom() 得到数据和来信地址，sendto() 回到那个地址 ----
        let serving = scope.spawn(|| -> io::Result<_> {
            let mut sources: HashMap<SocketAddr, usize> = HashMap::new();
            let mut order = Vec::new();
            for _ in 0..CLIENTS * REQUESTS {
                let mut buf = [0u8; 64];
                let (n, from) = server.recv_from(&mut buf)?;
                let mut reply = b"re ".to_vec();
                reply.extend_from_slice(&buf[..n]);
                server.send_to(&reply, from)?;
                *sources.entry(from).or_default() += 1;
                order.push(from);
            }
            Ok((sources, order))
        });

        // ---- 八个客户，各在自己的线程里，同时开始 ----
        let clients: Vec<_> = (0..CLIENTS)
            .map(|id| {
                let start = &start;
                scope.spawn(move || -> io::Result<SocketAddr> {
                    let me = datagram::bind()?;
                    start.wait();
                    for seq in 0..REQUESTS {
                        let request = format!("{id}:{seq}");
                        me.send_to(request.as_bytes(), addr)?;
                        // 一问一答：收到的正是对自己这一问的回答，来自服务器
                        let mut buf = [0u8; 64];
                        let (n, from) = me.recv_from(&mut buf)?;
                        assert_eq!(from, addr);
                        assert_eq!(&buf[..n], format!("re {request}").as_bytes());
                    }
                    me.local_addr()
                })
            })
            .collect();
        let clients: Vec<SocketAddr> = clients
            .into_iter()
            .map(|client| client.join().unwrap().unwrap())
            .collect();
        let (sources, order) = serving.join().unwrap().unwrap();
        (sources, order, clients)
    });

    // 服务器见到了八个不同的来信地址，正是八个客户，每个恰好五次
    assert_eq!(sources.len(), CLIENTS);
    for client in &clients {
        assert_eq!(sources.get(client), Some(&REQUESTS), "{client}");
    }
    // 来信交错到达：相邻两个数据报来自不同客户的次数
    let switches = order.windows(2).filter(|w| w[0] != w[1]).count();
    println!(
        "{} datagrams from {} clients, the sender changed {switches} times",
        order.len(),
        sources.len()
    );
    // 服务了八个客户之后，服务器的套接字仍然没有对端：内核没有为任何客户建立连接
    let err = server.peer_addr().unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotConnected);
}
// ANCHOR_END: all
