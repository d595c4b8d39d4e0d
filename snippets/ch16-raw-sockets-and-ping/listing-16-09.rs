// ANCHOR: all
use std::net::{Ipv4Addr, SocketAddr};
use std::os::fd::AsRawFd;
use std::thread;

use nix::sys::socket::{recvfrom, SockaddrIn};
use sockbook::icmp::{self, Echo, ECHO_REQUEST};
use sockbook::netns;
use sockbook::privilege::{self, CAP_NET_RAW};
use socket2::Socket;

const DATA: &[u8] = b"no privilege needed";

/// 建一个 ping 套接字：成功，或者失败的错误码
fn try_ping() -> Result<Socket, i32> {
    icmp::ping_socket().map_err(|err| err.raw_os_error().unwrap())
}

/// ping 套接字绑定的“端口”，也就是它的 ICMP 标识
fn ident(ping: &Socket) -> u16 {
    ping.local_addr().unwrap().as_socket().unwrap().port()
}

fn main() {
    // 宿主机上：读 ping_group_range；ping 套接字成不成，只看组，不看 CAP_NET_RAW
    let (low, high) = icmp::ping_group_range().unwrap();
    let allowed = icmp::may_ping().unwrap();
    println!(
        "ping_group_range = {low} {high}, our groups {:?}",
        icmp::groups().unwrap()
    );
    let with_cap = try_ping().map(drop);
    let without_cap = thread::spawn(|| {
        privilege::drop_effective(CAP_NET_RAW).unwrap();
        try_ping().map(drop)
    })
    .join()
    .unwrap();
    assert_eq!(with_cap, without_cap);
    assert_eq!(with_cap, if allowed { Ok(()) } else { Err(libc::EACCES) });

    let outcome = netns::isolated(|| {
        let to = SocketAddr::from((Ipv4Addr::LOCALHOST, 0)).into();
        // 范围可以宽到所有的组：0 到 2147483647
        icmp::set_ping_group_range(0, i32::MAX as u32).unwrap();
        assert_eq!(icmp::ping_group_range().unwrap(), (0, i32::MAX as u32));
        // 放开：范围只含我们的有效组
        // SAFETY: getegid 不会失败
        let gid = unsafe { libc::getegid() };
        icmp::set_ping_group_range(gid, gid).unwrap();
        let ping = try_ping().unwrap();
        let other = try_ping().unwrap();
        // 收紧：换一个不含我们任何一个组的范围，root 也一样被拒
        let outside = icmp::groups().unwrap().into_iter().max().unwrap() + 1;
        icmp::set_ping_group_range(outside, outside).unwrap();
        assert_eq!(try_ping().map(drop), Err(libc::EACCES));
        // 只在 socket() 时检查：已经建好的两个照样能用

        // 绑定端口 0：内核挑一个“端口”，它就是这个套接字的 ICMP 标识
        for socket in [&ping, &other] {
            socket
                .bind(&SocketAddr::from((Ipv4Addr::LOCALHOST, 0)).into())
                .unwrap();
        }
        let (mine, theirs) = (ident(&ping), ident(&other));
        assert_ne!(mine, theirs);

        // 请求里故意写错标识和校验和；序号写 5
        let mut request = vec![ECHO_REQUEST, 0, 0xde, 0xad];
        request.extend((!mine).to_be_bytes());
        request.extend(5u16.to_be_bytes());
        request.extend(DATA);
        other.send_to(&request, &to).unwrap(); // 另一个先发
        ping.send_to(&request, &to).unwrap();

        // 收到的是 ICMP 报文本身，没有 IP 首部；只有给自己的应答
        for (socket, ident) in [(&ping, mine), (&other, theirs)] {
            let mut buf = [0u8; 1500];
            let (n, from) = recvfrom::<SockaddrIn>(socket.as_raw_fd(), &mut buf).unwrap();
            let reply = &buf[..n];
            assert_eq!(n, 8 + DATA.len());
            assert_eq!(from.unwrap().ip(), Ipv4Addr::LOCALHOST);
            let echo = Echo::parse(reply).unwrap();
            println!(
                "reply: {n} bytes, type {} id {:#06x} seq {} (socket's port {ident:#06x})",
                echo.kind, echo.identifier, echo.sequence
            );
            assert_eq!((echo.kind, echo.code), (0, 0));
            assert_eq!(echo.identifier, ident); // 内核换上了套接字的“端口”
            assert_eq!(echo.sequence, 5); // 序号原样保留
            assert!(icmp::checksum_ok(reply)); // 校验和也是内核算的
            assert_eq!(echo.payload, DATA);
        }

        // ping 套接字只能发回显请求：别的类型一律 EINVAL；原始套接字什么都能发
        let raw = icmp::raw_socket().unwrap();
        for kind in [0u8, 13] {
            let mut message = request.clone();
            message[0] = kind;
            let err = ping.send_to(&message, &to).unwrap_err();
            assert_eq!(err.raw_os_error(), Some(libc::EINVAL));
            assert_eq!(raw.send_to(&message, &to).unwrap(), message.len());
        }
    });
    if let Err(why) = outcome {
        netns::skip("ping sockets in a private network namespace", &why);
    }
}
// ANCHOR_END: all
