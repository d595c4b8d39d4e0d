// ANCHOR: all
use std::io::{self, Read, Write};

use nix::sys::socket::{setsockopt, sockopt};
use sockbook::counters::Counters;
use sockbook::state::{self, State};
use sockbook::{loopback, netns};

fn main() {
    let outcome = netns::isolated(|| {
        let listener = loopback::listener().unwrap();
        let addr = listener.local_addr().unwrap();
        let mut client = loopback::connect(addr).unwrap();
        let (server, _) = listener.accept().unwrap();
        let me = client.local_addr().unwrap();

        // 让服务器这一端“失忆”：修复模式（TCP_REPAIR，进程迁移工具 CRIU 用它）下的
        // close() 一个段也不发，连接就从内核里消失了，好比服务器主机崩溃后重启
        setsockopt(&server, sockopt::TcpRepair, &1).unwrap();
        let before = Counters::read().unwrap();
        drop(server);
        let delta = Counters::read().unwrap().since(&before);
        // 没有 FIN，也没有 RST
        assert_eq!(delta.get("Tcp", "OutSegs"), Some(0));
        // 服务器的内核不再知道这条连接，客户端的内核还以为一切正常
        assert_eq!(state::find(addr, me).unwrap(), None);
        let ours = state::find(me, addr).unwrap().unwrap();
        assert_eq!(ours.state, State::Established);

        // 客户端照常写：write() 成功，数据只是交给了自己的内核
        let before = Counters::read().unwrap();
        assert_eq!(client.write(b"hello?").unwrap(), 6);
        // 服务器一方收到一个不属于任何连接的段，回了 RST
        let err = client.read(&mut [0; 16]).unwrap_err();
        let delta = Counters::read().unwrap().since(&before);
        println!("read: {err}; {:?}", delta.moved());
        assert_eq!(err.kind(), io::ErrorKind::ConnectionReset);
        assert_eq!(err.raw_os_error(), Some(libc::ECONNRESET));
        assert_eq!(delta.get("Tcp", "OutSegs"), Some(2)); // 数据段，和回来的 RST
        assert_eq!(delta.get("Tcp", "OutRsts"), Some(1));
        assert_eq!(delta.get("Tcp", "EstabResets"), Some(1));
        // 现在客户端这一端也没了
        assert_eq!(state::find(me, addr).unwrap(), None);
    });
    if let Err(why) = outcome {
        netns::skip("a connection forgotten in a private namespace", &why);
    }
}
// ANCHOR_END: all
