// ANCHOR: all
use std::io;
use std::net::{Ipv4Addr, TcpListener};

use sockbook::{loopback, netns, privilege, timeout};
use socket2::{Domain, SockRef, Socket, Type};

fn main() {
    // EINVAL：一个套接字只能 bind 一次
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    socket.bind(&loopback::ANY_PORT.into()).unwrap();
    let err = socket.bind(&loopback::ANY_PORT.into()).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EINVAL));
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);

    // connect 过的套接字已经有了本地地址：不能再 bind，也不能 listen
    let listener = loopback::listener().unwrap();
    let addr = listener.local_addr().unwrap().into();
    let client = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    timeout::bound(&client).unwrap(); // SO_SNDTIMEO 也给 connect 定了期限
    client.connect(&addr).unwrap();
    let err = client.bind(&loopback::ANY_PORT.into()).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EINVAL));
    let err = client.listen(1).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EINVAL));
    // EISCONN：已经连上了，再 connect
    let err = client.connect(&addr).unwrap_err();
    println!("connect twice: {err}");
    assert_eq!(err.raw_os_error(), Some(libc::EISCONN));
    // 标准库的 connect_timeout 用非阻塞的 connect 建立连接：
    // 和示例 12-8 一样，第一次多余的 connect 返回成功，第二次才是 EISCONN
    let stream = loopback::connect(listener.local_addr().unwrap()).unwrap();
    let stream = SockRef::from(&stream);
    stream.connect(&addr).unwrap();
    let err = stream.connect(&addr).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EISCONN));

    // EACCES：没有 CAP_NET_BIND_SERVICE 时绑定 1024 以下的端口（第 6 章示例 6-3）
    let outcome = netns::isolated(|| {
        privilege::drop_effective(privilege::CAP_NET_BIND_SERVICE).unwrap();
        let err = TcpListener::bind((Ipv4Addr::LOCALHOST, 80)).unwrap_err();
        println!("bind port 80 without CAP_NET_BIND_SERVICE: {err}");
        assert_eq!(err.raw_os_error(), Some(libc::EACCES));
        assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
    });
    if let Err(why) = outcome {
        netns::skip("binding port 80 in a private namespace", &why);
    }
}
// ANCHOR_END: all
