//! The physical limit: how fast this machine copies memory.
//!
//! A byte sent over loopback TCP is copied at least twice: from the
//! sender's buffer into the kernel's socket buffer by `write(2)`, and from
//! there into the receiver's buffer by `read(2)`. A Unix stream socket
//! copies it twice too. So a transport whose two copies run one after the
//! other on one processor cannot beat half the speed of `memcpy(3)`: that
//! is the copy limit the benchmark reports. (With the sender and the
//! receiver on two processors the two copies overlap, and the bound is
//! `memcpy` itself.)
//!
//! Which `memcpy`? A socket copies messages of one size from and into
//! buffers that the program uses again and again, so they stay in the
//! processor's caches: [`at_size`] copies a buffer of the message's size
//! into another, over and over, and its half is the copy limit at that
//! size. [`out_of_cache`] copies buffers larger than the caches, the speed
//! of main memory, for comparison.
//!
//! [`slice::copy_from_slice`] compiles to a call of `memcpy(3)`.

use std::hint::black_box;

use super::stats::{Plan, Spread, Windows};
use super::throughput::MIB;

/// The size of the source and destination of [`out_of_cache`]: 64 MiB
/// each, larger than the last-level cache of most machines.
pub const LARGE: usize = 64 << 20;

/// The MiB/s that `memcpy(3)` copies with a source and a destination of
/// `size` bytes each, window by window.
pub fn at_size(size: usize, plan: Plan) -> Spread {
    copying(size, size, plan)
}

/// The MiB/s that `memcpy(3)` copies between two buffers of [`LARGE`]
/// bytes, 1 MiB at a time, window by window: memory, not cache.
pub fn out_of_cache(plan: Plan) -> Spread {
    copying(LARGE, 1 << 20, plan)
}

/// Copies `buffer` bytes round from a source to a destination, `chunk`
/// bytes per `memcpy(3)`, reading the clock about every 64 KiB copied (a
/// clock read per 64-byte copy would cost more than the copy).
fn copying(buffer: usize, chunk: usize, plan: Plan) -> Spread {
    // Both filled, so that every page exists before the clock starts.
    let source = vec![0x5a_u8; buffer];
    let mut destination = vec![0xa5_u8; buffer];
    let per_lap = (64 << 10) / chunk;
    let mut windows = Windows::start(plan);
    let (mut offset, mut bytes) = (0, 0);
    let mut rates = Vec::new();
    while !windows.done() {
        for _ in 0..per_lap.max(1) {
            let range = offset..offset + chunk;
            destination[range.clone()].copy_from_slice(black_box(&source[range]));
            black_box(&mut destination);
            offset = (offset + chunk) % buffer;
            bytes += chunk;
        }
        if let Some(closed) = windows.lap() {
            if !closed.warmup {
                rates.push(bytes as f64 / MIB / closed.elapsed.as_secs_f64());
            }
            bytes = 0;
        }
    }
    Spread::of(rates).expect("every window closed with a rate")
}

/// The most a transport that copies every byte twice, one copy after the
/// other, can carry: half of `memcpy`'s bandwidth.
pub fn limit(memcpy: &Spread) -> Spread {
    memcpy.scaled(0.5)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::stats::TEST_PLAN as PLAN;

    #[test]
    fn copying_memory_takes_time_but_not_forever() {
        let memory = out_of_cache(PLAN);
        // More than 100 MiB/s even unoptimised on a loaded machine.
        assert!(memory.min > 100.0, "{memory:?}");
        assert_eq!(limit(&memory).median, memory.median / 2.0);
        let small = at_size(64, PLAN);
        assert!(small.min > 10.0, "{small:?}");
    }
}
