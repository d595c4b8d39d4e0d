/* 回显服务器与客户端，用 C 写。
 * 用法：listing-13-17 server 127.0.0.1 0 [客户数]
 *       listing-13-17 client 127.0.0.1 端口 消息 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static void die(const char *what) {
    perror(what);
    exit(1);
}

/* 新建 TCP 套接字，每个阻塞调用最多等 5 秒 */
static int tcp_socket(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct timeval limit = {.tv_sec = 5};
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit) < 0)
        die("socket");
    return fd;
}

/* send() 到全部发完 */
static void send_all(int fd, const char *data, size_t len) {
    while (len > 0) {
        ssize_t n = send(fd, data, len, 0);
        if (n < 0)
            die("send");
        data += n;
        len -= n;
    }
}

static void server(struct sockaddr_in addr, int clients) {
    int fd = tcp_socket();
    socklen_t len = sizeof addr;
    if (bind(fd, (struct sockaddr *)&addr, len) < 0 || listen(fd, 16) < 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) < 0)
        die("bind");
    printf("%d\n", ntohs(addr.sin_port)); /* 第一行：内核挑中的端口 */
    fflush(stdout);
    for (int i = 0; i < clients; i++) {
        int conn = accept(fd, NULL, NULL);
        if (conn < 0)
            die("accept");
        char buf[4096];
        ssize_t n;
        while ((n = recv(conn, buf, sizeof buf, 0)) > 0) /* 读到什么就写回什么 */
            send_all(conn, buf, n);
        if (n < 0)
            die("recv");
        close(conn);
    }
    close(fd);
}

static void client(struct sockaddr_in addr, const char *message) {
    int fd = tcp_socket();
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0)
        die("connect");
    send_all(fd, message, strlen(message));
    if (shutdown(fd, SHUT_WR) < 0) /* 半关闭：告诉服务器“我说完了” */
        die("shutdown");
    char buf[4096];
    ssize_t n;
    while ((n = recv(fd, buf, sizeof buf, 0)) > 0)
        fwrite(buf, 1, n, stdout);
    if (n < 0)
        die("recv");
    putchar('\n');
    close(fd);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s server|client HOST PORT [COUNT|MESSAGE]\n", argv[0]);
        return 2;
    }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[3]))};
    if (inet_pton(AF_INET, argv[2], &addr.sin_addr) != 1)
        die("inet_pton");
    if (strcmp(argv[1], "server") == 0)
        server(addr, argc > 4 ? atoi(argv[4]) : 1);
    else
        client(addr, argc > 4 ? argv[4] : "Hello, echo!");
    return 0;
}
