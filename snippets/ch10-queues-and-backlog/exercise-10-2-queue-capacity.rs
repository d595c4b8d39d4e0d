// ANCHOR: all
//! 练习 10-2：预言 accept 队列放得下几个连接。
use std::io;

use sockbook::backlog;

/// 预言：`listen(fd, backlog)` 之后，没有人 `accept()` 时，这个监听套接字的
/// accept 队列能放下几个已完成的连接，再来的 SYN 就被丢掉。
/// 要考虑内核怎样截断 backlog（示例 10-1），以及它怎样判断“满了”（示例 10-2）。
/// `net.core.somaxconn` 用 `sockbook::backlog::sysctl_number` 读。
pub fn capacity(backlog: i32) -> io::Result<u32> {
    // ANCHOR: solution
    let somaxconn = backlog::sysctl_number("net.core.somaxconn")?;
    // 内核把 backlog 当作无符号数和 somaxconn 比较：-1 就成了一个极大的数
    let kept = (backlog as u32).min(somaxconn as u32);
    // 队列长度“大于” backlog 才算满，所以还能多放一个
    Ok(kept + 1)
    // ANCHOR_END: solution
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use std::io;
    use std::net::TcpListener;

    use sockbook::state::{self, State};
    use sockbook::{backlog, counters, handshake, timeout};

    /// 量一量：一个接一个地发起非阻塞的 connect()，每次等内核给出结果：
    /// 客户端一端 ESTABLISHED，就算进了队列；“监听溢出”计数加一而客户端
    /// 停在 SYN_SENT，就是 SYN 被丢掉了。返回进了队列的个数。
    fn measure(listener: &TcpListener) -> io::Result<u32> {
        let addr = listener.local_addr()?;
        let mut clients = Vec::new();
        loop {
            let overflows = counters::counter("TcpExt", "ListenOverflows")?;
            let client = handshake::connect_in_progress(addr)?;
            let me = client.local_addr()?.as_socket().unwrap();
            let state = timeout::poll_until(
                || {
                    let state = state::find(me, addr)?.map(|socket| socket.state);
                    let overflowed = counters::counter("TcpExt", "ListenOverflows")? > overflows;
                    Ok((state, overflowed))
                },
                |(state, overflowed)| {
                    *state == Some(State::Established)
                        || (*overflowed && *state == Some(State::SynSent))
                },
                |last| format!("no outcome for client {me}: {last:?}"),
            )?
            .0;
            if state != Some(State::Established) {
                return Ok(clients.len() as u32);
            }
            clients.push(client);
            if clients.len() > 64 {
                return Err(io::Error::other("the queue never filled"));
            }
        }
    }

    /// 对几个小的 backlog，预言和实测一致。
    #[test]
    fn agrees_with_the_kernel_for_small_backlogs() {
        for asked in [0, 1, 2, 5] {
            let listener = backlog::listener(asked).unwrap();
            let predicted = super::capacity(asked).unwrap();
            let measured = measure(&listener).unwrap();
            println!("backlog {asked}: predicted {predicted}, measured {measured}");
            assert_eq!(predicted, measured, "backlog {asked}");
        }
    }

    /// 负数和极大的 backlog：和内核实际采用的 backlog（Send-Q）对得上。
    #[test]
    fn negative_and_huge_backlogs() {
        for asked in [-1, i32::MAX] {
            let listener = backlog::listener(asked).unwrap();
            let addr = listener.local_addr().unwrap();
            let sockets = state::on_port(addr.port()).unwrap();
            let listening = sockets.iter().find(|s| s.state == State::Listen).unwrap();
            assert_eq!(
                super::capacity(asked).unwrap(),
                listening.send_queue + 1,
                "backlog {asked}"
            );
        }
    }
}
// ANCHOR_END: tests
// ANCHOR_END: all
