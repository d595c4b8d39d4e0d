/* 文档 003 的 TCP 时间服务器与客户端，用 C 写。
 * 用法：listing-08-13 server 127.0.0.1 0 [客户数]
 *       listing-08-13 client 127.0.0.1 端口 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what) {
    perror(what);
    exit(1);
}

/* 每个阻塞调用最多等 5 秒：SO_RCVTIMEO 也限制 accept()，SO_SNDTIMEO 也限制 connect() */
static void bound(int fd) {
    struct timeval limit = {.tv_sec = 5};
    if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit) < 0)
        die("setsockopt");
}

static struct sockaddr_in address(const char *host, const char *port) {
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(atoi(port))};
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1)
        die("inet_pton");
    return addr;
}

static void server(struct sockaddr_in addr, int clients) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        die("socket");
    bound(fd);
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) < 0)
        die("bind");
    if (listen(fd, 16) < 0)
        die("listen");
    socklen_t len = sizeof addr;
    if (getsockname(fd, (struct sockaddr *)&addr, &len) < 0)
        die("getsockname");
    printf("%d\n", ntohs(addr.sin_port)); /* 第一行：内核挑中的端口 */
    fflush(stdout);
    for (int i = 0; i < clients; i++) {
        struct sockaddr_in peer;
        socklen_t peer_len = sizeof peer;
        int conn = accept(fd, (struct sockaddr *)&peer, &peer_len);
        if (conn < 0)
            die("accept");
        fprintf(stderr, "Client %s:%d connected!\n", inet_ntoa(peer.sin_addr),
                ntohs(peer.sin_port));
        char message[80];
        int n = snprintf(message, sizeof message,
                         "Current time is %lld seconds since the Unix epoch",
                         (long long)time(NULL));
        for (int sent = 0; sent < n;) { /* send() 可能只发出一部分 */
            ssize_t k = send(conn, message + sent, n - sent, 0);
            if (k < 0)
                die("send");
            sent += k;
        }
        close(conn);
    }
    close(fd);
}

static void client(struct sockaddr_in addr) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        die("socket");
    bound(fd);
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) < 0)
        die("connect");
    char buf[1024];
    ssize_t n;
    while ((n = recv(fd, buf, sizeof buf, 0)) > 0) /* 0 表示对方已关闭 */
        fwrite(buf, 1, n, stdout);
    if (n < 0)
        die("recv");
    putchar('\n');
    close(fd);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s server|client HOST PORT [COUNT]\n", argv[0]);
        return 2;
    }
    struct sockaddr_in addr = address(argv[2], argv[3]);
    if (strcmp(argv[1], "server") == 0)
        server(addr, argc > 4 ? atoi(argv[4]) : 1);
    else
        client(addr);
    return 0;
}
