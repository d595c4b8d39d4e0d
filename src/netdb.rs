//! The system's tables of protocol numbers and service ports, read through
//! the C library's own lookups.
//!
//! `/etc/protocols` (protocols(5)) maps names such as `tcp` to the numbers
//! the IP header carries in its protocol field; `/etc/services`
//! (services(5)) maps service names such as `http` to a port and a
//! transport protocol. On Debian both files come from the `netbase`
//! package. Reading them through the C library, rather than parsing the
//! files here, gives the answers every C program on the machine gets,
//! including the `nsswitch.conf(5)` configuration.
//!
//! Only the reentrant `_r` variants are used: the plain `getprotobyname(3)`
//! and its kin return a pointer to one static buffer, which threads
//! running at the same time (as tests do) would overwrite under each
//! other's feet.

use std::ffi::{c_char, c_int, CStr, CString};
use std::io;
use std::ptr;

// glibc declares these in <netdb.h>; the `libc` crate has the structures
// but not the reentrant functions.
extern "C" {
    fn getprotobyname_r(
        name: *const c_char,
        result_buf: *mut libc::protoent,
        buf: *mut c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::protoent,
    ) -> c_int;
    fn getprotobynumber_r(
        proto: c_int,
        result_buf: *mut libc::protoent,
        buf: *mut c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::protoent,
    ) -> c_int;
    fn getservbyname_r(
        name: *const c_char,
        proto: *const c_char,
        result_buf: *mut libc::servent,
        buf: *mut c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::servent,
    ) -> c_int;
    fn getservbyport_r(
        port: c_int,
        proto: *const c_char,
        result_buf: *mut libc::servent,
        buf: *mut c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::servent,
    ) -> c_int;
}

/// One line of `/etc/protocols`: an IP protocol number and its names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Protocol {
    /// The official name, in lower case: `tcp`, `ospf`.
    pub name: String,
    /// Other names, usually the upper-case name of the standard: `TCP`, `OSPFIGP`.
    pub aliases: Vec<String>,
    /// The number in the IP header's protocol field (IPv6: next header).
    pub number: i32,
}

/// One line of `/etc/services`: a service's port for one transport protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// The official name: `http`, `domain`, `bootps`.
    pub name: String,
    /// Other names: `www` for `http`.
    pub aliases: Vec<String>,
    /// The port, in host byte order.
    pub port: u16,
    /// The transport protocol this port belongs to: `tcp` or `udp`.
    pub protocol: String,
}

/// The protocol named `name` (`"tcp"`, `"OSPFIGP"`...), with
/// `getprotobyname_r(3)`. `Ok(None)` if the table has no such name.
pub fn protocol_by_name(name: &str) -> io::Result<Option<Protocol>> {
    let name = c_string(name)?;
    lookup(|entry, buf, len, found| {
        // SAFETY: every pointer is valid for the call; buf holds len bytes.
        unsafe { getprotobyname_r(name.as_ptr(), entry, buf, len, found) }
    })
    .map(|entry| entry.map(|entry| protocol(&entry)))
}

/// The protocol with IP protocol number `number`, with
/// `getprotobynumber_r(3)`. `Ok(None)` if the table has no such number.
pub fn protocol_by_number(number: i32) -> io::Result<Option<Protocol>> {
    lookup(|entry, buf, len, found| {
        // SAFETY: every pointer is valid for the call; buf holds len bytes.
        unsafe { getprotobynumber_r(number, entry, buf, len, found) }
    })
    .map(|entry| entry.map(|entry| protocol(&entry)))
}

/// The service named `name` on transport `protocol` (`"tcp"` or `"udp"`),
/// with `getservbyname_r(3)`. `Ok(None)` if the table has no such pair.
pub fn service_by_name(name: &str, protocol: &str) -> io::Result<Option<Service>> {
    let (name, proto) = (c_string(name)?, c_string(protocol)?);
    lookup(|entry, buf, len, found| {
        // SAFETY: every pointer is valid for the call; buf holds len bytes.
        unsafe { getservbyname_r(name.as_ptr(), proto.as_ptr(), entry, buf, len, found) }
    })
    .map(|entry| entry.map(|entry| service(&entry)))
}

/// The service on `port` of transport `protocol` (`"tcp"` or `"udp"`),
/// with `getservbyport_r(3)`. `Ok(None)` if the table has no such pair.
pub fn service_by_port(port: u16, protocol: &str) -> io::Result<Option<Service>> {
    let proto = c_string(protocol)?;
    // getservbyport takes the port in network byte order, in an int.
    let net_port = c_int::from(port.to_be());
    lookup(|entry, buf, len, found| {
        // SAFETY: every pointer is valid for the call; buf holds len bytes.
        unsafe { getservbyport_r(net_port, proto.as_ptr(), entry, buf, len, found) }
    })
    .map(|entry| entry.map(|entry| service(&entry)))
}

/// Runs one `_r` lookup, growing the caller's buffer while it is too
/// small (`ERANGE`), and copies nothing: the caller converts the entry
/// while the buffer it points into is alive.
fn lookup<E, F>(mut call: F) -> io::Result<Option<Owned<E>>>
where
    F: FnMut(*mut E, *mut c_char, libc::size_t, *mut *mut E) -> c_int,
{
    let mut buf = vec![0 as c_char; 1024];
    loop {
        // SAFETY: protoent and servent are plain C structures; all zeroes
        // (null pointers, zero numbers) is a valid value.
        let mut entry: E = unsafe { std::mem::zeroed() };
        let mut found: *mut E = ptr::null_mut();
        let status = call(&mut entry, buf.as_mut_ptr(), buf.len(), &mut found);
        match status {
            libc::ERANGE if buf.len() < 1 << 20 => buf.resize(buf.len() * 2, 0),
            // glibc reports "not found" as a null result, with 0 or ENOENT.
            0 | libc::ENOENT if found.is_null() => return Ok(None),
            0 => return Ok(Some(Owned { entry, _buf: buf })),
            errno => return Err(io::Error::from_raw_os_error(errno)),
        }
    }
}

/// An entry and the buffer its strings live in.
struct Owned<E> {
    entry: E,
    _buf: Vec<c_char>,
}

fn protocol(owned: &Owned<libc::protoent>) -> Protocol {
    let entry = &owned.entry;
    // SAFETY: the C library filled entry with pointers into owned._buf.
    unsafe {
        Protocol {
            name: text(entry.p_name),
            aliases: list(entry.p_aliases),
            number: entry.p_proto,
        }
    }
}

fn service(owned: &Owned<libc::servent>) -> Service {
    let entry = &owned.entry;
    // SAFETY: the C library filled entry with pointers into owned._buf.
    unsafe {
        Service {
            name: text(entry.s_name),
            aliases: list(entry.s_aliases),
            // s_port holds the port in network byte order in its low 16 bits.
            port: u16::from_be(entry.s_port as u16),
            protocol: text(entry.s_proto),
        }
    }
}

/// # Safety
/// `s` is a valid NUL-terminated string.
unsafe fn text(s: *const c_char) -> String {
    CStr::from_ptr(s).to_string_lossy().into_owned()
}

/// # Safety
/// `list` is a valid null-terminated array of NUL-terminated strings.
unsafe fn list(list: *mut *mut c_char) -> Vec<String> {
    let mut names = Vec::new();
    let mut at = list;
    while !(*at).is_null() {
        names.push(text(*at));
        at = at.add(1);
    }
    names
}

fn c_string(s: &str) -> io::Result<CString> {
    CString::new(s).map_err(|err| io::Error::new(io::ErrorKind::InvalidInput, err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocols_by_name_and_number_agree() {
        for (name, number) in [("icmp", 1), ("tcp", 6), ("udp", 17), ("ospf", 89)] {
            let by_name = protocol_by_name(name).unwrap().unwrap();
            assert_eq!(by_name.number, number);
            assert_eq!(protocol_by_number(number).unwrap().unwrap(), by_name);
        }
        assert_eq!(protocol_by_name("TCP").unwrap().unwrap().name, "tcp");
    }

    #[test]
    fn unknown_protocols_are_none() {
        assert_eq!(protocol_by_name("no-such-protocol").unwrap(), None);
        assert_eq!(protocol_by_number(253).unwrap(), None);
    }

    #[test]
    fn services_by_name_and_port_agree() {
        let http = service_by_name("http", "tcp").unwrap().unwrap();
        assert_eq!(http.port, 80);
        assert_eq!(http.protocol, "tcp");
        assert!(http.aliases.iter().any(|alias| alias == "www"));
        assert_eq!(service_by_port(80, "tcp").unwrap().unwrap(), http);
        assert_eq!(service_by_name("www", "tcp").unwrap().unwrap(), http);
        assert_eq!(service_by_port(53, "udp").unwrap().unwrap().name, "domain");
    }

    #[test]
    fn unknown_services_are_none() {
        assert_eq!(service_by_name("no-such-service", "tcp").unwrap(), None);
        assert_eq!(service_by_port(1024, "tcp").unwrap(), None);
        assert_eq!(service_by_name("tftp", "tcp").unwrap(), None);
    }

    #[test]
    fn lookups_from_many_threads_do_not_mix() {
        let threads: Vec<_> = (0..8)
            .map(|i| {
                std::thread::spawn(move || {
                    let (name, port) = if i % 2 == 0 {
                        ("ssh", 22)
                    } else {
                        ("smtp", 25)
                    };
                    for _ in 0..200 {
                        assert_eq!(service_by_port(port, "tcp").unwrap().unwrap().name, name);
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
    }
}
