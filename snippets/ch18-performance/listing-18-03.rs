// ANCHOR: all
use std::os::unix::net::UnixDatagram;

use socket2::SockRef;

/// 发一个 size 字节的数据报：成功就收下来核对长度，失败必须是 EMSGSIZE
fn fits(sender: &UnixDatagram, receiver: &UnixDatagram, size: usize) -> bool {
    match sender.send(&vec![0x5a; size]) {
        Ok(sent) => {
            assert_eq!(sent, size);
            let mut buf = vec![0; size];
            assert_eq!(receiver.recv(&mut buf).unwrap(), size);
            true
        }
        Err(err) => {
            assert_eq!(err.raw_os_error(), Some(libc::EMSGSIZE), "{err}");
            false
        }
    }
}

fn main() {
    let (sender, receiver) = UnixDatagram::pair().unwrap();
    sockbook::timeout::bound(&sender).unwrap();
    sockbook::timeout::bound(&receiver).unwrap();
    let send_buffer = SockRef::from(&sender).send_buffer_size().unwrap();

    // 比 UDP 的上限 65507 字节还大，照样发得出去
    assert!(fits(&sender, &receiver, 64 << 10));
    // 和发送缓冲区一样大的数据报，内核拒绝
    assert!(!fits(&sender, &receiver, send_buffer));

    // 二分查找：能发出的最大数据报
    let (mut low, mut high) = (64 << 10, send_buffer);
    while high - low > 1 {
        let middle = (low + high) / 2;
        if fits(&sender, &receiver, middle) {
            low = middle;
        } else {
            high = middle;
        }
    }
    println!("SO_SNDBUF = {send_buffer} bytes; largest Unix datagram = {low} bytes");
    // 上限由 SO_SNDBUF 决定，只差一点点
    assert!(low < send_buffer && send_buffer - low < 1024);
}
// ANCHOR_END: all
