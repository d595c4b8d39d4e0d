// ANCHOR: all
use std::io::Read;
use std::net::Shutdown;

use sockbook::closing;
use sockbook::loopback;
use sockbook::state::{self, State, TcpSocket};
use socket2::SockRef;

fn main() {
    let listener = loopback::listener().unwrap();
    let server_addr = listener.local_addr().unwrap();
    // 客户端的接收缓冲区很小，服务器的回应一时送不完
    let mut client = closing::connect_with_receive_buffer(server_addr, 4096).unwrap();
    let (mut server, client_addr) = listener.accept().unwrap();
    SockRef::from(&server).set_send_buffer_size(4096).unwrap();
    let port = server_addr.port();
    let server_end = |sockets: &[TcpSocket]| {
        let found = sockets
            .iter()
            .find(|s| s.local == server_addr && s.peer == client_addr);
        found.cloned()
    };

    // 客户端先关（半关闭），服务器读到流结束：CLOSE_WAIT
    client.shutdown(Shutdown::Write).unwrap();
    assert_eq!(server.read(&mut [0; 16]).unwrap(), 0);
    let sockets = state::wait_until(port, |sockets| {
        sockets
            .iter()
            .any(|s| s.local == client_addr && s.state == State::FinWait2)
    })
    .unwrap();
    assert_eq!(server_end(&sockets).unwrap().state, State::CloseWait);

    // 服务器写一大段回应，写到写不动，然后关闭：FIN 排在数据后面
    let written = closing::fill(&server).unwrap();
    println!("the server wrote {written} bytes");
    drop(server);
    let sockets = state::on_port(port).unwrap();
    let last_ack = server_end(&sockets).unwrap();
    println!("server after close(): {last_ack:?}");
    assert_eq!(last_ack.state, State::LastAck);
    assert!(last_ack.send_queue > 1); // 未确认的数据，加上 FIN
    assert_eq!(last_ack.inode, 0); // 孤儿：内核替它把数据和 FIN 送完

    // 客户端读完全部回应，读到流结束：服务器的 FIN 得到确认
    let mut response = Vec::new();
    client.read_to_end(&mut response).unwrap();
    assert_eq!(response.len(), written);
    let sockets = state::wait_until(port, |sockets| {
        server_end(sockets).is_none() // 服务器这一端：CLOSED，从内核里消失
            && sockets
                .iter()
                .any(|s| s.local == client_addr && s.state == State::TimeWait)
    })
    .unwrap();
    println!("{sockets:?}");
}
// ANCHOR_END: all
