// 文档 003 的 TCP 时间服务器与客户端，用文档 000 讲的 ServerSocket 与 Socket 写。
// 用法：java TcpTime server 127.0.0.1 0 [客户数]
//       java TcpTime client 127.0.0.1 端口
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

class TcpTime {
    public static void main(String[] args) throws IOException {
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        if (args[0].equals("server")) {
            server(host, port, args.length > 3 ? Integer.parseInt(args[3]) : 1);
        } else {
            client(host, port);
        }
    }

    static void server(String host, int port, int clients) throws IOException {
        // socket()、bind()、listen() 合在构造函数里
        try (ServerSocket listener = new ServerSocket(port, 16, InetAddress.getByName(host))) {
            listener.setSoTimeout(5000); // accept() 最多等 5 秒
            System.out.println(listener.getLocalPort()); // 第一行：内核挑中的端口
            System.out.flush();
            for (int i = 0; i < clients; i++) {
                try (Socket conn = listener.accept()) { // 块结束时 close()
                    System.err.println("Client " + conn.getRemoteSocketAddress() + " connected!");
                    long seconds = System.currentTimeMillis() / 1000;
                    String message = "Current time is " + seconds + " seconds since the Unix epoch";
                    OutputStream out = conn.getOutputStream();
                    out.write(message.getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    static void client(String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5000); // connect() 最多等 5 秒
            socket.setSoTimeout(5000); // read() 最多等 5 秒
            byte[] data = socket.getInputStream().readAllBytes(); // 读到流结束（-1）
            System.out.println(new String(data, StandardCharsets.UTF_8));
        }
    }
}
