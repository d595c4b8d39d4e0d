// ANCHOR: all
use std::io::IoSliceMut;
use std::os::fd::AsRawFd;

use nix::sys::socket::{recvmsg, setsockopt, sockopt, ControlMessageOwned, MsgFlags, SockaddrIn};
use sockbook::datagram;
use socket2::SockRef;

const SENT: usize = 64;
const SIZE: usize = 200;

fn main() {
    let rx = datagram::bind().unwrap();
    let tx = datagram::bind().unwrap();
    let to = rx.local_addr().unwrap();

    // 把接收缓冲区调小（内核会把请求的值翻倍，并有一个下限）
    SockRef::from(&rx).set_recv_buffer_size(4096).unwrap();
    let rcvbuf = SockRef::from(&rx).recv_buffer_size().unwrap();
    // 请内核在每个收到的数据报上附带“到目前为止丢了几个”（SO_RXQ_OVFL）
    setsockopt(&rx, sockopt::RxqOvfl, &1).unwrap();

    // 连发 64 个 200 字节的数据报，其间接收方一个也不读
    for seq in 0..SENT {
        assert_eq!(tx.send_to(&[seq as u8; SIZE], to).unwrap(), SIZE);
    }

    // 现在才去读：把队列里的都取出来，不等新的
    rx.peek(&mut [0; 1]).unwrap(); // 至少等到第一个（有时限）
    let mut buf = [0u8; SIZE];
    let mut received = datagram::drain(&rx, &mut buf).unwrap().len();

    // 再发一个“探针”：队列已空，它一定放得下；它带回的计数就是此前丢掉的总数
    tx.send_to(b"probe", to).unwrap();
    let overflow = loop {
        let mut iov = [IoSliceMut::new(&mut buf)];
        let mut space = nix::cmsg_space!(u32);
        let fd = rx.as_raw_fd();
        let msg = recvmsg::<SockaddrIn>(fd, &mut iov, Some(&mut space), MsgFlags::empty()).unwrap();
        let counter = msg.cmsgs().unwrap().find_map(|cmsg| match cmsg {
            ControlMessageOwned::RxqOvfl(n) => Some(n as usize),
            _ => None,
        });
        if msg.bytes == 5 {
            break counter.unwrap_or(0); // 没有附带计数，表示一个也没丢
        }
        received += 1; // 探针之前还有迟到的数据报，也算收到
    };
    let drops = datagram::drops(&rx).unwrap() as usize; // SO_MEMINFO 里的同一个计数器

    println!("SO_RCVBUF {rcvbuf}: sent {SENT}, received {received}, dropped {drops}");
    // 请求 4096，内核把它翻倍
    assert_eq!(rcvbuf, 2 * 4096);
    // 丢了：发送方 64 次 sendto() 全部成功，接收方只收到其中一部分
    assert!(received >= 1);
    assert!(received < SENT, "nothing was dropped");
    // 队列满的时候，里面的数据远不到 8192 字节：每个数据报占的内存比它的数据多
    assert!(
        received * SIZE < rcvbuf,
        "{received} datagrams of {SIZE} bytes"
    );
    // 内核记着账：丢掉的个数正好是发出的减去收到的
    assert_eq!(overflow, SENT - received);
    assert_eq!(drops, SENT - received);
}
// ANCHOR_END: all
