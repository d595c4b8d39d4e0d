// ANCHOR: all
use std::io;
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr, UnixDatagram, UnixListener, UnixStream};

use sockbook::{netns, timeout, unix};

fn main() {
    // 抽象名字：地址的第一个字节是 NUL，后面的字节才是名字
    let name = format!("sockbook-ch17-{}", std::process::id());
    let addr = SocketAddr::from_abstract_name(&name).unwrap();

    let listener = UnixListener::bind_addr(&addr).unwrap();
    timeout::bound(&listener).unwrap();
    let bound = listener.local_addr().unwrap();
    assert_eq!(bound.as_abstract_name(), Some(name.as_bytes()));
    assert_eq!(bound.as_pathname(), None);
    // 它不是路径；内核的表里它以 @ 开头，那个 @ 代表开头的 NUL
    let entry = unix::entry(&listener).unwrap().unwrap();
    println!("listed as {:?}", entry.name.as_deref().unwrap());
    assert_eq!(entry.name, Some(format!("@{name}")));
    assert!(entry.listening);

    // 名字在用的时候，第二个 bind() 得到 EADDRINUSE
    let err = UnixListener::bind_addr(&addr).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
    // 客户端凭同一个名字连接
    let client = UnixStream::connect_addr(&addr).unwrap();
    let (_served, peer) = listener.accept().unwrap();
    // 连进来的客户端没有名字
    assert!(peer.is_unnamed());
    drop(client);

    // 监听的套接字关闭，名字就空出来了：不用 unlink()，马上可以再 bind()
    let inode = unix::inode(&listener).unwrap();
    drop(listener);
    assert!(unix::table().unwrap().iter().all(|e| e.inode != inode));
    assert_eq!(
        UnixStream::connect_addr(&addr).unwrap_err().kind(),
        io::ErrorKind::ConnectionRefused
    );
    let again = UnixListener::bind_addr(&addr).unwrap();
    timeout::bound(&again).unwrap();

    // 自动绑定：只给地址族、不给名字的 bind()，内核挑一个五位十六进制数的抽象名字
    let auto = UnixDatagram::unbound().unwrap();
    assert!(auto.local_addr().unwrap().is_unnamed());
    unix::autobind(&auto).unwrap();
    let picked = auto.local_addr().unwrap();
    let picked = picked.as_abstract_name().unwrap().to_vec();
    println!("autobind picked {:?}", String::from_utf8_lossy(&picked));
    assert_eq!(picked.len(), 5);
    assert!(picked.iter().all(u8::is_ascii_hexdigit));

    // 抽象名字属于网络命名空间；路径名属于文件系统
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("visible.sock");
    let by_path = UnixListener::bind(&path).unwrap();
    timeout::bound(&by_path).unwrap();
    let outcome = netns::isolated(move || {
        // 另一个网络命名空间里：同一个抽象名字找不到人，同一个路径照样连得上
        let abstract_there = UnixStream::connect_addr(&addr).map(drop);
        let path_there = UnixStream::connect(&path).map(drop);
        (
            abstract_there.map_err(|e| e.kind()),
            path_there.map_err(|e| e.kind()),
        )
    });
    match outcome {
        Ok((abstract_there, path_there)) => {
            assert_eq!(abstract_there, Err(io::ErrorKind::ConnectionRefused));
            assert_eq!(path_there, Ok(()));
            by_path.accept().unwrap();
        }
        Err(why) => netns::skip("abstract names in another network namespace", &why),
    }
    drop(again);
}
// ANCHOR_END: all
