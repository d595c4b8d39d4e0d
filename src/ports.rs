//! Port numbers the kernel hands out by itself.

use std::fs;
use std::io;
use std::ops::RangeInclusive;

/// Where Linux publishes the ephemeral port range (see `ip_local_port_range`
/// in the kernel's ip-sysctl documentation, and ip(7)).
pub const RANGE_FILE: &str = "/proc/sys/net/ipv4/ip_local_port_range";

/// The ports the kernel picks from when a socket needs a port and has none:
/// a client's `connect(2)` without `bind(2)`, or a `bind(2)` to port 0.
///
/// Reads [`RANGE_FILE`], which holds two numbers, the first and last port.
pub fn ephemeral_range() -> io::Result<RangeInclusive<u16>> {
    parse_range(&fs::read_to_string(RANGE_FILE)?)
}

fn parse_range(text: &str) -> io::Result<RangeInclusive<u16>> {
    let bad = || {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{RANGE_FILE}: {text:?}"),
        )
    };
    let mut ports = text
        .split_whitespace()
        .map(|n| n.parse::<u16>().map_err(|_| bad()));
    match (ports.next(), ports.next(), ports.next()) {
        (Some(first), Some(last), None) => Ok(first?..=last?),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_kernel_format() {
        assert_eq!(parse_range("32768\t60999\n").unwrap(), 32768..=60999);
    }

    #[test]
    fn rejects_anything_else() {
        for text in ["", "1", "1 2 3", "a b", "1 70000"] {
            assert_eq!(
                parse_range(text).unwrap_err().kind(),
                io::ErrorKind::InvalidData
            );
        }
    }

    #[test]
    fn this_kernel_has_a_sane_range() {
        let range = ephemeral_range().unwrap();
        assert!(range.start() <= range.end());
        assert!(*range.start() >= 1024, "{range:?}");
    }
}
