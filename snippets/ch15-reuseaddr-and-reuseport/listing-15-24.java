// 重启的服务器：端口上还有 TIME_WAIT，设了 SO_REUSEADDR 的 bind() 照样成功。
// 用法：java ReuseAddr 127.0.0.1 端口
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

class ReuseAddr {
    public static void main(String[] args) throws IOException {
        InetSocketAddress addr = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        // 不带地址的构造函数只做 socket()，好在 bind() 之前设选项
        try (ServerSocket listener = new ServerSocket()) {
            listener.setReuseAddress(true); // setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
            listener.bind(addr, 16); // bind() 与 listen()
            System.out.println("listening on " + args[0] + ":" + listener.getLocalPort());
        }
    }
}
