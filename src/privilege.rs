//! Which privileges the calling thread holds, and giving one up.
//!
//! Linux splits root's power into capabilities (capabilities(7)). Two of
//! them matter for sockets: `CAP_NET_RAW` to create a raw socket, and
//! `CAP_NET_BIND_SERVICE` to bind a port below
//! `net.ipv4.ip_unprivileged_port_start`. Capabilities belong to a
//! thread, not to a process: [`drop_effective`] on one thread leaves the
//! others as they were, which lets a listing play "an unprivileged user"
//! on a thread of its own.

use std::io;

/// Bind a port below `ip_unprivileged_port_start` (<linux/capability.h>: 10).
pub const CAP_NET_BIND_SERVICE: u32 = 10;
/// Configure interfaces, routes and network sysctls (<linux/capability.h>: 12).
pub const CAP_NET_ADMIN: u32 = 12;
/// Create raw and packet sockets (<linux/capability.h>: 13).
pub const CAP_NET_RAW: u32 = 13;

/// `_LINUX_CAPABILITY_VERSION_3`: 64 capability bits in two 32-bit words.
const VERSION_3: u32 = 0x2008_0522;

/// `struct __user_cap_header_struct` of <linux/capability.h>.
#[repr(C)]
struct Header {
    version: u32,
    pid: libc::c_int,
}

/// `struct __user_cap_data_struct` of <linux/capability.h>.
#[repr(C)]
#[derive(Clone, Copy, Default)]
struct Data {
    effective: u32,
    permitted: u32,
    inheritable: u32,
}

/// The three capability sets of the calling thread, with `capget(2)`.
fn get() -> io::Result<[Data; 2]> {
    let mut header = Header {
        version: VERSION_3,
        pid: 0,
    };
    let mut data = [Data::default(); 2];
    // SAFETY: header and data are the structures capget(2) expects, and
    // data has the two elements that version 3 writes.
    let status = unsafe { libc::syscall(libc::SYS_capget, &mut header, data.as_mut_ptr()) };
    if status < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(data)
}

fn word_and_bit(capability: u32) -> (usize, u32) {
    ((capability / 32) as usize, 1 << (capability % 32))
}

/// Whether the calling thread holds `capability` (for example
/// [`CAP_NET_RAW`]) in its effective set, the set the kernel checks.
/// Reads the sets with `capget(2)`; root normally holds them all.
pub fn has(capability: u32) -> io::Result<bool> {
    let (word, bit) = word_and_bit(capability);
    Ok(get()?[word].effective & bit != 0)
}

/// Removes `capability` from the effective set of the calling thread only,
/// with `capset(2)`. Other threads keep theirs. The capability stays in
/// the permitted set, so the thread could take it back; a listing simply
/// lets the thread end.
pub fn drop_effective(capability: u32) -> io::Result<()> {
    let (word, bit) = word_and_bit(capability);
    let mut data = get()?;
    data[word].effective &= !bit;
    let mut header = Header {
        version: VERSION_3,
        pid: 0,
    };
    // SAFETY: header and data are the structures capset(2) expects; pid 0
    // means the calling thread.
    let status = unsafe { libc::syscall(libc::SYS_capset, &mut header, data.as_ptr()) };
    if status < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread;

    #[test]
    fn dropping_on_one_thread_leaves_the_others_alone() {
        let before = has(CAP_NET_BIND_SERVICE).unwrap();
        let on_thread = thread::spawn(|| {
            drop_effective(CAP_NET_BIND_SERVICE).unwrap();
            has(CAP_NET_BIND_SERVICE).unwrap()
        })
        .join()
        .unwrap();
        assert!(!on_thread);
        assert_eq!(has(CAP_NET_BIND_SERVICE).unwrap(), before);
    }

    #[test]
    fn agrees_with_proc_status() {
        let status = std::fs::read_to_string("/proc/thread-self/status").unwrap();
        let hex = status
            .lines()
            .find_map(|line| line.strip_prefix("CapEff:"))
            .unwrap()
            .trim();
        let effective = u64::from_str_radix(hex, 16).unwrap();
        for capability in [CAP_NET_RAW, CAP_NET_BIND_SERVICE, CAP_NET_ADMIN] {
            assert_eq!(has(capability).unwrap(), effective & (1 << capability) != 0);
        }
    }
}
