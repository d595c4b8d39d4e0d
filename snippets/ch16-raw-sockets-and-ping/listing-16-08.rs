// ANCHOR: all
use std::fs;
use std::io;
use std::net::UdpSocket;
use std::os::fd::AsRawFd;
use std::path::Path;

use sockbook::{layers, netns};

const MRT_INIT: libc::c_int = 200; // <linux/mroute.h>：接管组播路由
const MC_FORWARDING: &str = "/proc/sys/net/ipv4/conf/all/mc_forwarding";

/// setsockopt(fd, IPPROTO_IP, MRT_INIT, 1)：宣布“我是组播路由程序”
fn mrt_init(fd: &impl AsRawFd) -> Result<(), i32> {
    let on: libc::c_int = 1;
    // SAFETY: 选项值是一个 int，长度如实给出
    let status = unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            libc::IPPROTO_IP,
            MRT_INIT,
            (&on as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if status < 0 {
        return Err(io::Error::last_os_error().raw_os_error().unwrap());
    }
    Ok(())
}

fn forwarding() -> String {
    fs::read_to_string(MC_FORWARDING)
        .unwrap()
        .trim()
        .to_string()
}

fn main() {
    let outcome = netns::isolated(|| {
        // 主机上的 IGMP 由内核自己说：lo 上用的是第 3 版（/proc/thread-self/net 属于本线程的命名空间）
        let igmp = fs::read_to_string("/proc/thread-self/net/igmp").unwrap();
        let lo = igmp
            .lines()
            .find(|line| line.split_whitespace().nth(1) == Some("lo"))
            .unwrap();
        println!("{lo}");
        assert!(lo.trim_end().ends_with("V3"));

        if !Path::new("/proc/thread-self/net/ip_mr_vif").exists() {
            println!("this kernel has no multicast routing (CONFIG_IP_MROUTE)");
            return;
        }
        assert_eq!(forwarding(), "0");
        // 只有 IGMP 的原始套接字能接管组播路由
        let udp = UdpSocket::bind("127.0.0.1:0").unwrap();
        assert_eq!(mrt_init(&udp), Err(libc::EOPNOTSUPP));
        let icmp = layers::raw(1).unwrap();
        assert_eq!(mrt_init(&icmp), Err(libc::EOPNOTSUPP));
        let router = layers::raw(2).unwrap(); // 协议号 2：IGMP
        assert_eq!(mrt_init(&router), Ok(()));
        assert_eq!(forwarding(), "1"); // 从此内核开始转发组播
                                       // 一个网络命名空间只能有一个组播路由程序
        let second = layers::raw(2).unwrap();
        assert_eq!(mrt_init(&second), Err(libc::EADDRINUSE));
        // 路由程序的套接字关了，转发也就停了
        drop(router);
        assert_eq!(forwarding(), "0");
        println!("MRT_INIT: ok on a raw IGMP socket only; mc_forwarding followed it");
    });
    if let Err(why) = outcome {
        netns::skip("a multicast router's raw IGMP socket", &why);
    }
}
// ANCHOR_END: all
