// ANCHOR: all
use std::io;

use sockbook::{loopback, ports};

fn main() {
    // 一个没人监听的端口：客户端只知道号码，对面却没有人接
    let (_held, nobody) = loopback::closed_port().unwrap();
    match loopback::connect(nobody) {
        Err(err) => assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused),
        Ok(_) => panic!("{nobody}: nobody listens there, yet connect succeeded"),
    }

    // 服务器的地址是事先“公布”给客户端的：这里就是变量 server_addr
    let listener = loopback::listener().unwrap();
    let server_addr = listener.local_addr().unwrap();

    // 两个客户端都没有调用 bind，也没有说自己用哪个端口
    let first = loopback::connect(server_addr).unwrap();
    let second = loopback::connect(server_addr).unwrap();
    let range = ports::ephemeral_range().unwrap();
    for client in [&first, &second] {
        let mine = client.local_addr().unwrap();
        println!("client {mine} -> server {server_addr}");
        // 端口由内核从临时端口范围里挑出来
        assert!(range.contains(&mine.port()), "{mine} not in {range:?}");
    }
    // 两个客户端分到的端口不同，但连的是同一个服务器地址
    assert_ne!(
        first.local_addr().unwrap().port(),
        second.local_addr().unwrap().port()
    );
    assert_eq!(first.peer_addr().unwrap(), server_addr);
    assert_eq!(second.peer_addr().unwrap(), server_addr);

    // 服务器事先不知道客户端的地址，是 accept() 才告诉它的
    let (_conn, seen) = listener.accept().unwrap();
    assert_eq!(seen, first.local_addr().unwrap());
}
// ANCHOR_END: all
