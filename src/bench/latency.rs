//! Latency: a ping-pong. One thread sends a message and waits for it to
//! come back; the other echoes each message it receives. The time from the
//! `write(2)` or `send(2)` to the end of the last `read(2)` or `recv(2)` of
//! the answer is one round trip.
//!
//! This is what sockperf's `ping-pong` mode measures, except that sockperf
//! reports half the round trip ("latency") and we report the whole of it.
//! Each window reports the median round trip of the window: a median
//! ignores the few round trips that another program's time slice
//! stretched.

use std::io;
use std::thread;
use std::time::Instant;

use super::stats::{median_of_sorted, Plan, Spread, Windows};
use super::transports::{Endpoint, Transport};

/// The round-trip time in microseconds of `size`-byte messages over
/// `transport`, window by window.
pub fn measure(transport: Transport, size: usize, plan: Plan) -> io::Result<Spread> {
    let (mut client, mut server) = transport.pair()?;
    thread::scope(|scope| {
        let echo = scope.spawn(move || -> io::Result<()> {
            let mut buf = vec![0; size];
            while server.recv_message(&mut buf)? {
                server.send_message(&buf)?;
            }
            Ok(())
        });
        let pinged = ping(&mut client, size, plan);
        // The echoing peer sees the end and stops.
        let finished = client.finish();
        echo.join().expect("the echo thread panicked")?;
        finished?;
        pinged
    })
}

/// Sends, waits for the echo, and keeps the median round trip of each
/// window.
fn ping(client: &mut Endpoint, size: usize, plan: Plan) -> io::Result<Spread> {
    let message = vec![0x5a; size];
    let mut answer = vec![0; size];
    let mut round_trips = Vec::with_capacity(1 << 16);
    let mut medians = Vec::new();
    let mut windows = Windows::start(plan);
    while !windows.done() {
        let sent = Instant::now();
        client.send_message(&message)?;
        if !client.recv_message(&mut answer)? {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        round_trips.push(sent.elapsed().as_secs_f64() * 1e6);
        if let Some(closed) = windows.lap() {
            if !closed.warmup {
                round_trips.sort_by(f64::total_cmp);
                medians.push(median_of_sorted(&round_trips));
            }
            round_trips.clear();
        }
    }
    Spread::of(medians).ok_or_else(|| io::Error::other("no window closed"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bench::stats::TEST_PLAN;

    #[test]
    fn every_transport_answers_in_a_positive_time() {
        for transport in [
            Transport::TcpNoDelay,
            Transport::Tcp,
            Transport::UnixStream,
            Transport::Udp,
            Transport::UnixDatagram,
        ] {
            let rtt = measure(transport, 64, TEST_PLAN).unwrap();
            assert_eq!(rtt.samples.len(), 2);
            assert!(rtt.min > 0.0, "{transport:?}: {rtt:?}");
            assert!(rtt.max < 1e6, "{transport:?}: {rtt:?}");
        }
    }
}
