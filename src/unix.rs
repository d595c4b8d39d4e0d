//! Unix domain sockets (unix(7)): their names, and the kernel's list of
//! them.
//!
//! A Unix domain socket has no IP address and no port. If it has a name at
//! all, the name is either a path in the filesystem, or, on Linux, a string
//! in the "abstract namespace" that starts with a NUL byte and never appears
//! in any directory. The kernel lists every Unix domain socket of a network
//! namespace, named or not, in `/proc/net/unix` (proc_pid_net(5)); [`table`]
//! and [`entry`] read that list, so a listing can ask the kernel what it
//! knows about a socket instead of trusting the program's own bookkeeping.

use std::fs;
use std::io;
use std::os::fd::{AsFd, AsRawFd};

use nix::sys::stat::fstat;

/// The kernel's list of the Unix domain sockets in the calling thread's
/// network namespace (proc_pid_net(5), "/proc/pid/net/unix").
///
/// `thread-self`, not `self`: a thread that moved into a private network
/// namespace ([`crate::netns::isolated`]) sees the list of its own
/// namespace, not that of the process's first thread.
pub const TABLE: &str = "/proc/thread-self/net/unix";

/// `__SO_ACCEPTCON` in the Flags column: the socket listens.
const ACCEPTING: u32 = 1 << 16;

/// One line of [`TABLE`]: a Unix domain socket as the kernel lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The socket's inode number: what `fstat(2)` reports as `st_ino`, and
    /// the number in the `socket:[INODE]` link of `/proc/self/fd/N`.
    pub inode: u64,
    /// `SOCK_STREAM`, `SOCK_DGRAM` or `SOCK_SEQPACKET` (the Type column).
    pub kind: i32,
    /// Whether the socket listens (`__SO_ACCEPTCON` in the Flags column).
    pub listening: bool,
    /// The socket's name, as the Path column shows it: `None` for an
    /// unnamed socket; the path for a socket bound to one; for a name in
    /// the abstract namespace, `@` followed by the name, every NUL byte
    /// shown as `@` (the leading NUL becomes the leading `@`).
    pub name: Option<String>,
}

/// Every Unix domain socket of the calling thread's network namespace, as
/// listed in [`TABLE`].
pub fn table() -> io::Result<Vec<Entry>> {
    let text = fs::read_to_string(TABLE)?;
    text.lines()
        .skip(1) // the column headings
        .map(|line| {
            parse(line).ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("{TABLE}: cannot read {line:?}"),
                )
            })
        })
        .collect()
}

/// The line of [`TABLE`] for `socket`, found by its inode number
/// ([`inode`]); `None` if the kernel does not list it there, because it
/// is not a Unix domain socket or belongs to another network namespace.
pub fn entry<S: AsFd>(socket: &S) -> io::Result<Option<Entry>> {
    let inode = inode(socket)?;
    Ok(table()?.into_iter().find(|entry| entry.inode == inode))
}

/// The inode number of the open file behind `fd`, from `fstat(2)`. A
/// socket has one, like every open file, even when no directory names it.
pub fn inode<F: AsFd>(fd: &F) -> io::Result<u64> {
    Ok(fstat(fd.as_fd())?.st_ino)
}

/// Binds `socket`, an `AF_UNIX` socket without a name, to a name in the
/// abstract namespace that the kernel chooses: `bind(2)` with an address
/// that holds only the family, `sun_family = AF_UNIX`, and no path
/// (unix(7), "Autobind feature"). Linux picks five hexadecimal digits;
/// ask the socket for them with `getsockname(2)`. A socket that has a
/// name already keeps it, and the call succeeds.
pub fn autobind<S: AsFd>(socket: &S) -> io::Result<()> {
    // SAFETY: sockaddr_un is plain old data; all zeroes is a valid value.
    let mut addr: libc::sockaddr_un = unsafe { std::mem::zeroed() };
    addr.sun_family = libc::AF_UNIX as libc::sa_family_t;
    let only_the_family = std::mem::size_of::<libc::sa_family_t>() as libc::socklen_t;
    // SAFETY: the kernel reads `only_the_family` bytes of `addr`.
    let done = unsafe {
        libc::bind(
            socket.as_fd().as_raw_fd(),
            (&addr as *const libc::sockaddr_un).cast(),
            only_the_family,
        )
    };
    if done < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Reads one line of [`TABLE`]:
/// `Num: RefCount Protocol Flags Type St Inode [Path]`, numbers in
/// hexadecimal but the inode in decimal, the path (if any) after one space.
fn parse(line: &str) -> Option<Entry> {
    let mut rest = line;
    let mut fields = [""; 7];
    for field in &mut fields {
        rest = rest.trim_start();
        let end = rest.find(' ').unwrap_or(rest.len());
        *field = &rest[..end];
        rest = &rest[end..];
    }
    let [_num, _refs, _protocol, flags, kind, _state, inode] = fields;
    let name = rest
        .strip_prefix(' ')
        .filter(|name| !name.is_empty())
        .map(str::to_owned);
    Some(Entry {
        inode: inode.parse().ok()?,
        kind: i32::from_str_radix(kind, 16).ok()?,
        listening: u32::from_str_radix(flags, 16).ok()? & ACCEPTING != 0,
        name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::linux::net::SocketAddrExt;
    use std::os::unix::net::{SocketAddr, UnixDatagram, UnixListener, UnixStream};

    #[test]
    fn parses_the_kernel_format() {
        let named = "0000000000000000: 00000002 00000000 00010000 0001 01 12345 /tmp/a b.sock";
        assert_eq!(
            parse(named),
            Some(Entry {
                inode: 12345,
                kind: libc::SOCK_STREAM,
                listening: true,
                name: Some("/tmp/a b.sock".into()),
            })
        );
        let unnamed = "0000000000000000: 00000003 00000000 00000000 0002 03  9876";
        let entry = parse(unnamed).unwrap();
        assert_eq!((entry.inode, entry.kind), (9876, libc::SOCK_DGRAM));
        assert!(!entry.listening);
        assert_eq!(entry.name, None);
        assert_eq!(parse("garbage"), None);
    }

    #[test]
    fn lists_a_listener_by_its_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("listed.sock");
        let listener = UnixListener::bind(&path).unwrap();
        let entry = entry(&listener).unwrap().expect("the listener is listed");
        assert_eq!(entry.kind, libc::SOCK_STREAM);
        assert!(entry.listening);
        assert_eq!(entry.name.as_deref(), path.to_str());
        assert!(table().unwrap().iter().any(|e| e.inode == entry.inode));
    }

    #[test]
    fn lists_abstract_names_with_an_at_sign_and_pairs_without_a_name() {
        let name = format!("sockbook-unix-test-{}", std::process::id());
        let addr = SocketAddr::from_abstract_name(&name).unwrap();
        let socket = UnixDatagram::bind_addr(&addr).unwrap();
        let entry = entry(&socket).unwrap().unwrap();
        assert_eq!(entry.name, Some(format!("@{name}")));
        assert_eq!(entry.kind, libc::SOCK_DGRAM);
        let (left, _right) = UnixStream::pair().unwrap();
        assert_eq!(super::entry(&left).unwrap().unwrap().name, None);
    }

    #[test]
    fn autobind_picks_five_hex_digits() {
        let socket = UnixDatagram::unbound().unwrap();
        assert!(socket.local_addr().unwrap().is_unnamed());
        autobind(&socket).unwrap();
        let name = socket.local_addr().unwrap();
        let name = name.as_abstract_name().expect("an abstract name");
        assert_eq!(name.len(), 5, "{name:?}");
        assert!(name.iter().all(u8::is_ascii_hexdigit), "{name:?}");
        // a named socket keeps its name: autobind again changes nothing
        autobind(&socket).unwrap();
        let again = socket.local_addr().unwrap();
        assert_eq!(again.as_abstract_name(), Some(name));
    }

    #[test]
    fn a_tcp_socket_is_not_in_the_table() {
        let listener = crate::loopback::listener().unwrap();
        assert_eq!(entry(&listener).unwrap(), None);
        assert_ne!(inode(&listener).unwrap(), 0);
    }
}
