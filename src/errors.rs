//! Making the errors of `connect(2)` and `bind(2)` happen on purpose, and
//! reading what the kernel counted while they did.
//!
//! Most of these errors need a network that misbehaves: an address that
//! never answers, a router that answers with an ICMP error, a route of a
//! special type. This module builds such networks inside a private network
//! namespace ([`crate::netns::isolated`]), with the `ip` command of
//! iproute2 (ip(8)), and refuses to touch the host's network: every
//! function that changes the network first checks that the calling thread
//! has a namespace of its own.
//!
//! [`crate::counters::Counters`] reads what the kernel counted meanwhile.

use std::fs::{self, File};
use std::io;
use std::net::Ipv4Addr;
use std::os::fd::{AsFd, AsRawFd};
use std::os::unix::fs::MetadataExt;
use std::process::Command;

use socket2::{Domain, Socket, Type};

use crate::netns::{self, Unavailable};
use crate::timeout;

/// Whether the calling thread lives in a network namespace other than the
/// process's: compares the inodes of `/proc/thread-self/ns/net` and
/// `/proc/self/ns/net` (namespaces(7)). [`netns::isolated`] gives its
/// thread such a namespace; the main thread never has one.
pub fn in_private_namespace() -> io::Result<bool> {
    let thread = fs::metadata("/proc/thread-self/ns/net")?;
    let process = fs::metadata("/proc/self/ns/net")?;
    Ok((thread.dev(), thread.ino()) != (process.dev(), process.ino()))
}

/// Fails unless the calling thread has a private network namespace.
fn private_only(what: &str) -> Result<(), Unavailable> {
    match in_private_namespace() {
        Ok(true) => Ok(()),
        Ok(false) => Err(Unavailable(format!(
            "{what} changes the network, so it runs only inside netns::isolated"
        ))),
        Err(err) => Err(Unavailable(format!("cannot read /proc/*/ns/net: {err}"))),
    }
}

/// Runs the `ip` command of iproute2 (ip(8)) with `args`, split at
/// whitespace, in the calling thread's network namespace: the child process
/// inherits the namespace of the thread that spawns it (`fork(2)`).
///
/// Refuses to run outside a private namespace. A missing `ip` command or a
/// failing one (a kernel without veth, say) is reported as [`Unavailable`],
/// with what `ip` printed.
pub fn ip(args: &str) -> Result<(), Unavailable> {
    private_only("the ip command")?;
    let output = Command::new("ip")
        .args(args.split_whitespace())
        .output()
        .map_err(|err| Unavailable(format!("cannot run `ip {args}` (iproute2): {err}")))?;
    if !output.status.success() {
        return Err(Unavailable(format!(
            "`ip {args}` failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(())
}

/// Stops the kernel from asking for Ethernet addresses on `interface`,
/// so that the listing decides when a packet leaves.
///
/// Writes the neighbour settings of ip-sysctl
/// (`/proc/sys/net/ipv4/neigh/INTERFACE/`): no ARP request, neither
/// broadcast nor unicast (`mcast_solicit` and `ucast_solicit` 0), one
/// request to a user-space daemon instead (`app_solicit` 1; there is none),
/// given 5 seconds (`retrans_time_ms`). A packet for a neighbour whose
/// Ethernet address the kernel does not know then waits in that
/// neighbour's queue until `ip neigh replace` gives the address, and leaves
/// at that moment, during the `ip` command's own system call. In a private
/// namespace only.
pub fn no_arp(interface: &str) -> Result<(), Unavailable> {
    private_only("no_arp")?;
    for (name, value) in [
        ("mcast_solicit", "0"),
        ("ucast_solicit", "0"),
        ("app_solicit", "1"),
        ("retrans_time_ms", "5000"),
    ] {
        let path = format!("/proc/sys/net/ipv4/neigh/{interface}/{name}");
        fs::write(&path, value).map_err(|err| Unavailable(format!("{path}: {err}")))?;
    }
    Ok(())
}

/// A datagram socket of the calling thread's namespace, to ask about its
/// interfaces with ioctls.
fn control_socket() -> Result<Socket, Unavailable> {
    Socket::new(Domain::IPV4, Type::DGRAM, None)
        .map_err(|err| Unavailable(format!("cannot make a socket: {err}")))
}

/// An `ifreq` (netdevice(7)) naming `interface`, the rest zero.
fn interface_request(interface: &str) -> libc::ifreq {
    // SAFETY: ifreq is plain old data; all zeroes is a valid value.
    let mut request: libc::ifreq = unsafe { std::mem::zeroed() };
    for (dst, src) in request
        .ifr_name
        .iter_mut()
        .take(libc::IFNAMSIZ - 1)
        .zip(interface.bytes())
    {
        *dst = src as libc::c_char;
    }
    request
}

/// Whether `interface` of `socket`'s namespace is `IFF_RUNNING`: up, with
/// a carrier, and seen so by the kernel's link watcher, which is also what
/// replaces the queue that drops everything (`noop`) by a real one. Asks
/// with the `SIOCGIFFLAGS` ioctl (netdevice(7)).
fn running(socket: &Socket, interface: &str) -> io::Result<bool> {
    let mut request = interface_request(interface);
    // SAFETY: SIOCGIFFLAGS reads and writes a properly sized ifreq.
    if unsafe { libc::ioctl(socket.as_raw_fd(), libc::SIOCGIFFLAGS, &mut request) } < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: SIOCGIFFLAGS filled in the flags member of the union.
    let flags = unsafe { request.ifr_ifru.ifru_flags };
    Ok(flags & libc::IFF_RUNNING as libc::c_short != 0)
}

/// Waits, at most [`timeout::LIMIT`], until every `(socket, interface)`
/// pair is [`running`]. Until then a packet sent through the interface may
/// be silently dropped, the first ARP request with it.
fn wait_running(interfaces: &[(&Socket, &str)]) -> Result<(), Unavailable> {
    let names: Vec<&str> = interfaces.iter().map(|(_, name)| *name).collect();
    timeout::poll_until(
        || {
            interfaces
                .iter()
                .try_fold(true, |all, (socket, interface)| {
                    Ok(all & running(socket, interface)?)
                })
        },
        |all| *all,
        |_| format!("{names:?} never got IFF_RUNNING"),
    )
    .map(|_| ())
    .map_err(|err| Unavailable(format!("waiting for {names:?}: {err}")))
}

/// The Ethernet address of `interface` in `socket`'s namespace, written
/// as `ip` writes it (`02:…`), from the `SIOCGIFHWADDR` ioctl
/// (netdevice(7)).
fn ethernet_address(socket: &Socket, interface: &str) -> io::Result<String> {
    let mut request = interface_request(interface);
    // SAFETY: SIOCGIFHWADDR reads and writes a properly sized ifreq.
    if unsafe { libc::ioctl(socket.as_raw_fd(), libc::SIOCGIFHWADDR, &mut request) } < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: SIOCGIFHWADDR filled in the hardware address member.
    let bytes = unsafe { request.ifr_ifru.ifru_hwaddr.sa_data };
    let hex: Vec<String> = bytes[..6]
        .iter()
        .map(|byte| format!("{:02x}", *byte as u8))
        .collect();
    Ok(hex.join(":"))
}

/// Our address on the link to a silent host: see [`silent_host`].
pub const QUIET_HERE: Ipv4Addr = Ipv4Addr::new(10, 9, 0, 1);

/// The address of the silent host: see [`silent_host`].
pub const QUIET_THERE: Ipv4Addr = Ipv4Addr::new(10, 9, 0, 2);

/// Makes, in the calling thread's private namespace, an address where
/// nobody ever answers, not even with an ICMP error, and returns it
/// ([`QUIET_THERE`]).
///
/// A veth pair `quiet0`/`quiet1` (veth(4)); `quiet0` gets [`QUIET_HERE`]/24,
/// and a permanent neighbour entry (ip-neighbour(8)) tells the kernel that
/// [`QUIET_THERE`] has the Ethernet address 02:00:00:00:00:02, which no
/// interface has. A SYN sent there leaves through `quiet0` without any ARP
/// exchange, arrives at `quiet1`, and is dropped there because it is
/// addressed to another machine. The connection stays in `SYN_SENT`.
/// Returns once both ends are [`running`].
pub fn silent_host() -> Result<Ipv4Addr, Unavailable> {
    private_only("silent_host")?;
    ip("link add quiet0 type veth peer name quiet1")?;
    ip(&format!("addr add {QUIET_HERE}/24 dev quiet0"))?;
    ip("link set quiet0 up")?;
    ip("link set quiet1 up")?;
    ip(&format!(
        "neigh add {QUIET_THERE} lladdr 02:00:00:00:00:02 dev quiet0 nud permanent"
    ))?;
    let control = control_socket()?;
    wait_running(&[(&control, "quiet0"), (&control, "quiet1")])?;
    Ok(QUIET_THERE)
}

/// Our address on the link to [`OtherHost`].
pub const HERE: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 1);

/// The address of [`OtherHost`] on the link.
pub const THERE: Ipv4Addr = Ipv4Addr::new(10, 0, 0, 254);

/// A second network namespace, joined to the caller's by a veth pair: a
/// machine next door, which can play a router or a server. It lives as long
/// as this value.
#[derive(Debug)]
pub struct OtherHost {
    /// Its namespace, held open so that the namespace outlives the thread
    /// that made it (an open `/proc/…/ns/net` keeps a namespace alive,
    /// namespaces(7)).
    _namespace: File,
    /// The Ethernet address of `there0`.
    ethernet: String,
}

impl OtherHost {
    /// The Ethernet address of its end of the link, `there0`, as `ip`
    /// writes it: what ARP would answer for [`THERE`].
    pub fn ethernet_address(&self) -> &str {
        &self.ethernet
    }
}

/// Makes an [`OtherHost`] next to the calling thread's private namespace,
/// runs `setup` inside it, and returns what `setup` returned.
///
/// The other namespace comes from [`netns::isolated`]. There, `ip link add`
/// creates the veth pair `there0`/`here0` and moves `here0` into the
/// caller's namespace (`/proc/PID/task/TID/ns/net`); `there0` gets
/// [`THERE`]/24. The two ends get the interface indexes 10 and 11: were
/// they equal (each would be 2, after `lo`), the kernel's link watcher
/// would not count the link coming up as urgent, and the link could take
/// up to a second to carry packets. Then `setup` runs in that namespace, where it can add
/// routes, write sysctls or make listening sockets (a socket belongs to the
/// namespace it was made in, whichever thread uses it later). Back in the
/// caller's namespace, `here0` gets [`HERE`]/24, and this returns once both
/// ends are [`running`].
pub fn other_host<T, F>(setup: F) -> Result<(OtherHost, T), Unavailable>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    private_only("other_host")?;
    let ours = format!(
        "/proc/{}/task/{}/ns/net",
        std::process::id(),
        nix::unistd::gettid()
    );
    type Made<T> = (File, Socket, String, T);
    let (namespace, there, ethernet, made) =
        netns::isolated(move || -> Result<Made<T>, Unavailable> {
            let namespace = File::open("/proc/thread-self/ns/net")
                .map_err(|err| Unavailable(format!("cannot open our namespace: {err}")))?;
            let control = control_socket()?;
            ip(&format!(
                "link add there0 index 10 type veth peer name here0 index 11 netns {ours}"
            ))?;
            ip(&format!("addr add {THERE}/24 dev there0"))?;
            ip("link set there0 up")?;
            let ethernet = ethernet_address(&control, "there0")
                .map_err(|err| Unavailable(format!("SIOCGIFHWADDR on there0: {err}")))?;
            Ok((namespace, control, ethernet, setup()))
        })??;
    ip(&format!("addr add {HERE}/24 dev here0"))?;
    ip("link set here0 up")?;
    let here = control_socket()?;
    wait_running(&[(&here, "here0"), (&there, "there0")])?;
    Ok((
        OtherHost {
            _namespace: namespace,
            ethernet,
        },
        made,
    ))
}

/// Sets `TCP_SYNCNT` (tcp(7)) with `setsockopt(2)`: how many times this
/// socket retransmits its SYN before `connect(2)` gives up with
/// `ETIMEDOUT`, in place of the namespace's `net.ipv4.tcp_syn_retries`.
/// Linux accepts 1 to 127.
pub fn set_syn_count<S: AsFd>(socket: &S, count: u32) -> io::Result<()> {
    let value =
        libc::c_int::try_from(count).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))?;
    // SAFETY: TCP_SYNCNT takes an int, and we pass one with its size.
    let status = unsafe {
        libc::setsockopt(
            socket.as_fd().as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_SYNCNT,
            (&value as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if status < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Reads `TCP_SYNCNT` back with `getsockopt(2)`: the socket's own count if
/// it has one, else the namespace's `net.ipv4.tcp_syn_retries`.
pub fn syn_count<S: AsFd>(socket: &S) -> io::Result<u32> {
    let mut value: libc::c_int = 0;
    let mut length = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: value and length describe an int-sized buffer.
    let status = unsafe {
        libc::getsockopt(
            socket.as_fd().as_raw_fd(),
            libc::IPPROTO_TCP,
            libc::TCP_SYNCNT,
            (&mut value as *mut libc::c_int).cast(),
            &mut length,
        )
    };
    if status < 0 {
        return Err(io::Error::last_os_error());
    }
    u32::try_from(value).map_err(|_| io::Error::from(io::ErrorKind::InvalidData))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{loopback, state};
    use std::net::{SocketAddr, TcpListener};

    #[test]
    fn never_touches_the_host() {
        assert!(!in_private_namespace().unwrap());
        assert!(ip("link add nope type veth").is_err());
        assert!(silent_host().is_err());
        assert!(other_host(|| ()).is_err());
    }

    #[test]
    fn counts_the_reset_for_a_closed_port() {
        let counted = netns::isolated(|| {
            assert!(in_private_namespace().unwrap());
            let (_held, addr) = loopback::closed_port().unwrap();
            let before = crate::counters::Counters::read().unwrap();
            let err = loopback::connect(addr).unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
            crate::counters::Counters::read()
                .unwrap()
                .since(&before)
                .get("Tcp", "OutRsts")
        });
        match counted {
            Ok(resets) => assert_eq!(resets, Some(1)),
            Err(why) => netns::skip("counting resets", &why),
        }
    }

    #[test]
    fn a_syn_to_the_silent_host_stays_unanswered() {
        let outcome = netns::isolated(|| -> Result<state::TcpSocket, Unavailable> {
            let silent = SocketAddr::from((silent_host()?, 80));
            let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
            socket.set_nonblocking(true).unwrap();
            let err = socket.connect(&silent.into()).unwrap_err();
            assert_eq!(err.raw_os_error(), Some(libc::EINPROGRESS));
            let local = socket.local_addr().unwrap().as_socket().unwrap();
            assert_eq!(local.ip(), QUIET_HERE);
            Ok(state::find(local, silent).unwrap().unwrap())
        });
        match outcome {
            Ok(Ok(socket)) => assert_eq!(socket.state, state::State::SynSent),
            Ok(Err(why)) | Err(why) => netns::skip("a silent host", &why),
        }
    }

    #[test]
    fn the_other_host_accepts_connections() {
        let outcome = netns::isolated(|| -> Result<SocketAddr, Unavailable> {
            let (host, listener) = other_host(|| {
                let listener = TcpListener::bind((THERE, 0)).unwrap();
                timeout::bound(&listener).unwrap();
                listener
            })?;
            let ethernet = host.ethernet_address();
            assert_eq!(ethernet.len(), 17, "{ethernet}");
            assert_ne!(ethernet, "00:00:00:00:00:00");
            let addr = listener.local_addr().unwrap();
            let client = loopback::connect(addr).unwrap();
            let (_served, peer) = listener.accept().unwrap();
            assert_eq!(peer, client.local_addr().unwrap());
            Ok(peer)
        });
        match outcome {
            Ok(Ok(peer)) => assert_eq!(peer.ip(), HERE),
            Ok(Err(why)) | Err(why) => netns::skip("another host", &why),
        }
    }

    #[test]
    fn without_arp_a_syn_waits_until_the_address_is_given() {
        let outcome = netns::isolated(|| -> Result<(), Unavailable> {
            let (host, listener) = other_host(|| {
                let listener = TcpListener::bind((THERE, 0)).unwrap();
                timeout::bound(&listener).unwrap();
                listener
            })?;
            no_arp("here0")?;
            let addr = listener.local_addr().unwrap();
            let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
            socket.set_nonblocking(true).unwrap();
            let err = socket.connect(&addr.into()).unwrap_err();
            assert_eq!(err.raw_os_error(), Some(libc::EINPROGRESS));
            let local = socket.local_addr().unwrap().as_socket().unwrap();
            // The SYN waits for an address: no handshake, nothing to accept.
            let ours = state::find(local, addr).unwrap().unwrap();
            assert_eq!(ours.state, state::State::SynSent);
            listener.set_nonblocking(true).unwrap();
            let err = listener.accept().unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
            listener.set_nonblocking(false).unwrap();
            ip(&format!(
                "neigh replace {THERE} lladdr {} dev here0 nud reachable",
                host.ethernet_address()
            ))?;
            let (_served, peer) = listener.accept().unwrap();
            assert_eq!(peer, local);
            Ok(())
        });
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(why)) | Err(why) => netns::skip("a SYN held back", &why),
        }
    }

    #[test]
    fn a_fresh_veth_is_running_once_silent_host_returns() {
        let outcome = netns::isolated(|| -> Result<bool, Unavailable> {
            silent_host()?;
            Ok(running(&control_socket()?, "quiet0").unwrap())
        });
        match outcome {
            Ok(Ok(running)) => assert!(running),
            Ok(Err(why)) | Err(why) => netns::skip("a silent host", &why),
        }
    }

    #[test]
    fn syn_count_round_trips() {
        let retries = fs::read_to_string("/proc/sys/net/ipv4/tcp_syn_retries").unwrap();
        let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
        assert_eq!(
            syn_count(&socket).unwrap(),
            retries.trim().parse::<u32>().unwrap()
        );
        set_syn_count(&socket, 1).unwrap();
        assert_eq!(syn_count(&socket).unwrap(), 1);
        assert_eq!(
            set_syn_count(&socket, 0).unwrap_err().raw_os_error(),
            Some(libc::EINVAL)
        );
    }
}
