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
use std::time::Instant;

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

/// The counter `name` of the group `group` (`"TcpExt"`, `"ListenOverflows"`)
/// in `netstat`'s text: pairs of lines, the names of a group then its
/// values, each line starting with the group's name and a colon.
fn counter_in(text: &str, group: &str, name: &str) -> Option<u64> {
    let prefix = format!("{group}:");
    let mut lines = text.lines().filter(|line| line.starts_with(&prefix));
    while let (Some(names), Some(values)) = (lines.next(), lines.next()) {
        let found = names
            .split_whitespace()
            .zip(values.split_whitespace())
            .find(|(key, _)| *key == name);
        if let Some((_, value)) = found {
            return value.parse().ok();
        }
    }
    None
}

/// A counter of the calling thread's network namespace, as `nstat -az`
/// prints it: `counter("TcpExt", "ListenOverflows")`. Reads
/// `/proc/thread-self/net/netstat` and `/proc/thread-self/net/snmp`
/// (proc(5)); `/proc/net` would show the namespace of the process's main
/// thread instead.
pub fn counter(group: &str, name: &str) -> io::Result<u64> {
    for file in ["netstat", "snmp"] {
        let text = fs::read_to_string(format!("/proc/thread-self/net/{file}"))?;
        if let Some(value) = counter_in(&text, group, name) {
            return Ok(value);
        }
    }
    Err(io::Error::new(
        io::ErrorKind::NotFound,
        format!("no counter {group}:{name}"),
    ))
}

/// Reads [`counter`] until `done` holds, for at most [`timeout::LIMIT`]:
/// the kernel counts a dropped segment when it drops it, which may come a
/// moment after the call that sent the segment returned. Fails with
/// `TimedOut` and the last value seen.
pub fn wait_for_counter(
    group: &str,
    name: &str,
    mut done: impl FnMut(u64) -> bool,
) -> io::Result<u64> {
    let start = Instant::now();
    loop {
        let value = counter(group, name)?;
        if done(value) {
            return Ok(value);
        }
        if start.elapsed() > timeout::LIMIT {
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!("{group}:{name} stayed at {value}"),
            ));
        }
        std::thread::yield_now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netns;
    use crate::state::{self, State};

    #[test]
    fn reads_a_counter_from_netstat_text() {
        let text = "TcpExt: SyncookiesSent ListenOverflows\nTcpExt: 3 7\n\
                    IpExt: InNoRoutes\nIpExt: 1\n";
        assert_eq!(counter_in(text, "TcpExt", "ListenOverflows"), Some(7));
        assert_eq!(counter_in(text, "IpExt", "InNoRoutes"), Some(1));
        assert_eq!(counter_in(text, "TcpExt", "Nothing"), None);
        assert!(counter("TcpExt", "ListenOverflows").is_ok());
        assert!(counter("Tcp", "ActiveOpens").is_ok());
    }

    #[test]
    fn the_listener_has_the_backlog_asked_for() {
        let listener = listener(3).unwrap();
        let port = listener.local_addr().unwrap().port();
        let sockets = state::on_port(port).unwrap();
        assert_eq!(sockets.len(), 1);
        assert_eq!(sockets[0].state, State::Listen);
        assert_eq!(sockets[0].send_queue, 3);
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
