// ANCHOR: all
use sockbook::layers::{self, Carrier, Five, Osi, TcpIp};
use socket2::{Domain, Socket, Type};

fn main() {
    // 两个模型并排：TCP/IP 的每一层盖住哪几个 OSI 层，层里有哪些协议
    for layer in TcpIp::ALL.into_iter().rev() {
        let osi: Vec<u8> = layer.osi().into_iter().map(Osi::number).collect();
        let names: Vec<&str> = layers::protocols_of(layer).map(|p| p.name).collect();
        println!("{layer:?} = OSI {osi:?}: {names:?}");
    }
    // OSI 的会话层、表示层在 TCP/IP 里并入应用层；物理层和数据链路层并成链路层
    assert_eq!(
        TcpIp::Application.osi(),
        [Osi::Session, Osi::Presentation, Osi::Application]
    );
    assert_eq!(TcpIp::Link.osi(), [Osi::Physical, Osi::DataLink]);
    // 五层模型只是把链路层重新拆开
    assert_eq!(Five::DataLink.osi(), [Osi::DataLink]);
    assert_eq!(Five::Application.osi(), TcpIp::Application.osi());

    // 文档 002：TCP 之上的应用协议，UDP 之上的应用协议
    for name in ["Telnet", "FTP", "SMTP", "HTTP", "POP3"] {
        let p = layers::protocol(name).unwrap();
        assert_eq!(p.layer, TcpIp::Application, "{name}");
        assert!(matches!(p.carrier, Carrier::Tcp(_)), "{name}");
    }
    for name in ["NFS", "SNMP", "DNS", "TFTP", "DHCP"] {
        let p = layers::protocol(name).unwrap();
        assert_eq!(p.layer, TcpIp::Application, "{name}");
        assert!(
            matches!(p.carrier, Carrier::Udp(_) | Carrier::TcpAndUdp(_)),
            "{name}"
        );
    }
    // DNS 不只用 UDP：同一个 53 号端口，TCP 上也有
    assert_eq!(
        layers::protocol("DNS").unwrap().carrier,
        Carrier::TcpAndUdp(53)
    );

    // 规律：有端口的协议都在应用层；传输层和网际层的协议没有端口，
    // 它们由下一层首部里的一个号码区分
    for p in layers::PROTOCOLS {
        assert_eq!(
            p.carrier.port().is_some(),
            p.layer == TcpIp::Application,
            "{}",
            p.name
        );
    }
    for p in layers::protocols_of(TcpIp::Transport) {
        assert!(p.carrier.ip_protocol().is_some(), "{}", p.name);
    }
    // OSPF 直接装在 IP 包里（协议号 89），没有端口，不是应用层协议
    let ospf = layers::protocol("OSPF").unwrap();
    assert_eq!(ospf.carrier, Carrier::Ip(89));
    assert_eq!(ospf.carrier.port(), None);
    assert_eq!(ospf.layer, TcpIp::Internet);

    // 再问内核：SOCK_STREAM、SOCK_DGRAM 默认用的协议号，正是表里 TCP、UDP 的号码
    for (kind, name) in [(Type::STREAM, "TCP"), (Type::DGRAM, "UDP")] {
        let socket = Socket::new(Domain::IPV4, kind, None).unwrap();
        let number = i32::from(socket.protocol().unwrap().unwrap());
        let table = layers::protocol(name)
            .unwrap()
            .carrier
            .ip_protocol()
            .unwrap();
        println!("{kind:?}: kernel {number}, table {name} = {table}");
        assert_eq!(number, i32::from(table));
    }
}
// ANCHOR_END: all
