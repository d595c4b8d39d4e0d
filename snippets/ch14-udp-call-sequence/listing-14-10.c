/* 文档 003 的 UDP 服务器与客户端，用 C 写：服务器把时间寄回来信的地址。
 * 用法：listing-14-10 server 127.0.0.1 0 [数据报数]
 *       listing-14-10 client 127.0.0.1 端口 */
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

/* socket(AF_INET, SOCK_DGRAM, 0)，bind() 到 addr，收发最多等 5 秒 */
static int udp_socket(struct sockaddr_in *addr) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct timeval limit = {.tv_sec = 5};
    socklen_t len = sizeof *addr;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit) < 0 ||
        bind(fd, (struct sockaddr *)addr, len) < 0 ||
        getsockname(fd, (struct sockaddr *)addr, &len) < 0)
        die("socket");
    return fd;
}

static void server(struct sockaddr_in addr, int datagrams) {
    int fd = udp_socket(&addr);
    printf("%d\n", ntohs(addr.sin_port)); /* 第一行：内核挑中的端口 */
    fflush(stdout);
    for (int i = 0; i < datagrams; i++) {
        char buf[1024];
        struct sockaddr_in from;
        socklen_t from_len = sizeof from;
        ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &from_len);
        if (n < 0)
            die("recvfrom");
        fprintf(stderr, "Received: %.*s from %s:%d\n", (int)n, buf, inet_ntoa(from.sin_addr),
                ntohs(from.sin_port));
        char reply[80];
        int len = snprintf(reply, sizeof reply,
                           "Current time is %lld seconds since the Unix epoch",
                           (long long)time(NULL));
        if (sendto(fd, reply, len, 0, (struct sockaddr *)&from, from_len) < 0)
            die("sendto");
    }
    close(fd);
}

static void client(struct sockaddr_in server) {
    struct sockaddr_in local = {.sin_family = AF_INET, .sin_addr = server.sin_addr};
    int fd = udp_socket(&local); /* 绑定 127.0.0.1:0，不让内核绑到 0.0.0.0 */
    const char *hello = "Hello UDP!";
    if (sendto(fd, hello, strlen(hello), 0, (struct sockaddr *)&server, sizeof server) < 0)
        die("sendto");
    char buf[1024];
    struct sockaddr_in from;
    socklen_t from_len = sizeof from;
    ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &from_len);
    if (n < 0)
        die("recvfrom");
    if (from.sin_port != server.sin_port || from.sin_addr.s_addr != server.sin_addr.s_addr) {
        fprintf(stderr, "a datagram from someone else\n");
        exit(1);
    }
    printf("%.*s\n", (int)n, buf);
    close(fd);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: %s server|client HOST PORT [COUNT]\n", argv[0]);
        return 2;
    }
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[3]))};
    if (inet_pton(AF_INET, argv[2], &addr.sin_addr) != 1)
        die("inet_pton");
    if (strcmp(argv[1], "server") == 0)
        server(addr, argc > 4 ? atoi(argv[4]) : 1);
    else
        client(addr);
    return 0;
}
