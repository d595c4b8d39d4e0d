// ANCHOR: all
use std::io::{self, ErrorKind};

fn main() {
    // 本章见过的 errno，和标准库给它们的 io::ErrorKind
    let named = [
        (
            "ECONNREFUSED",
            libc::ECONNREFUSED,
            ErrorKind::ConnectionRefused,
        ),
        ("ECONNRESET", libc::ECONNRESET, ErrorKind::ConnectionReset),
        ("EPIPE", libc::EPIPE, ErrorKind::BrokenPipe),
        (
            "ECONNABORTED",
            libc::ECONNABORTED,
            ErrorKind::ConnectionAborted,
        ),
        ("ETIMEDOUT", libc::ETIMEDOUT, ErrorKind::TimedOut),
        (
            "EHOSTUNREACH",
            libc::EHOSTUNREACH,
            ErrorKind::HostUnreachable,
        ),
        (
            "ENETUNREACH",
            libc::ENETUNREACH,
            ErrorKind::NetworkUnreachable,
        ),
        ("EADDRINUSE", libc::EADDRINUSE, ErrorKind::AddrInUse),
        (
            "EADDRNOTAVAIL",
            libc::EADDRNOTAVAIL,
            ErrorKind::AddrNotAvailable,
        ),
        ("EACCES", libc::EACCES, ErrorKind::PermissionDenied),
        ("EINVAL", libc::EINVAL, ErrorKind::InvalidInput),
        ("EAGAIN", libc::EAGAIN, ErrorKind::WouldBlock),
        ("ENOTCONN", libc::ENOTCONN, ErrorKind::NotConnected),
    ];
    for (name, errno, kind) in named {
        let err = io::Error::from_raw_os_error(errno);
        println!("{name:<13} {:<18} {err}", format!("{:?}", err.kind()));
        assert_eq!(err.kind(), kind, "{name}");
    }
    // 这三个在稳定版 Rust 里写不出名字：InProgress 还没有稳定，
    // EALREADY 和 EISCONN 没有自己的 ErrorKind，只能看 raw_os_error()
    let unnamed = [
        ("EINPROGRESS", libc::EINPROGRESS, "InProgress"),
        ("EALREADY", libc::EALREADY, "Uncategorized"),
        ("EISCONN", libc::EISCONN, "Uncategorized"),
    ];
    for (name, errno, kind) in unnamed {
        let err = io::Error::from_raw_os_error(errno);
        println!("{name:<13} {:<18} {err}", format!("{:?}", err.kind()));
        assert_eq!(format!("{:?}", err.kind()), kind, "{name}");
        assert_eq!(err.raw_os_error(), Some(errno));
    }
    // 同一个 ErrorKind 可能来自不同的 errno：EACCES 和 EPERM 都是 PermissionDenied
    assert_eq!(
        io::Error::from_raw_os_error(libc::EPERM).kind(),
        ErrorKind::PermissionDenied
    );
    // 也可能根本没有 errno：程序自己造的 TimedOut
    let own = io::Error::new(ErrorKind::TimedOut, "deadline passed");
    assert_eq!(own.raw_os_error(), None);
}
// ANCHOR_END: all
