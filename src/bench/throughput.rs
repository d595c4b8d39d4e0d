//! Throughput: one thread sends messages of one size as fast as the kernel
//! takes them, another receives, and the receiver counts what arrived in
//! each window.
//!
//! This is iperf3's method: one sender and one receiver, the same buffer
//! sent again and again (no allocation per message), a `write(2)` or
//! `send(2)` of the message size and a `read(2)` or `recv(2)` into a buffer
//! of the same size. On a stream the reader may get less than a message
//! per call, or parts of two: it counts bytes.
//!
//! A datagram that the receiver's queue has no room for is dropped by the
//! kernel for UDP (counted in `Udp:RcvbufErrors`, see
//! [`crate::counters`]); for a Unix datagram socket the sender waits
//! instead (unix(7)). So for datagrams the receiver also reads how many
//! the sender sent, and each window reports the share that never arrived.
//! The count is not exact at a window's edge: the datagrams still queued
//! when a window closes count as sent and not received, and arrive in the
//! next window. A window of a Unix datagram socket can so show a small
//! "loss" that the kernel never made. (The kernel's own count of drops,
//! `SO_RXQ_OVFL` in socket(7), would be exact.)

use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::thread;

use super::stats::{Plan, Spread, Windows};
use super::transports::Transport;

/// Bytes in a mebibyte: throughput is in MiB/s, as iperf3's `-f M` prints.
pub const MIB: f64 = 1024.0 * 1024.0;

/// What one transport delivered with messages of one size.
#[derive(Debug, Clone, PartialEq)]
pub struct Throughput {
    /// MiB/s that reached the receiver, window by window.
    pub delivered: Spread,
    /// For datagrams, the share of the datagrams sent in each window that
    /// did not arrive (0 to 1); `None` for streams, which lose nothing.
    pub loss: Option<Spread>,
}

/// Measures `transport` with messages of `size` bytes over `plan`'s
/// windows.
///
/// A datagram larger than the transport allows fails at once with the
/// kernel's `EMSGSIZE` (for UDP over IPv4, anything above 65507 bytes; for
/// a Unix datagram socket, anything above its send buffer, `SO_SNDBUF`).
pub fn measure(transport: Transport, size: usize, plan: Plan) -> io::Result<Throughput> {
    let (mut sender, mut receiver) = transport.pair()?;
    let message = vec![0x5a; size];
    let mut buf = vec![0; size];
    if transport.is_datagram() {
        // One datagram there and back before the clock starts: one too
        // large fails here, at once. (A stream takes any size: a write
        // larger than its buffers waits for the reader.)
        sender.send_message(&message)?;
        receiver.recv_message(&mut buf)?;
    }

    let stop = AtomicBool::new(false);
    let sent = AtomicU64::new(0);
    thread::scope(|scope| {
        let sending = scope.spawn(|| -> io::Result<()> {
            let mut count = 0;
            while !stop.load(Relaxed) {
                match sender.send_message(&message) {
                    Ok(()) => {
                        count += 1;
                        sent.store(count, Relaxed);
                    }
                    // The receiver is gone: the measurement is over.
                    Err(_) if stop.load(Relaxed) => break,
                    Err(err) => return Err(err),
                }
            }
            Ok(())
        });

        let mut windows = Windows::start(plan);
        let (mut bytes, mut messages, mut sent_before) = (0u64, 0u64, 0u64);
        let (mut rates, mut losses) = (Vec::new(), Vec::new());
        let received = loop {
            if windows.done() {
                break Ok(());
            }
            match receiver.recv(&mut buf) {
                Ok(0) => break Err(io::ErrorKind::UnexpectedEof.into()),
                Ok(n) => {
                    bytes += n as u64;
                    messages += 1;
                }
                Err(err) => break Err(err),
            }
            if let Some(closed) = windows.lap() {
                let sent_now = sent.load(Relaxed);
                if !closed.warmup {
                    rates.push(bytes as f64 / MIB / closed.elapsed.as_secs_f64());
                    let sent = sent_now.saturating_sub(sent_before).max(1);
                    losses.push((1.0 - messages as f64 / sent as f64).clamp(0.0, 1.0));
                }
                (bytes, messages, sent_before) = (0, 0, sent_now);
            }
        };
        // Closing the receiver wakes a sender that waits for room.
        stop.store(true, Relaxed);
        drop(receiver);
        let sending = sending.join().expect("the sending thread panicked");
        received?;
        sending?;
        let spread = |values: Vec<f64>| {
            Spread::of(values).ok_or_else(|| io::Error::other("no window closed"))
        };
        Ok(Throughput {
            delivered: spread(rates)?,
            loss: match transport.is_datagram() {
                true => Some(spread(losses)?),
                false => None,
            },
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::stats::TEST_PLAN as PLAN;

    #[test]
    fn every_transport_delivers_and_streams_lose_nothing() {
        for transport in [
            Transport::Tcp,
            Transport::UnixStream,
            Transport::Udp,
            Transport::UnixDatagram,
        ] {
            let measured = measure(transport, 1024, PLAN).unwrap();
            assert_eq!(measured.delivered.samples.len(), 2);
            assert!(measured.delivered.min > 0.0, "{transport:?}: {measured:?}");
            assert_eq!(measured.loss.is_some(), transport.is_datagram());
        }
    }

    #[test]
    fn a_datagram_too_large_fails_with_emsgsize() {
        for transport in [Transport::Udp, Transport::UnixDatagram] {
            let err = measure(transport, 1 << 20, PLAN).unwrap_err();
            assert_eq!(err.raw_os_error(), Some(libc::EMSGSIZE), "{transport:?}");
        }
    }
}
