#!/usr/bin/env python3
# 文档 003 的 TCP 时间服务器与客户端，改成能运行的 Python 3。
# 用法：python3 listing-08-14.py server 127.0.0.1 0 [客户数]
#       python3 listing-08-14.py client 127.0.0.1 端口
import socket
import sys
import time


def server(host, port, clients):
    # AF_INET 说明使用 IPv4 地址，SOCK_STREAM 指明 TCP
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(5)  # accept() 最多等 5 秒
    s.bind((host, port))
    s.listen(16)
    print(s.getsockname()[1], flush=True)  # 第一行：内核挑中的端口
    for _ in range(clients):
        conn, addr = s.accept()
        print('Client %s connected!' % str(addr), file=sys.stderr)
        message = 'Current time is %d seconds since the Unix epoch' % time.time()
        conn.sendall(message.encode())  # 套接字收发的是 bytes，不是 str
        conn.close()
    s.close()


def client(host, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(5)  # connect() 和 recv() 最多等 5 秒
    s.connect((host, port))
    chunks = []
    while True:
        data = s.recv(1024)  # 最多 1024 字节，可能更少
        if not data:  # b'' 表示对方已关闭
            break
        chunks.append(data)
    s.close()
    print(b''.join(chunks).decode())


if __name__ == '__main__':
    role, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if role == 'server':
        server(host, port, int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    else:
        client(host, port)
