// ANCHOR: all
use sockbook::datagram;

fn main() {
    // 一个 UDP 套接字当服务器：不 listen()，不 accept()
    let server = datagram::bind().unwrap();
    let addr = server.local_addr().unwrap();
    let alice = datagram::bind().unwrap();
    let bob = datagram::bind().unwrap();

    alice.send_to(b"alice", addr).unwrap();
    bob.send_to(b"bob", addr).unwrap();

    // 同一个套接字收下两个客户的数据报；每个数据报都带着发送者的地址
    let mut peers = Vec::new();
    for _ in 0..2 {
        let mut buf = [0u8; 64];
        let (n, from) = server.recv_from(&mut buf).unwrap();
        println!(
            "server got {:?} from {from}",
            String::from_utf8_lossy(&buf[..n])
        );
        // 按来信的地址回信：sendto() 每次都写明对方是谁
        let mut reply = b"hi ".to_vec();
        reply.extend_from_slice(&buf[..n]);
        server.send_to(&reply, from).unwrap();
        peers.push(from);
    }
    peers.sort();
    let mut expected = vec![alice.local_addr().unwrap(), bob.local_addr().unwrap()];
    expected.sort();
    assert_eq!(peers, expected);

    // 两个客户各自收到给自己的回信
    let mut buf = [0u8; 64];
    let (n, from) = alice.recv_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"hi alice"[..], addr));
    let (n, from) = bob.recv_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"hi bob"[..], addr));
}
// ANCHOR_END: all
