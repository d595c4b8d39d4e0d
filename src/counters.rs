//! The kernel's own counters, as `nstat -a` and `netstat -s` print them.
//!
//! Each network namespace counts what its protocols did: IP packets and TCP
//! segments sent, resets, ICMP errors received, connections dropped from a
//! full accept queue (`TcpExt:ListenDrops`). They are in
//! `/proc/net/snmp` and `/proc/net/netstat` (proc_pid_net(5)), each group a
//! line of names followed by a line of values. In a private namespace
//! ([`crate::netns::isolated`]) only the listing's own sockets move them, so
//! a listing can assert exact counts, and can tell what an action put on
//! the wire without capturing anything.
//!
//! A listing runs on a thread of its own, so the files are read through
//! `/proc/thread-self`: `/proc/net` is the namespace of the process's main
//! thread. (procfs-core parses `snmp` but not `netstat`; the format is two
//! lines per group, so we read both ourselves.)

use std::collections::BTreeMap;
use std::fs;
use std::io;

use crate::timeout;

/// Every counter of the calling thread's network namespace, as
/// `nstat -a` prints them: `Tcp:OutRsts`, `Icmp:InDestUnreachs`,
/// `TcpExt:ListenDrops`…
///
/// They come from `/proc/thread-self/net/snmp` and
/// `/proc/thread-self/net/netstat` (proc(5)): each group is a line of names
/// followed by a line of values. `/proc/net` would show the namespace of
/// the process's main thread instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counters {
    values: BTreeMap<String, i64>,
}

impl Counters {
    /// Reads every counter now.
    pub fn read() -> io::Result<Counters> {
        let mut values = BTreeMap::new();
        for file in [
            "/proc/thread-self/net/snmp",
            "/proc/thread-self/net/netstat",
        ] {
            values.extend(parse(&fs::read_to_string(file)?)?);
        }
        Ok(Counters { values })
    }

    /// The counter `name` of `group`, for example `get("Tcp", "OutRsts")`;
    /// `None` if this kernel has no such counter.
    pub fn get(&self, group: &str, name: &str) -> Option<i64> {
        self.values.get(&format!("{group}:{name}")).copied()
    }

    /// How much each counter moved since `earlier`.
    pub fn since(&self, earlier: &Counters) -> Counters {
        let values = self
            .values
            .iter()
            .map(|(key, now)| (key.clone(), now - earlier.values.get(key).unwrap_or(&0)))
            .collect();
        Counters { values }
    }

    /// The counters that moved, as `Group:Name` and the amount: for a
    /// [`Counters::since`], what happened in between.
    pub fn moved(&self) -> Vec<(String, i64)> {
        self.values
            .iter()
            .filter(|(_, value)| **value != 0)
            .map(|(key, value)| (key.clone(), *value))
            .collect()
    }

    /// Reads the counters until `done` holds, for at most
    /// [`timeout::LIMIT`]: a listing waits on what the kernel counted, not
    /// on a timer. Fails with `TimedOut` and the last values read.
    pub fn wait_until(mut done: impl FnMut(&Counters) -> bool) -> io::Result<Counters> {
        timeout::poll_until(
            Counters::read,
            |now| done(now),
            |now| format!("the counters never got there: {:?}", now.moved()),
        )
    }
}

/// Parses the `Group: Name Name…` / `Group: value value…` line pairs of
/// `/proc/net/snmp` and `/proc/net/netstat` into `Group:Name` keys.
fn parse(text: &str) -> io::Result<BTreeMap<String, i64>> {
    let bad = |line: &str| io::Error::new(io::ErrorKind::InvalidData, format!("{line:?}"));
    let mut values = BTreeMap::new();
    let mut lines = text.lines();
    while let Some(names) = lines.next() {
        let values_line = lines.next().ok_or_else(|| bad(names))?;
        let (group, names) = names.split_once(':').ok_or_else(|| bad(names))?;
        let (same, numbers) = values_line
            .split_once(':')
            .ok_or_else(|| bad(values_line))?;
        if group != same {
            return Err(bad(values_line));
        }
        let names: Vec<&str> = names.split_whitespace().collect();
        let numbers: Vec<&str> = numbers.split_whitespace().collect();
        if names.len() != numbers.len() {
            return Err(bad(values_line));
        }
        for (name, number) in names.iter().zip(numbers) {
            let number = number.parse().map_err(|_| bad(values_line))?;
            values.insert(format!("{group}:{name}"), number);
        }
    }
    Ok(values)
}

/// One counter now, `counter("TcpExt", "ListenOverflows")`. (The few
/// counters that can be negative, such as `Tcp:MaxConn`, are read with
/// [`Counters::get`].)
pub fn counter(group: &str, name: &str) -> io::Result<u64> {
    count(&Counters::read()?, group, name)
}

fn count(counters: &Counters, group: &str, name: &str) -> io::Result<u64> {
    let value = counters.get(group, name).ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::NotFound,
            format!("no counter {group}:{name}"),
        )
    })?;
    u64::try_from(value).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{group}:{name} is {value}"),
        )
    })
}

/// Reads one counter until `done` holds, for at most [`timeout::LIMIT`]:
/// the kernel counts a dropped segment when it drops it, which may come a
/// moment after the call that sent it returned.
pub fn wait_for_counter(
    group: &str,
    name: &str,
    mut done: impl FnMut(u64) -> bool,
) -> io::Result<u64> {
    let now = Counters::wait_until(|now| count(now, group, name).is_ok_and(&mut done))?;
    count(&now, group, name)
}

/// IP packets this thread's namespace has sent (`Ip:OutRequests`).
pub fn ip_packets_sent() -> io::Result<u64> {
    counter("Ip", "OutRequests")
}

/// TCP segments this thread's namespace has sent (`Tcp:OutSegs`).
pub fn tcp_segments_sent() -> io::Result<u64> {
    counter("Tcp", "OutSegs")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netns;
    use std::io::{Read, Write};

    const SAMPLE: &str =
        "Tcp: RtoAlgorithm MaxConn OutRsts\nTcp: 1 -1 7\nUdp: InDatagrams\nUdp: 3\n";

    #[test]
    fn parses_the_kernel_format() {
        let values = parse(SAMPLE).unwrap();
        assert_eq!(values["Tcp:OutRsts"], 7);
        assert_eq!(values["Tcp:MaxConn"], -1);
        assert_eq!(values["Udp:InDatagrams"], 3);
        assert_eq!(values.len(), 4);
    }

    #[test]
    fn rejects_anything_else() {
        for text in [
            "Tcp: OutRsts\n",
            "Tcp: OutRsts\nUdp: 1\n",
            "Tcp: A B\nTcp: 1\n",
            "Tcp: A\nTcp: x\n",
        ] {
            assert_eq!(parse(text).unwrap_err().kind(), io::ErrorKind::InvalidData);
        }
    }

    #[test]
    fn since_subtracts_and_moved_lists_the_changes() {
        let earlier = Counters {
            values: parse(SAMPLE).unwrap(),
        };
        let mut later = earlier.clone();
        later.values.insert("Tcp:OutRsts".into(), 9);
        let delta = later.since(&earlier);
        assert_eq!(delta.get("Tcp", "OutRsts"), Some(2));
        assert_eq!(delta.get("Tcp", "Nothing"), None);
        assert_eq!(delta.moved(), [("Tcp:OutRsts".to_string(), 2)]);
    }

    #[test]
    fn reads_counters_of_both_files() {
        let now = Counters::read().unwrap();
        assert!(now.get("TcpExt", "ListenOverflows").is_some(), "netstat");
        assert!(now.get("Tcp", "ActiveOpens").is_some(), "snmp");
        assert_eq!(
            counter("Tcp", "Nothing").unwrap_err().kind(),
            io::ErrorKind::NotFound
        );
    }

    #[test]
    fn a_connection_on_loopback_sends_packets() {
        let outcome = netns::isolated(|| {
            let before = (ip_packets_sent().unwrap(), tcp_segments_sent().unwrap());
            let listener = crate::loopback::listener().unwrap();
            let mut client = crate::loopback::connect(listener.local_addr().unwrap()).unwrap();
            let (mut server, _) = listener.accept().unwrap();
            client.write_all(b"x").unwrap();
            server.read_exact(&mut [0; 1]).unwrap();
            let after = (ip_packets_sent().unwrap(), tcp_segments_sent().unwrap());
            (after.0 - before.0, after.1 - before.1)
        });
        match outcome {
            // SYN, SYN+ACK, ACK and the data segment at least; all are IP
            // packets too.
            Ok((ip, tcp)) => {
                assert!(tcp >= 4, "{tcp}");
                assert!(ip >= tcp, "{ip} < {tcp}");
            }
            Err(why) => netns::skip("counting packets", &why),
        }
    }
}
