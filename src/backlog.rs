//! The two queues of a listening socket, the backlog that bounds them, and
//! the kernel's settings and counters that go with them.
//!
//! `listen(2)`'s second argument, the backlog, is a wish: the kernel caps
//! it at `net.core.somaxconn` (tcp(7), listen(2)). What the kernel settled
//! on shows in [`crate::state`] as the listening socket's send queue; the
//! number of connections waiting for `accept(2)` shows as its receive
//! queue. What happens to a connection the kernel has no room for shows in
//! the counters of `/proc/net/netstat` (`ListenOverflows`, `ListenDrops`,
//! `SyncookiesSent`…), which `nstat` and `netstat -s` print.
//!
//! Settings and counters are per network namespace. The functions here
//! read those of the calling thread's namespace, through
//! `/proc/thread-self` and `/proc/sys`, so that a listing inside
//! [`crate::netns::isolated`] sees and changes its own, not the host's.

use std::fs;
use std::io;
use std::net::TcpListener;

use socket2::{Domain, Socket, Type};

use crate::handshake::in_private_namespace;
use crate::loopback::ANY_PORT;
use crate::timeout;

/// A TCP listener on 127.0.0.1, port chosen by the kernel, with the
/// backlog of your choice: `socket(2)`, `bind(2)` and `listen(2)` with
/// socket2, then [`timeout::bound`]. (`TcpListener::bind` always asks for
/// a backlog of 128.)
pub fn listener(backlog: i32) -> io::Result<TcpListener> {
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None)?;
    socket.bind(&ANY_PORT.into())?;
    socket.listen(backlog)?;
    timeout::bound(&socket)?;
    Ok(socket.into())
}

/// The path under `/proc/sys` of a sysctl named with dots, as sysctl(8)
/// names it: `net.core.somaxconn` is `/proc/sys/net/core/somaxconn`.
fn sysctl_path(name: &str) -> String {
    format!("/proc/sys/{}", name.replace('.', "/"))
}

/// Reads the sysctl `name` (`net.core.somaxconn`) of the calling thread's
/// network namespace from `/proc/sys` (proc(5)), as `sysctl name` prints
/// it, without the trailing newline.
pub fn sysctl(name: &str) -> io::Result<String> {
    Ok(fs::read_to_string(sysctl_path(name))?.trim().to_string())
}

/// Reads a sysctl that holds one number.
pub fn sysctl_number(name: &str) -> io::Result<i64> {
    sysctl(name)?
        .parse()
        .map_err(|err| io::Error::new(io::ErrorKind::InvalidData, format!("{name}: {err}")))
}

/// Writes the sysctl `name` of the calling thread's network namespace, as
/// `sysctl -w name=value` does. Refuses outside a private network
/// namespace ([`in_private_namespace`]): a listing must not change the
/// host's settings.
pub fn set_sysctl(name: &str, value: &str) -> io::Result<()> {
    if !in_private_namespace()? {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("refusing to set {name} outside a private network namespace"),
        ));
    }
    fs::write(sysctl_path(name), value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netns;
    use crate::state::{self, State};

    #[test]
    fn the_listener_has_the_backlog_asked_for() {
        let listener = listener(3).unwrap();
        let port = listener.local_addr().unwrap().port();
        // Only the listener: an earlier connection that used this port as
        // its peer may still be in TIME_WAIT.
        let listening: Vec<_> = state::on_port(port)
            .unwrap()
            .into_iter()
            .filter(|socket| socket.state == State::Listen)
            .collect();
        assert_eq!(listening.len(), 1);
        assert_eq!(listening[0].send_queue, 3);
    }

    #[test]
    fn settings_change_only_inside_a_private_namespace() {
        let name = "net.ipv4.tcp_abort_on_overflow";
        let host = sysctl(name).unwrap();
        let err = set_sysctl(name, &host).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::PermissionDenied);
        let inside = netns::isolated(move || {
            let other = if sysctl(name).unwrap() == "0" {
                "1"
            } else {
                "0"
            };
            set_sysctl(name, other).unwrap();
            sysctl(name).unwrap() == other
        });
        match inside {
            Ok(changed) => assert!(changed),
            Err(why) => netns::skip("sysctls of a private namespace", &why),
        }
        assert_eq!(
            sysctl(name).unwrap(),
            host,
            "the host's setting is untouched"
        );
    }
}
