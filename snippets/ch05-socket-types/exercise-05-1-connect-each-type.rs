// ANCHOR: all
//! 练习 5-1：同一个 connect()，对字节流和数据报意味着不同的事。
use std::io;
use std::net::SocketAddr;

use sockbook::timeout;
use socket2::{Domain, Socket, Type};

/// 用 socket2 建一个 IPv4 套接字，类型是 `kind`（`Type::STREAM` 或 `Type::DGRAM`），
/// 协议让内核挑（`None`）；用 `timeout::bound` 给它的阻塞调用加上时限，再
/// `connect` 到 `to`，返回连好的套接字。`connect` 失败时，原样返回它的错误。
pub fn connected(kind: Type, to: SocketAddr) -> io::Result<Socket> {
    // ANCHOR: solution
    let socket = Socket::new(Domain::IPV4, kind, None)?;
    timeout::bound(&socket)?;
    socket.connect(&to.into())?;
    Ok(socket)
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::io;

    use sockbook::{datagram, loopback};
    use socket2::Type;

    use super::connected;

    /// 字节流：connect 就是握手。没人监听，当场被拒；有人监听，连接进了它的队列。
    #[test]
    fn a_stream_connect_is_a_handshake() {
        let (_held, nobody) = loopback::closed_port().unwrap();
        let err = connected(Type::STREAM, nobody).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);

        let listener = loopback::listener().unwrap();
        let server = listener.local_addr().unwrap();
        let socket = connected(Type::STREAM, server).unwrap();
        assert_eq!(socket.peer_addr().unwrap().as_socket(), Some(server));
        let (_conn, peer) = listener.accept().unwrap();
        assert_eq!(Some(peer), socket.local_addr().unwrap().as_socket());
    }

    /// 数据报：connect 只是记下对方。对着刚关掉的端口也成功，错误要等到发了之后的 recv 才来。
    #[test]
    fn a_datagram_connect_only_remembers_the_peer() {
        let nobody = datagram::bind().unwrap().local_addr().unwrap();
        let socket = connected(Type::DGRAM, nobody).unwrap();
        assert_eq!(socket.peer_addr().unwrap().as_socket(), Some(nobody));
        assert_eq!(socket.send(b"anyone?").unwrap(), 7);
        let err = socket
            .recv(&mut [std::mem::MaybeUninit::new(0); 16])
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
    }

    /// 连好的数据报套接字只收对方发来的：陌生人的数据报被内核挡在外面。
    #[test]
    fn a_connected_datagram_socket_hears_only_its_peer() {
        let (peer, stranger) = (datagram::bind().unwrap(), datagram::bind().unwrap());
        let socket = connected(Type::DGRAM, peer.local_addr().unwrap()).unwrap();
        let me = socket.local_addr().unwrap().as_socket().unwrap();
        stranger.send_to(b"stranger", me).unwrap();
        peer.send_to(b"peer", me).unwrap();
        let mut buf = [std::mem::MaybeUninit::new(0); 16];
        let (n, from) = socket.recv_from(&mut buf).unwrap();
        assert_eq!(n, 4);
        assert_eq!(from.as_socket(), Some(peer.local_addr().unwrap()));
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
