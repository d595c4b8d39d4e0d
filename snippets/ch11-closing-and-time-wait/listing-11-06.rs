// ANCHOR: all
use std::io::Read;
use std::time::Duration;

use sockbook::closing::{self, TIME_WAIT_LEN};
use sockbook::state::{self, State, Timer};
use sockbook::{loopback, netns};

/// 关闭一条连接（客户端先关），返回客户端在 FIN_WAIT2 和 TIME_WAIT 时的定时器
fn timers() -> (Option<Timer>, Option<Timer>) {
    let listener = loopback::listener().unwrap();
    let port = listener.local_addr().unwrap().port();
    let client = loopback::connect(listener.local_addr().unwrap()).unwrap();
    let (mut server, client_addr) = listener.accept().unwrap();
    let timer_in = |wanted: State| {
        let sockets = state::wait_until(port, |sockets| {
            sockets
                .iter()
                .any(|s| s.local == client_addr && s.state == wanted)
        })
        .unwrap();
        sockets
            .iter()
            .find(|s| s.local == client_addr)
            .unwrap()
            .timer
    };
    drop(client);
    let fin_wait2 = timer_in(State::FinWait2);
    assert_eq!(server.read(&mut [0; 1]).unwrap(), 0);
    drop(server);
    (fin_wait2, timer_in(State::TimeWait))
}

/// TIME_WAIT 定时器剩下的时间：总是不到 60 秒、多于 50 秒
fn assert_sixty_seconds(timer: Option<Timer>) {
    match timer {
        Some(Timer::TimeWait(left)) => {
            assert!(left <= TIME_WAIT_LEN && left > TIME_WAIT_LEN - Duration::from_secs(10));
        }
        other => panic!("unexpected TIME_WAIT timer {other:?}"),
    }
}

fn main() {
    let host = closing::fin_timeout().unwrap();
    println!("host: net.ipv4.tcp_fin_timeout = {host:?}");

    // 在私有命名空间里改 tcp_fin_timeout，主机上的设置不受影响
    let outcome = netns::isolated(|| {
        // 调到 7 秒：FIN_WAIT2 只等 7 秒，TIME_WAIT 仍是 60 秒
        closing::set_fin_timeout(Duration::from_secs(7)).unwrap();
        let (fin_wait2, time_wait) = timers();
        println!("tcp_fin_timeout 7 s: FIN_WAIT2 {fin_wait2:?}, TIME_WAIT {time_wait:?}");
        match fin_wait2 {
            Some(Timer::TimeWait(left)) => {
                assert!(left <= Duration::from_secs(7) && left > Duration::from_secs(2));
            }
            other => panic!("unexpected FIN_WAIT2 timer {other:?}"),
        }
        assert_sixty_seconds(time_wait);

        // 调到 90 秒：多出 60 秒的 30 秒先由 keepalive 定时器计，TIME_WAIT 还是 60 秒
        closing::set_fin_timeout(Duration::from_secs(90)).unwrap();
        let (fin_wait2, time_wait) = timers();
        println!("tcp_fin_timeout 90 s: FIN_WAIT2 {fin_wait2:?}, TIME_WAIT {time_wait:?}");
        match fin_wait2 {
            Some(Timer::KeepAlive(left)) => {
                assert!(left <= Duration::from_secs(30) && left > Duration::from_secs(25));
            }
            other => panic!("unexpected FIN_WAIT2 timer {other:?}"),
        }
        assert_sixty_seconds(time_wait);
    });
    match outcome {
        Ok(()) => assert_eq!(closing::fin_timeout().unwrap(), host),
        Err(why) => netns::skip("changing tcp_fin_timeout in a private namespace", &why),
    }
}
// ANCHOR_END: all
