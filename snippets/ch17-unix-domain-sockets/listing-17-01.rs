// ANCHOR: all
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};

use sockbook::{timeout, unix};

fn main() {
    // 套接字文件放在一个临时目录里，示例结束时连目录一起删掉
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("server.sock");
    assert!(!path.exists());

    // bind() 在文件系统里造出一个名字：一个类型为“套接字”的文件
    let listener = UnixListener::bind(&path).unwrap();
    timeout::bound(&listener).unwrap();
    let meta = fs::symlink_metadata(&path).unwrap();
    let mode = meta.permissions().mode() & 0o777;
    println!("{}: socket file, mode {mode:o}", path.display());
    assert!(meta.file_type().is_socket());
    assert_eq!(meta.len(), 0);
    // 权限位和新建普通文件一样按 umask 去掉一些：0777 & !umask
    // SAFETY: umask 总是成功；读出来马上放回去，本进程只有这一个线程
    let umask = unsafe { libc::umask(0) };
    unsafe { libc::umask(umask) };
    assert_eq!(mode, 0o777 & !umask);
    // 内核的 Unix 域套接字表里，这个监听套接字登记的名字就是这个路径
    let entry = unix::entry(&listener).unwrap().unwrap();
    assert!(entry.listening);
    assert_eq!(entry.name.as_deref(), path.to_str());

    // 客户端凭路径找到服务器，数据走的是套接字，不经过这个文件
    let mut client = UnixStream::connect(&path).unwrap();
    timeout::bound(&client).unwrap();
    let (mut served, _) = listener.accept().unwrap();
    // 与 TCP 不同（示例 8-4），accept() 得到的套接字不继承监听套接字的超时，要自己设
    assert_eq!(served.read_timeout().unwrap(), None);
    timeout::bound(&served).unwrap();
    client.write_all(b"via the socket").unwrap();
    let mut heard = [0u8; 14];
    served.read_exact(&mut heard).unwrap();
    assert_eq!(&heard, b"via the socket");
    // 把它当普通文件 open()：ENXIO（“没有这个设备或地址”）
    let err = File::open(&path).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::ENXIO));

    // close() 之后文件还在，但那里已经没有人听：connect() 得到 ECONNREFUSED
    drop((listener, served, client));
    assert!(fs::symlink_metadata(&path).unwrap().file_type().is_socket());
    let err = UnixStream::connect(&path).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);

    // 留下的文件挡住了同一个路径：再 bind() 得到 EADDRINUSE
    let err = UnixListener::bind(&path).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::AddrInUse);

    // unlink() 之后才能重新 bind()
    fs::remove_file(&path).unwrap();
    let again = UnixListener::bind(&path).unwrap();
    timeout::bound(&again).unwrap();
    let _client = UnixStream::connect(&path).unwrap();
    again.accept().unwrap();
    // 一个路径只属于一个套接字：文件在、套接字也开着时，第二个 bind() 同样是 EADDRINUSE
    let err = UnixListener::bind(&path).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
}
// ANCHOR_END: all
