// ANCHOR: all
use std::io::{self, Read};
use std::net::{SocketAddr, TcpListener};

use sockbook::state::{self, State};
use sockbook::{loopback, netns};
use socket2::{Domain, SockRef, Socket, Type};

/// 一个新套接字试着 bind() 到 addr：设不设 SO_REUSEADDR 由 reuse 决定
fn bind(addr: SocketAddr, reuse: bool) -> io::Result<Socket> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    socket.set_reuse_address(reuse)?;
    socket.bind(&addr.into())?;
    Ok(socket)
}

/// 一个服务器：监听（SO_REUSEADDR 由 reuse 决定）、接受一个连接、按顺序关闭，
/// 最后连监听套接字也关掉。返回它用过的地址
fn old_server(reuse: bool, server_closes_first: bool) -> SocketAddr {
    let listener: TcpListener = bind(loopback::ANY_PORT, reuse).unwrap().into();
    SockRef::from(&listener).listen(8).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut client = loopback::connect(addr).unwrap();
    let (mut server, client_addr) = listener.accept().unwrap();
    // 后关的一方等先关的一方的 FIN 被确认（FIN_WAIT2）再关，见示例 11-10
    if server_closes_first {
        drop(server);
        assert_eq!(client.read(&mut [0; 1]).unwrap(), 0);
        state::wait_for(addr, client_addr, State::FinWait2).unwrap();
        drop(client);
    } else {
        drop(client);
        assert_eq!(server.read(&mut [0; 1]).unwrap(), 0);
        state::wait_for(client_addr, addr, State::FinWait2).unwrap();
        drop(server);
    }
    drop(listener);
    // 等到只剩一个 TIME_WAIT：在服务器一端，还是在客户端一端？
    let sockets = state::wait_until(addr.port(), |sockets| {
        sockets.len() == 1 && sockets[0].state == State::TimeWait
    })
    .unwrap();
    assert_eq!(sockets[0].local == addr, server_closes_first);
    addr
}

fn main() {
    // 标准库的 TcpListener::bind() 替你设好了 SO_REUSEADDR
    let listener = loopback::listener().unwrap();
    assert!(SockRef::from(&listener).reuse_address().unwrap());

    // 重新绑定一个具体的端口，放到私有命名空间里做
    let outcome = netns::isolated(|| {
        // 1. 服务器先关，端口上留下 TIME_WAIT：不设 SO_REUSEADDR 就绑不上
        let addr = old_server(true, true);
        let err = bind(addr, false).unwrap_err();
        println!("bind {addr} without SO_REUSEADDR: {err}");
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
        // 新旧两个套接字都设了 SO_REUSEADDR：立即可以再用
        let again = bind(addr, true).unwrap();
        again.listen(8).unwrap();
        drop(again);
        // 标准库的写法也一样能立即重启
        TcpListener::bind(addr).unwrap();

        // 2. 旧服务器没设 SO_REUSEADDR：新套接字设了也没用，Linux 要求两边都设
        let addr = old_server(false, true);
        let err = bind(addr, true).unwrap_err();
        println!("bind {addr} over a TIME_WAIT without SO_REUSEADDR: {err}");
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);

        // 3. 客户端先关：TIME_WAIT 落在客户端的临时端口上，服务器端口立即空闲
        let addr = old_server(false, false);
        bind(addr, false).unwrap();
        println!("bind {addr} after the clients closed first: ok");

        // 4. 端口上还有一条 ESTABLISHED 的旧连接：只要监听套接字还在，谁也绑不上；
        //    监听套接字一关，设了 SO_REUSEADDR 的新套接字就能绑定
        let listener = TcpListener::bind(loopback::ANY_PORT).unwrap();
        let addr = listener.local_addr().unwrap();
        let _client = loopback::connect(addr).unwrap();
        let (_server, _) = listener.accept().unwrap();
        assert_eq!(
            bind(addr, true).unwrap_err().kind(),
            io::ErrorKind::AddrInUse
        );
        drop(listener);
        let established = state::on_port(addr.port()).unwrap();
        assert!(established.iter().all(|s| s.state == State::Established));
        assert_eq!(
            bind(addr, false).unwrap_err().kind(),
            io::ErrorKind::AddrInUse
        );
        bind(addr, true).unwrap();
        println!("bind {addr} beside an ESTABLISHED connection with SO_REUSEADDR: ok");
    });
    if let Err(why) = outcome {
        netns::skip("binding a port again in a private network namespace", &why);
    }
}
// ANCHOR_END: all
