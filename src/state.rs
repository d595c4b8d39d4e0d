//! The kernel's own view of TCP sockets: their states, timers and queues,
//! as `ss -tano` shows them.
//!
//! A program sees its socket through the calls it makes; it cannot ask
//! whether its connection is in `FIN_WAIT2` or how long `TIME_WAIT` has
//! left. The kernel answers those questions over netlink: `ss` sends a
//! `SOCK_DIAG_BY_FAMILY` dump request and reads back one `inet_diag_msg` per
//! socket (sock_diag(7)). This module does the same with the
//! `netlink-packet-sock-diag` crate.
//!
//! For a listening socket the two queue fields mean something else: the
//! receive queue is the number of connections waiting in the accept queue,
//! and the send queue is the backlog the kernel settled on.

use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::time::Duration;

use netlink_packet_core::{
    NetlinkHeader, NetlinkMessage, NetlinkPayload, NLM_F_DUMP, NLM_F_REQUEST,
};
use netlink_packet_sock_diag::constants::{AF_INET, AF_INET6, IPPROTO_TCP};
use netlink_packet_sock_diag::inet::{
    ExtensionFlags, InetRequest, InetResponse, SocketId, StateFlags,
};
use netlink_packet_sock_diag::SockDiagMessage;
use netlink_sys::protocols::NETLINK_SOCK_DIAG;

use crate::timeout;

/// A TCP state, named as in RFC 793 and `ss`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Data flows both ways.
    Established,
    /// `connect()` sent a SYN; no SYN+ACK yet.
    SynSent,
    /// A SYN arrived at a listener and a SYN+ACK went back; no ACK yet.
    SynRecv,
    /// This side closed and sent its FIN; not yet acknowledged.
    FinWait1,
    /// This side's FIN is acknowledged; waiting for the peer's FIN.
    FinWait2,
    /// Both FINs exchanged; the side that closed first waits here.
    TimeWait,
    /// No connection.
    Close,
    /// The peer closed (its FIN arrived); this side has not closed yet.
    CloseWait,
    /// This side closed after the peer; waiting for the ACK of its FIN.
    LastAck,
    /// A listening socket.
    Listen,
    /// Both sides sent FIN at once; waiting for the ACK.
    Closing,
}

impl State {
    /// The state of `tcp_states.h`'s number.
    fn from_kernel(number: u8) -> Option<State> {
        Some(match number {
            1 => State::Established,
            2 => State::SynSent,
            // 12 is TCP_NEW_SYN_RECV, the request socket of a SYN_RECV.
            3 | 12 => State::SynRecv,
            4 => State::FinWait1,
            5 => State::FinWait2,
            6 => State::TimeWait,
            7 => State::Close,
            8 => State::CloseWait,
            9 => State::LastAck,
            10 => State::Listen,
            11 => State::Closing,
            _ => return None,
        })
    }

    /// The name `ss` prints: `ESTAB`, `TIME-WAIT`, …
    pub fn ss_name(self) -> &'static str {
        match self {
            State::Established => "ESTAB",
            State::SynSent => "SYN-SENT",
            State::SynRecv => "SYN-RECV",
            State::FinWait1 => "FIN-WAIT-1",
            State::FinWait2 => "FIN-WAIT-2",
            State::TimeWait => "TIME-WAIT",
            State::Close => "UNCONN",
            State::CloseWait => "CLOSE-WAIT",
            State::LastAck => "LAST-ACK",
            State::Listen => "LISTEN",
            State::Closing => "CLOSING",
        }
    }
}

/// The timer the kernel is running for a socket, with the time left.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    /// Retransmission (of a SYN, a FIN or data), and how many were sent.
    Retransmit {
        /// Time left before the next retransmission.
        left: Duration,
        /// Retransmissions so far.
        count: u8,
    },
    /// Keepalive, or the FIN_WAIT2 timeout.
    KeepAlive(Duration),
    /// The end of TIME_WAIT.
    TimeWait(Duration),
    /// Zero-window probe.
    Probe(Duration),
}

/// One TCP socket, as the kernel reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TcpSocket {
    /// Its local address and port.
    pub local: SocketAddr,
    /// The peer's address and port (`0.0.0.0:0` for a listener).
    pub peer: SocketAddr,
    /// Its state.
    pub state: State,
    /// The timer running, if any.
    pub timer: Option<Timer>,
    /// Bytes received and not yet read; for a listener, connections in
    /// the accept queue.
    pub recv_queue: u32,
    /// Bytes sent and not yet acknowledged; for a listener, the backlog.
    pub send_queue: u32,
    /// The socket's inode (0 once no descriptor refers to it).
    pub inode: u32,
}

/// Every TCP socket of this network namespace, IPv4 and IPv6, in every
/// state.
///
/// Sends one `SOCK_DIAG_BY_FAMILY` dump request per family over a
/// `NETLINK_SOCK_DIAG` socket (sock_diag(7)), as `ss -tan` does.
pub fn tcp_sockets() -> io::Result<Vec<TcpSocket>> {
    let mut sockets = dump(AF_INET)?;
    sockets.extend(dump(AF_INET6)?);
    Ok(sockets)
}

/// The TCP sockets whose local or peer port is `port`.
pub fn on_port(port: u16) -> io::Result<Vec<TcpSocket>> {
    let mut sockets = tcp_sockets()?;
    sockets.retain(|socket| socket.local.port() == port || socket.peer.port() == port);
    Ok(sockets)
}

/// The socket with this local address and this peer, if the kernel still
/// has one.
pub fn find(local: SocketAddr, peer: SocketAddr) -> io::Result<Option<TcpSocket>> {
    Ok(on_port(local.port())?
        .into_iter()
        .find(|socket| socket.local == local && socket.peer == peer))
}

/// Reads the kernel's state of the sockets on `port` until `done` holds,
/// for at most [`timeout::LIMIT`]: a listing waits on the kernel's own
/// state, not on a timer. Fails with `TimedOut` and the last state seen.
pub fn wait_until(
    port: u16,
    mut done: impl FnMut(&[TcpSocket]) -> bool,
) -> io::Result<Vec<TcpSocket>> {
    timeout::poll_until(
        || on_port(port),
        |sockets| done(sockets),
        |sockets| format!("the sockets on port {port} never got there: {sockets:?}"),
    )
}

/// Waits until the socket from `local` to `peer` is in `state`, as
/// [`wait_until`] does, and returns it.
///
/// Before the second end of a connection closes, wait with this for the
/// first end to reach `FIN_WAIT2`: its FIN has been acknowledged, so no
/// late segment of the second end can reach its `TIME_WAIT` and end it
/// early (chapter 11, "An RST can end TIME_WAIT early").
pub fn wait_for(local: SocketAddr, peer: SocketAddr, state: State) -> io::Result<TcpSocket> {
    let is_it = |socket: &TcpSocket| socket.local == local && socket.peer == peer;
    let sockets = wait_until(local.port(), |sockets| {
        sockets
            .iter()
            .any(|socket| is_it(socket) && socket.state == state)
    })?;
    Ok(sockets
        .into_iter()
        .find(|socket| is_it(socket) && socket.state == state)
        .expect("wait_until returned once the socket was there"))
}

/// Where `expires` sits in an `inet_diag_msg` (family, state, timer,
/// retransmits: 4 bytes; `inet_diag_sockid`: 48 bytes). The crate drops it
/// for a TIME_WAIT socket, so we read it from the message ourselves.
const EXPIRES_OFFSET: usize = 52;

/// One dump of one address family.
fn dump(family: u8) -> io::Result<Vec<TcpSocket>> {
    let socket = netlink_sys::Socket::new(NETLINK_SOCK_DIAG)?;
    // SAFETY: the descriptor belongs to `socket`, which outlives this borrow.
    let fd = unsafe { BorrowedFd::borrow_raw(socket.as_raw_fd()) };
    timeout::bound(&fd.as_fd())?;

    let mut header = NetlinkHeader::default();
    header.flags = NLM_F_REQUEST | NLM_F_DUMP;
    let mut request = NetlinkMessage::new(
        header,
        SockDiagMessage::InetRequest(InetRequest {
            family,
            protocol: IPPROTO_TCP,
            extensions: ExtensionFlags::empty(),
            // Every state, TCP_NEW_SYN_RECV (12) included, as `ss` asks.
            states: StateFlags::from_bits_retain(!0),
            socket_id: if family == AF_INET {
                SocketId::new_v4()
            } else {
                SocketId::new_v6()
            },
        })
        .into(),
    );
    request.finalize();
    let mut buffer = vec![0; request.buffer_len()];
    request.serialize(&mut buffer);
    socket.send_to(&buffer, &netlink_sys::SocketAddr::new(0, 0), 0)?;

    let mut sockets = Vec::new();
    loop {
        let (reply, _) = socket.recv_from_full()?;
        let mut offset = 0;
        while offset < reply.len() {
            let bytes = &reply[offset..];
            let message = NetlinkMessage::<SockDiagMessage>::deserialize(bytes)
                .map_err(|err| io::Error::new(io::ErrorKind::InvalidData, err.to_string()))?;
            let length = message.header.length as usize;
            match message.payload {
                NetlinkPayload::InnerMessage(SockDiagMessage::InetResponse(response)) => {
                    // The netlink header (nlmsghdr) is 16 bytes.
                    let header_length = 16;
                    let expires = bytes
                        .get(header_length + EXPIRES_OFFSET..header_length + EXPIRES_OFFSET + 4)
                        .map_or(0, |raw| u32::from_ne_bytes(raw.try_into().unwrap()));
                    sockets.extend(tcp_socket(&response, expires));
                }
                NetlinkPayload::Done(_) => return Ok(sockets),
                NetlinkPayload::Error(error) => return Err(error.to_io()),
                _ => {}
            }
            if length == 0 {
                break;
            }
            offset += length;
        }
    }
}

fn tcp_socket(response: &InetResponse, expires: u32) -> Option<TcpSocket> {
    use netlink_packet_sock_diag::inet::Timer as Raw;
    let header = &response.header;
    let id = &header.socket_id;
    let left = Duration::from_millis(expires.into());
    Some(TcpSocket {
        local: SocketAddr::new(id.source_address, id.source_port),
        peer: SocketAddr::new(id.destination_address, id.destination_port),
        state: State::from_kernel(header.state)?,
        timer: header.timer.as_ref().map(|timer| match timer {
            Raw::Retransmit(_, count) => Timer::Retransmit {
                left,
                count: *count,
            },
            Raw::KeepAlive(_) => Timer::KeepAlive(left),
            Raw::TimeWait => Timer::TimeWait(left),
            Raw::Probe(_) => Timer::Probe(left),
        }),
        recv_queue: header.recv_queue,
        send_queue: header.send_queue,
        inode: header.inode,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loopback;
    use std::io::Read;

    #[test]
    fn a_listener_and_both_ends_of_a_connection() {
        let listener = loopback::listener().unwrap();
        let addr = listener.local_addr().unwrap();
        let client = loopback::connect(addr).unwrap();
        let (server, _) = listener.accept().unwrap();
        let sockets = on_port(addr.port()).unwrap();
        let listening = sockets.iter().find(|s| s.state == State::Listen).unwrap();
        assert_eq!(listening.local, addr);
        assert_eq!(listening.recv_queue, 0, "the accept queue is empty");
        let client_end = find(client.local_addr().unwrap(), addr).unwrap().unwrap();
        assert_eq!(client_end.state, State::Established);
        let server_end = find(addr, client.local_addr().unwrap()).unwrap().unwrap();
        assert_eq!(server_end.state, State::Established);
        drop(server);
    }

    #[test]
    fn the_side_that_closes_first_waits_in_time_wait() {
        let listener = loopback::listener().unwrap();
        let addr = listener.local_addr().unwrap();
        let client = loopback::connect(addr).unwrap();
        let (mut server, _) = listener.accept().unwrap();
        let client_addr = client.local_addr().unwrap();
        drop(client);
        // The client's FIN arrives: the server reads the end of the stream.
        assert_eq!(server.read(&mut [0; 1]).unwrap(), 0);
        wait_for(client_addr, addr, State::FinWait2).unwrap();
        drop(server);
        let sockets = wait_until(addr.port(), |sockets| {
            sockets
                .iter()
                .any(|s| s.local == client_addr && s.state == State::TimeWait)
        })
        .unwrap();
        let waiting = sockets.iter().find(|s| s.local == client_addr).unwrap();
        match waiting.timer {
            Some(Timer::TimeWait(left)) => {
                assert!(left <= Duration::from_secs(60), "{left:?}");
                assert!(left > Duration::from_secs(50), "{left:?}");
            }
            other => panic!("{other:?}"),
        }
    }

    /// `ss -tanoH` for the sockets on `port`: state, queues, addresses and
    /// the seconds left on a TIME_WAIT timer, one line each, sorted.
    fn as_ss_shows(port: u16) -> Option<Vec<String>> {
        let filter = format!("( sport = :{port} or dport = :{port} )");
        let output = match std::process::Command::new("ss")
            .args(["-tanoH", "state", "all", &filter])
            .output()
        {
            Ok(output) => output,
            Err(err) => {
                crate::netns::skip("comparing the inspector with ss", &err);
                return None;
            }
        };
        assert!(output.status.success(), "{output:?}");
        let mut lines: Vec<String> = String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .map(|line| {
                let fields: Vec<&str> = line.split_whitespace().collect();
                let seconds = fields[5..]
                    .iter()
                    .find_map(|field| field.strip_prefix("timer:(timewait,"))
                    .map(|rest| rest.split("sec").next().unwrap().to_string());
                format!(
                    "{} {} {} {} {} {seconds:?}",
                    fields[0], fields[1], fields[2], fields[3], fields[4]
                )
            })
            .collect();
        lines.sort();
        Some(lines)
    }

    /// The same lines from the inspector.
    fn as_inspector_shows(port: u16) -> Vec<String> {
        let mut lines: Vec<String> = on_port(port)
            .unwrap()
            .iter()
            .map(|socket| {
                let peer = match socket.state {
                    State::Listen => format!("{}:*", socket.peer.ip()),
                    _ => socket.peer.to_string(),
                };
                // ss rounds the time left down to whole seconds.
                let seconds = match socket.timer {
                    Some(Timer::TimeWait(left)) => Some(left.as_secs().to_string()),
                    _ => None,
                };
                format!(
                    "{} {} {} {} {peer} {seconds:?}",
                    socket.state.ss_name(),
                    socket.recv_queue,
                    socket.send_queue,
                    socket.local
                )
            })
            .collect();
        lines.sort();
        lines
    }

    #[test]
    fn the_inspector_agrees_with_ss() {
        // A listener with one connection accepted, one waiting in the
        // accept queue, and one closed, whose client end is in TIME_WAIT.
        let listener = loopback::listener().unwrap();
        let addr = listener.local_addr().unwrap();
        let accepted_client = loopback::connect(addr).unwrap();
        let (accepted, _) = listener.accept().unwrap();
        let closed_client = loopback::connect(addr).unwrap();
        let (mut closed, _) = listener.accept().unwrap();
        let closed_addr = closed_client.local_addr().unwrap();
        drop(closed_client);
        assert_eq!(closed.read(&mut [0; 1]).unwrap(), 0);
        wait_for(closed_addr, addr, State::FinWait2).unwrap();
        drop(closed);
        let waiting_client = loopback::connect(addr).unwrap();
        wait_until(addr.port(), |sockets| {
            sockets
                .iter()
                .any(|s| s.local == closed_addr && s.state == State::TimeWait)
                && sockets
                    .iter()
                    .any(|s| s.state == State::Listen && s.recv_queue == 1)
        })
        .unwrap();

        // Only this test's sockets: the kernel may have given the listener
        // a port that an earlier run's connection used, whose TIME_WAIT is
        // still there.
        let clients = [
            accepted_client.local_addr().unwrap(),
            closed_addr,
            waiting_client.local_addr().unwrap(),
        ];
        let ours = |lines: Vec<String>| -> Vec<String> {
            lines
                .into_iter()
                .filter(|line| {
                    line.starts_with("LISTEN")
                        || clients.iter().any(|c| line.contains(&format!("{c} ")))
                })
                .collect()
        };
        // A second can pass between the two readings, so read ss between
        // two readings of ours and accept either.
        let before = ours(as_inspector_shows(addr.port()));
        let Some(ss) = as_ss_shows(addr.port()) else {
            return;
        };
        let ss = ours(ss);
        let after = ours(as_inspector_shows(addr.port()));
        assert_eq!(ss.len(), 6, "{ss:#?}");
        assert!(
            ss == before || ss == after,
            "ss: {ss:#?}\nours: {before:#?}\n{after:#?}"
        );
        drop((accepted, accepted_client));
    }

    #[test]
    fn names_are_those_of_ss() {
        assert_eq!(State::TimeWait.ss_name(), "TIME-WAIT");
        assert_eq!(State::from_kernel(12), Some(State::SynRecv));
        assert_eq!(State::from_kernel(13), None);
    }
}
