//! UDP sockets on loopback, the largest datagram, and what the kernel
//! counts about a socket's receive queue.
//!
//! Like [`crate::loopback`], every socket here is bound to a loopback
//! address on port 0 and bounded by [`crate::timeout::LIMIT`].

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, UdpSocket};
use std::os::fd::{AsFd, AsRawFd};

use crate::layers::{IPV4_HEADER, MAX_LENGTH_FIELD, UDP_HEADER};
use crate::timeout;

/// The largest UDP payload over IPv4: 65535 − 20 − 8 = 65507 bytes.
///
/// IPv4's Total Length field (16 bits) counts the IP header, the UDP header
/// and the data. A larger `sendto(2)` fails with `EMSGSIZE` (udp(7)).
pub const MAX_PAYLOAD_V4: usize = MAX_LENGTH_FIELD - IPV4_HEADER - UDP_HEADER;

/// The largest UDP payload over IPv6 without jumbograms: 65535 − 8 = 65527
/// bytes. IPv6's Payload Length (16 bits) does not count the IPv6 header,
/// only the UDP header and the data (RFC 8200, section 3).
pub const MAX_PAYLOAD_V6: usize = MAX_LENGTH_FIELD - UDP_HEADER;

/// A UDP socket on 127.0.0.1, port chosen by the kernel, every blocking
/// call bounded: `socket(2)` and `bind(2)` as [`UdpSocket::bind`] makes
/// them, then [`timeout::bound`].
pub fn bind() -> io::Result<UdpSocket> {
    let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
    timeout::bound(&socket)?;
    Ok(socket)
}

/// Like [`bind`], on the IPv6 loopback address `::1`. Fails with
/// `EADDRNOTAVAIL` where IPv6 is disabled.
pub fn bind_v6() -> io::Result<UdpSocket> {
    let socket = UdpSocket::bind((Ipv6Addr::LOCALHOST, 0))?;
    timeout::bound(&socket)?;
    Ok(socket)
}

/// Receives every datagram waiting in `socket`'s receive queue without
/// waiting for more, and returns their sizes in the order received.
///
/// Puts the socket in non-blocking mode (`O_NONBLOCK`), calls `recv(2)`
/// until it fails with `EAGAIN` (the queue is empty), and puts the socket
/// back in blocking mode. `buf` must hold the largest datagram expected;
/// a longer one is cut to its size (udp(7)).
pub fn drain(socket: &UdpSocket, buf: &mut [u8]) -> io::Result<Vec<usize>> {
    socket.set_nonblocking(true)?;
    let mut sizes = Vec::new();
    let outcome = loop {
        match socket.recv(buf) {
            Ok(n) => sizes.push(n),
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => break Ok(sizes),
            Err(err) => break Err(err),
        }
    };
    socket.set_nonblocking(false)?;
    outcome
}

/// How many packets the kernel dropped for this socket since it was
/// created, because its receive buffer was full (or for any other reason
/// the socket layer drops: a bad checksum, a filter).
///
/// `getsockopt(2)` with `SO_MEMINFO` (Linux 4.6 and later) returns the
/// socket's memory counters; the `SK_MEMINFO_DROPS` entry is the same
/// counter as the "drops" column of `/proc/net/udp` (proc_pid_net(5)) and
/// the one `SO_RXQ_OVFL` reports (socket(7)); sock_diag(7) documents the
/// array.
pub fn drops<S: AsFd>(socket: &S) -> io::Result<u32> {
    // Up to and including SK_MEMINFO_DROPS; the kernel writes what fits.
    let mut info = [0u32; libc::SK_MEMINFO_DROPS as usize + 1];
    let mut len = std::mem::size_of_val(&info) as libc::socklen_t;
    // SAFETY: the kernel writes at most `len` bytes into `info` and tells
    // how many it wrote in `len`.
    let done = unsafe {
        libc::getsockopt(
            socket.as_fd().as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_MEMINFO,
            info.as_mut_ptr().cast(),
            &mut len,
        )
    };
    if done < 0 {
        return Err(io::Error::last_os_error());
    }
    let index = libc::SK_MEMINFO_DROPS as usize;
    if (len as usize) < (index + 1) * std::mem::size_of::<u32>() {
        return Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "SO_MEMINFO returned no drop counter",
        ));
    }
    Ok(info[index])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeout::LIMIT;
    use socket2::SockRef;

    #[test]
    fn the_limits_are_the_known_numbers() {
        assert_eq!(MAX_PAYLOAD_V4, 65507);
        assert_eq!(MAX_PAYLOAD_V6, 65527);
    }

    #[test]
    fn bound_sockets_are_on_loopback_with_a_real_port_and_a_limit() {
        for socket in [bind().unwrap(), bind_v6().unwrap()] {
            let addr = socket.local_addr().unwrap();
            assert!(addr.ip().is_loopback(), "{addr}");
            assert_ne!(addr.port(), 0);
            assert_eq!(socket.read_timeout().unwrap(), Some(LIMIT));
        }
    }

    #[test]
    fn drain_takes_what_is_queued_and_leaves_the_socket_blocking() {
        let rx = bind().unwrap();
        let tx = bind().unwrap();
        let to = rx.local_addr().unwrap();
        tx.send_to(b"one", to).unwrap();
        tx.send_to(b"three", to).unwrap();
        // recv(2) blocks until the first datagram is queued; peek leaves it
        let mut buf = [0; 16];
        rx.peek(&mut buf).unwrap();
        let mut sizes = drain(&rx, &mut buf).unwrap();
        // the second may still be on its way: wait for it, bounded
        if sizes.len() == 1 {
            sizes.push(rx.recv(&mut buf).unwrap());
        }
        assert_eq!(sizes, [3, 5]);
        assert!(drain(&rx, &mut buf).unwrap().is_empty());
        assert_eq!(rx.read_timeout().unwrap(), Some(LIMIT));
    }

    #[test]
    fn drops_counts_what_a_full_queue_refused() {
        let rx = bind().unwrap();
        let tx = bind().unwrap();
        SockRef::from(&rx).set_recv_buffer_size(1).unwrap();
        assert_eq!(drops(&rx).unwrap(), 0);
        let sent = 20;
        for _ in 0..sent {
            tx.send_to(&[0; 1000], rx.local_addr().unwrap()).unwrap();
        }
        rx.peek(&mut [0; 1]).unwrap();
        let received = drain(&rx, &mut [0; 1000]).unwrap().len();
        assert!(received < sent, "{received} of {sent}");
        assert!(drops(&rx).unwrap() >= 1);
    }
}
