// ANCHOR: all
use std::time::Duration;

use sockbook::bench::stats::Plan;
use sockbook::bench::throughput;
use sockbook::bench::transports::Transport;

fn main() {
    // 两个 15 毫秒的窗口，前面还有一个热身窗口
    let plan = Plan {
        count: 2,
        length: Duration::from_millis(15),
    };
    for transport in [Transport::Tcp, Transport::UnixStream] {
        let small = throughput::measure(transport, 64, plan).unwrap();
        let large = throughput::measure(transport, 64 << 10, plan).unwrap();
        let (small, large) = (small.delivered.median, large.delivered.median);
        println!(
            "{}: 64 B writes {small:.1} MiB/s, 64 KiB writes {large:.1} MiB/s ({:.0}x)",
            transport.name(),
            large / small
        );
        // 同一种传输，只换每次写的大小：差十倍以上
        assert!(large > 10.0 * small, "{}", transport.name());
    }
}
// ANCHOR_END: all
