// 文档 003 的 UDP 服务器与客户端，用 Java 的 DatagramSocket 写：服务器把时间寄回来信的地址。
// 用法：java UdpTime server 127.0.0.1 0 [数据报数]
//       java UdpTime client 127.0.0.1 端口
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

class UdpTime {
    public static void main(String[] args) throws IOException {
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        if (args[0].equals("server")) {
            server(host, port, args.length > 3 ? Integer.parseInt(args[3]) : 1);
        } else {
            client(host, port);
        }
    }

    static void server(String host, int port, int datagrams) throws IOException {
        // socket() 与 bind() 合在构造函数里
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(host, port))) {
            socket.setSoTimeout(5000); // receive() 最多等 5 秒
            System.out.println(socket.getLocalPort()); // 第一行：内核挑中的端口
            System.out.flush();
            for (int i = 0; i < datagrams; i++) {
                DatagramPacket packet = new DatagramPacket(new byte[1024], 1024);
                socket.receive(packet); // recvfrom()：数据报带着来信地址
                String data = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
                System.err.println("Received: " + data + " from " + packet.getSocketAddress());
                long seconds = System.currentTimeMillis() / 1000;
                byte[] reply = ("Current time is " + seconds + " seconds since the Unix epoch")
                        .getBytes(StandardCharsets.UTF_8);
                socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
            }
        }
    }

    static void client(String host, int port) throws IOException {
        InetSocketAddress server = new InetSocketAddress(host, port);
        // 绑定 127.0.0.1:0，不让内核绑到 0.0.0.0
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(host, 0))) {
            socket.setSoTimeout(5000);
            byte[] hello = "Hello UDP!".getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(hello, hello.length, server)); // sendto()
            DatagramPacket packet = new DatagramPacket(new byte[1024], 1024);
            socket.receive(packet);
            if (!packet.getSocketAddress().equals(server)) {
                throw new IOException("a datagram from " + packet.getSocketAddress());
            }
            System.out.println(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
        }
    }
}
