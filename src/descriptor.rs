//! A socket is a file descriptor: a small integer indexing the process's
//! table of open files, shared with files, pipes and devices.

use std::io;
use std::os::fd::AsFd;

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
}
