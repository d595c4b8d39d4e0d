// ANCHOR: all
use std::io::Read;
use std::time::Duration;

use sockbook::closing::{self, TIME_WAIT_LEN};
use sockbook::loopback;
use sockbook::state::{self, State, TcpSocket, Timer};
use socket2::SockRef;

fn main() {
    // 服务器的接收缓冲区设得很小（监听套接字上设，已连接套接字继承）
    let listener = loopback::listener().unwrap();
    SockRef::from(&listener).set_recv_buffer_size(4096).unwrap();
    let server_addr = listener.local_addr().unwrap();
    let client = loopback::connect(server_addr).unwrap();
    SockRef::from(&client).set_send_buffer_size(4096).unwrap();
    let (mut server, client_addr) = listener.accept().unwrap();
    let port = server_addr.port();
    // 按本地地址和对端地址找出两端
    let client_end = |sockets: &[TcpSocket]| {
        let found = sockets.iter().find(|s| s.local == client_addr);
        found.cloned()
    };
    let server_end = |sockets: &[TcpSocket]| {
        let found = sockets
            .iter()
            .find(|s| s.local == server_addr && s.peer == client_addr);
        found.cloned()
    };

    // 0. 空闲的连接：两端 ESTABLISHED，没有任何定时器，也没开 keepalive
    let sockets = state::on_port(port).unwrap();
    for end in [client_end(&sockets), server_end(&sockets)] {
        let end = end.unwrap();
        assert_eq!((end.state, end.timer), (State::Established, None));
    }
    assert!(!SockRef::from(&client).keepalive().unwrap());

    // 1. 客户端写到写不动为止：服务器不读，数据堵在路上
    let written = closing::fill(&client).unwrap();
    println!("written {written} bytes");

    // close() 立刻返回；FIN 排在未发完的数据后面：FIN_WAIT1
    drop(client);
    let sockets = state::on_port(port).unwrap();
    let fin_wait1 = client_end(&sockets).unwrap();
    println!("after close(): {fin_wait1:?}");
    assert_eq!(fin_wait1.state, State::FinWait1);
    assert!(fin_wait1.send_queue > 0); // 数据还没送完，FIN 排在它们后面
    assert_eq!(fin_wait1.inode, 0); // 已没有描述符指向它：“孤儿”连接
    assert_eq!(server_end(&sockets).unwrap().state, State::Established);

    // 2. 服务器把数据读完，读到流结束：客户端的 FIN 已被确认
    let mut received = Vec::new();
    server.read_to_end(&mut received).unwrap();
    assert_eq!(received.len(), written); // close() 没有丢掉一个字节
    let sockets = state::wait_until(port, |sockets| {
        client_end(sockets).is_some_and(|s| s.state == State::FinWait2)
    })
    .unwrap();
    let fin_wait2 = client_end(&sockets).unwrap();
    let close_wait = server_end(&sockets).unwrap();
    println!("client: {fin_wait2:?}\nserver: {close_wait:?}");
    assert_eq!(close_wait.state, State::CloseWait);
    // FIN_WAIT2 的定时器就是 net.ipv4.tcp_fin_timeout
    let fin_timeout = closing::fin_timeout().unwrap();
    println!("net.ipv4.tcp_fin_timeout = {fin_timeout:?}");
    match fin_wait2.timer {
        // 不超过 60 秒时，内核把连接换成 TIME_WAIT 那样的小结构，计时 fin_timeout
        Some(Timer::TimeWait(left)) => {
            assert!(fin_timeout <= TIME_WAIT_LEN);
            assert!(left <= fin_timeout && left > fin_timeout - Duration::from_secs(5));
        }
        // 超过 60 秒时，先用 keepalive 定时器计多出来的部分（见示例 11-6）
        Some(Timer::KeepAlive(left)) => {
            assert!(fin_timeout > TIME_WAIT_LEN);
            assert!(left <= fin_timeout - TIME_WAIT_LEN);
        }
        other => panic!("unexpected FIN_WAIT2 timer {other:?}"),
    }

    // 服务器不关，就一直留在 CLOSE_WAIT：再读还是 0，状态不变
    assert_eq!(server.read(&mut [0; 16]).unwrap(), 0);
    let sockets = state::on_port(port).unwrap();
    assert_eq!(server_end(&sockets).unwrap().state, State::CloseWait);
    assert_eq!(client_end(&sockets).unwrap().state, State::FinWait2);

    // 3. 服务器关闭：客户端进入 TIME_WAIT，服务器这一端消失（CLOSED）
    drop(server);
    let sockets = state::wait_until(port, |sockets| {
        client_end(sockets).is_some_and(|s| s.state == State::TimeWait)
            && server_end(sockets).is_none()
    })
    .unwrap();
    let time_wait = client_end(&sockets).unwrap();
    println!("client: {time_wait:?}");
    match time_wait.timer {
        Some(Timer::TimeWait(left)) => {
            assert!(left <= TIME_WAIT_LEN && left > TIME_WAIT_LEN - Duration::from_secs(10));
        }
        other => panic!("unexpected TIME_WAIT timer {other:?}"),
    }
}
// ANCHOR_END: all
