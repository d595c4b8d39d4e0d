#!/usr/bin/env python3
# 文档 003 的 UDP 服务器与客户端，改成能运行的 Python 3：服务器把时间寄回来信的地址。
# 用法：python3 listing-14-11.py server 127.0.0.1 0 [数据报数]
#       python3 listing-14-11.py client 127.0.0.1 端口
import socket
import sys
import time


def server(host, port, datagrams):
    # AF_INET 说明使用 IPv4 地址，SOCK_DGRAM 指明 UDP
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)  # recvfrom() 最多等 5 秒
    s.bind((host, port))  # bind() 要一个 (地址, 端口) 元组
    print(s.getsockname()[1], flush=True)  # 第一行：内核挑中的端口
    for _ in range(datagrams):
        data, addr = s.recvfrom(1024)  # 是 recvfrom，不是 recvgrom
        print('Received: %s from %s' % (data.decode(), str(addr)), file=sys.stderr)
        reply = 'Current time is %d seconds since the Unix epoch' % time.time()
        s.sendto(reply.encode(), addr)  # 寄回来信的地址
    s.close()


def client(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    s.bind((host, 0))  # 绑定 127.0.0.1:0，不让内核绑到 0.0.0.0
    data = b'Hello UDP!'  # sendto() 要 bytes
    s.sendto(data, (host, port))
    reply, addr = s.recvfrom(1024)
    if addr != (host, port):
        sys.exit('a datagram from %s' % str(addr))
    print(reply.decode())
    s.close()


if __name__ == '__main__':
    role, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if role == 'server':
        server(host, port, int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    else:
        client(host, port)
