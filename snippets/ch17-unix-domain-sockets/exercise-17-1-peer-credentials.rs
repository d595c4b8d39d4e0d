// ANCHOR: all
//! 练习 17-1：连进来的是谁：SO_PEERCRED。
use std::io;
use std::os::unix::net::UnixStream;

use nix::sys::socket::{getsockopt, sockopt};

/// 对方的身份，内核在对方 `connect()`（或 `socketpair()`）那一刻记下的。
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Peer {
    /// 进程号。
    pub pid: i32,
    /// 有效用户号。
    pub uid: u32,
    /// 有效组号。
    pub gid: u32,
}

/// 用 `getsockopt(2)` 读 `SO_PEERCRED`（unix(7)），返回 `stream` 对方的身份。
pub fn peer(stream: &UnixStream) -> io::Result<Peer> {
    // ANCHOR: solution
    let credentials = getsockopt(stream, sockopt::PeerCredentials)?;
    Ok(Peer {
        pid: credentials.pid(),
        uid: credentials.uid(),
        gid: credentials.gid(),
    })
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::os::unix::net::{SocketAddr, UnixListener, UnixStream};

    use sockbook::reuse::{self, NOBODY};
    use sockbook::{netns, timeout, unix};
    use socket2::{Domain, Socket, Type};

    /// 本进程的进程号、有效用户号、有效组号。
    fn me() -> super::Peer {
        // SAFETY: geteuid 和 getegid 不会失败
        let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
        super::Peer {
            pid: std::process::id() as i32,
            uid,
            gid,
        }
    }

    /// 一个名字由内核挑的抽象名字监听套接字（自动绑定，示例 17-2），和它的地址。
    /// 空的抽象名字 `b""` 不会让内核挑名字：它本身就是一个名字，并行的测试会撞名。
    fn listener() -> (UnixListener, SocketAddr) {
        let socket = Socket::new(Domain::UNIX, Type::STREAM, None).unwrap();
        unix::autobind(&socket).unwrap();
        socket.listen(8).unwrap();
        let listener = UnixListener::from(socket);
        timeout::bound(&listener).unwrap();
        let addr = listener.local_addr().unwrap();
        (listener, addr)
    }

    /// socketpair() 的两端：对方都是本进程自己。
    #[test]
    fn both_ends_of_a_pair_are_us() {
        let (a, b) = UnixStream::pair().unwrap();
        assert_eq!(super::peer(&a).unwrap(), me());
        assert_eq!(super::peer(&b).unwrap(), me());
    }

    /// 连到抽象名字上的连接：服务器看到客户，客户也看到服务器，都是本进程。
    #[test]
    fn a_connection_to_an_abstract_name() {
        let (listener, addr) = listener();
        let client = UnixStream::connect_addr(&addr).unwrap();
        let (served, _) = listener.accept().unwrap();
        assert_eq!(super::peer(&served).unwrap(), me());
        assert_eq!(super::peer(&client).unwrap(), me());
    }

    /// 内核记下的是 connect() 那一刻、那个线程的有效用户号：一个把有效用户号
    /// 换成 nobody 的线程连进来，服务器看到 65534，进程号仍是本进程的。
    /// 换不了用户（不是 root）时跳过后一半。
    #[test]
    fn the_user_of_the_connecting_thread() {
        let (listener, addr) = listener();
        let _ours = UnixStream::connect_addr(&addr).unwrap();
        let (served, _) = listener.accept().unwrap();
        assert_eq!(super::peer(&served).unwrap().uid, me().uid);
        match reuse::as_user(NOBODY, || UnixStream::connect_addr(&addr)) {
            Ok(theirs) => {
                let _theirs = theirs.unwrap();
                let (served, _) = listener.accept().unwrap();
                let peer = super::peer(&served).unwrap();
                assert_eq!((peer.pid, peer.uid), (me().pid, NOBODY));
            }
            Err(why) => netns::skip("a client thread running as nobody", &why),
        }
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
