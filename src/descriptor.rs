//! A socket is a file descriptor: a small integer indexing the process's
//! table of open files, shared with files, pipes and devices.

use std::fs;
use std::io;
use std::os::fd::{AsFd, AsRawFd};
use std::path::PathBuf;

use nix::sys::stat::{fstat, SFlag};

/// What kind of open file a descriptor refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A socket (`S_IFSOCK`).
    Socket,
    /// A regular file (`S_IFREG`).
    File,
    /// A character device such as `/dev/null` (`S_IFCHR`).
    CharDevice,
    /// A pipe or FIFO (`S_IFIFO`).
    Pipe,
    /// Anything else: a directory, a block device, a symbolic link.
    Other,
}

/// The kind of the open file behind `fd`, from the file type bits that
/// `fstat(2)` reports (inode(7)).
pub fn kind<F: AsFd>(fd: &F) -> io::Result<Kind> {
    let mode = SFlag::from_bits_truncate(fstat(fd.as_fd())?.st_mode) & SFlag::S_IFMT;
    Ok(match mode {
        SFlag::S_IFSOCK => Kind::Socket,
        SFlag::S_IFREG => Kind::File,
        SFlag::S_IFCHR => Kind::CharDevice,
        SFlag::S_IFIFO => Kind::Pipe,
        _ => Kind::Other,
    })
}

/// What the kernel says `fd` refers to: the target of the symbolic link
/// `/proc/self/fd/N`, read with `readlink(2)` (proc(5), "/proc/pid/fd/").
///
/// For a file it is the file's path (`/dev/null`); for a socket it is
/// `socket:[INODE]`, because a socket has an inode but no name in any
/// directory; for a pipe it is `pipe:[INODE]`.
pub fn target<F: AsFd>(fd: &F) -> io::Result<PathBuf> {
    fs::read_link(format!("/proc/self/fd/{}", fd.as_fd().as_raw_fd()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::File;
    use std::net::UdpSocket;

    #[test]
    fn tells_sockets_from_files_and_devices() {
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        assert_eq!(kind(&socket).unwrap(), Kind::Socket);
        assert_eq!(
            kind(&File::open("/dev/null").unwrap()).unwrap(),
            Kind::CharDevice
        );
        assert_eq!(
            kind(&File::open("Cargo.toml").unwrap()).unwrap(),
            Kind::File
        );
        let (reader, _writer) = std::io::pipe().unwrap();
        assert_eq!(kind(&reader).unwrap(), Kind::Pipe);
    }

    #[test]
    fn target_names_files_and_tells_sockets_by_inode() {
        let null = File::open("/dev/null").unwrap();
        assert_eq!(target(&null).unwrap(), PathBuf::from("/dev/null"));
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        let link = target(&socket).unwrap().to_string_lossy().into_owned();
        assert!(
            link.starts_with("socket:[") && link.ends_with(']'),
            "{link}"
        );
        let (reader, _writer) = std::io::pipe().unwrap();
        let link = target(&reader).unwrap().to_string_lossy().into_owned();
        assert!(link.starts_with("pipe:["), "{link}");
    }
}
