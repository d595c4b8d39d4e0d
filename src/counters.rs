//! The kernel's own packet counters, as `netstat -s` and `nstat` read them.
//!
//! Each network namespace counts the IP packets and TCP segments it sends
//! in `/proc/net/snmp` (proc_pid_net(5)). Counting what left the namespace
//! during an action tells what the action put on the wire, without
//! capturing anything. A listing runs in a private namespace
//! ([`crate::netns::isolated`]), where nothing else sends, and on a thread
//! of its own, so the file is read through `/proc/thread-self`: `/proc/net`
//! is the main thread's namespace. procfs-core parses it.

use std::io;

use procfs_core::net::Snmp;
use procfs_core::FromRead;

const SNMP: &str = "/proc/thread-self/net/snmp";

fn snmp() -> io::Result<Snmp> {
    Snmp::from_file(SNMP).map_err(|err| io::Error::other(format!("{SNMP}: {err}")))
}

/// IP packets this thread's namespace has sent (`Ip: OutRequests`).
pub fn ip_packets_sent() -> io::Result<u64> {
    Ok(snmp()?.ip_out_requests)
}

/// TCP segments this thread's namespace has sent (`Tcp: OutSegs`).
pub fn tcp_segments_sent() -> io::Result<u64> {
    Ok(snmp()?.tcp_out_segs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netns;
    use std::io::{Read, Write};

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
