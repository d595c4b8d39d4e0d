// ANCHOR: all
use sockbook::netdb;

/// 文档表格里的一行，以及 /etc/services 里应当查到的服务名
struct Row {
    document: &'static str,
    port: u16,
    transport: &'static str,
    says: &'static str,
    expected: Option<&'static str>,
}

const fn row(
    document: &'static str,
    port: u16,
    transport: &'static str,
    says: &'static str,
    expected: Option<&'static str>,
) -> Row {
    Row {
        document,
        port,
        transport,
        says,
        expected,
    }
}

const ROWS: &[Row] = &[
    // 文档 002 的“常见端口号”
    row("002", 21, "tcp", "FTP", Some("ftp")),
    row("002", 23, "tcp", "Telnet", Some("telnet")),
    row("002", 25, "tcp", "SMTP", Some("smtp")),
    row("002", 53, "tcp", "DNS", Some("domain")),
    row("002", 53, "udp", "DNS", Some("domain")),
    row("002", 67, "udp", "DHCP request", Some("bootps")),
    row("002", 68, "udp", "DHCP service", Some("bootpc")),
    row("002", 80, "tcp", "Web", Some("http")),
    row("002", 110, "tcp", "POP3", Some("pop3")),
    row("002", 135, "tcp", "RPC (DCOM)", Some("epmap")),
    row("002", 137, "udp", "file sharing", Some("netbios-ns")),
    row("002", 138, "udp", "file sharing", Some("netbios-dgm")),
    row("002", 139, "tcp", "file sharing", Some("netbios-ssn")),
    row("002", 445, "tcp", "file sharing", Some("microsoft-ds")),
    row("002", 1024, "tcp", "start of dynamic ports", None),
    row("002", 1024, "udp", "start of dynamic ports", None),
    row("002", 1080, "tcp", "proxy", Some("socks")),
    row("002", 1433, "tcp", "SQL Server", Some("ms-sql-s")),
    // 文档 000 举的三个例子
    row("000", 80, "tcp", "WWW", Some("http")),
    row("000", 23, "tcp", "Telnet", Some("telnet")),
    row("000", 69, "udp", "TFTP", Some("tftp")),
];

fn main() {
    println!("doc  port/proto  document says            /etc/services");
    for row in ROWS {
        let found = netdb::service_by_port(row.port, row.transport).unwrap();
        let shown = match &found {
            Some(service) => format!("{} {:?}", service.name, service.aliases),
            None => "-".to_string(),
        };
        println!(
            "{}  {:>5}/{}   {:<24} {shown}",
            row.document, row.port, row.transport, row.says
        );
        assert_eq!(found.as_ref().map(|s| s.name.as_str()), row.expected);
    }

    // 67 是服务器（bootps），68 是客户端（bootpc）：客户端从 68 发往 67
    let server = netdb::service_by_name("bootps", "udp").unwrap().unwrap();
    let client = netdb::service_by_name("bootpc", "udp").unwrap().unwrap();
    assert_eq!((server.port, client.port), (67, 68));

    // www 只是 http 的别名
    assert_eq!(
        netdb::service_by_name("www", "tcp").unwrap().unwrap().port,
        80
    );
    // 135 是 DCE/微软 RPC 的端点映射器；Sun RPC 的端口映射器在 111
    assert!(netdb::service_by_port(135, "tcp")
        .unwrap()
        .unwrap()
        .aliases
        .contains(&"loc-srv".to_string()));
    assert_eq!(
        netdb::service_by_name("sunrpc", "tcp")
            .unwrap()
            .unwrap()
            .port,
        111
    );
    // 文件共享那四个端口，只有 139 和 445 用 TCP，137、138 只有 UDP
    for port in [137, 138] {
        assert_eq!(netdb::service_by_port(port, "tcp").unwrap(), None);
    }
    // 同一个号码在 TCP 和 UDP 下可以是两种服务：21/tcp 是 FTP，21/udp 是 FSP
    assert_eq!(
        netdb::service_by_port(21, "udp").unwrap().unwrap().name,
        "fsp"
    );
    // TFTP 只有 UDP
    assert_eq!(netdb::service_by_name("tftp", "tcp").unwrap(), None);
}
// ANCHOR_END: all
