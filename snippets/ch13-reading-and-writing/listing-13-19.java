// 回显服务器与客户端：文档 000 的 getInputStream() 与 getOutputStream()。
// 用法：java TcpEcho server 127.0.0.1 0 [客户数]
//       java TcpEcho client 127.0.0.1 端口 消息
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

class TcpEcho {
    public static void main(String[] args) throws IOException {
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        if (args[0].equals("server")) {
            server(host, port, args.length > 3 ? Integer.parseInt(args[3]) : 1);
        } else {
            client(host, port, args.length > 3 ? args[3] : "Hello, echo!");
        }
    }

    static void server(String host, int port, int clients) throws IOException {
        try (ServerSocket listener = new ServerSocket(port, 16, InetAddress.getByName(host))) {
            listener.setSoTimeout(5000); // accept() 最多等 5 秒
            System.out.println(listener.getLocalPort()); // 第一行：内核挑中的端口
            System.out.flush();
            for (int i = 0; i < clients; i++) {
                try (Socket conn = listener.accept()) {
                    conn.setSoTimeout(5000);
                    // 输入流读到 -1（流结束）为止，读到的都写进输出流
                    conn.getInputStream().transferTo(conn.getOutputStream());
                }
            }
        }
    }

    static void client(String host, int port, String message) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(message.getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput(); // 半关闭：告诉服务器“我说完了”
            InputStream in = socket.getInputStream();
            System.out.println(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
