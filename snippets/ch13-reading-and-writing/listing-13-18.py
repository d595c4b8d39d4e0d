#!/usr/bin/env python3
# 回显服务器与客户端，用 Python 3 写。
# 用法：python3 listing-13-18.py server 127.0.0.1 0 [客户数]
#       python3 listing-13-18.py client 127.0.0.1 端口 消息
import socket
import sys


def server(host, port, clients):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(5)  # accept() 最多等 5 秒
    s.bind((host, port))
    s.listen(16)
    print(s.getsockname()[1], flush=True)  # 第一行：内核挑中的端口
    for _ in range(clients):
        conn, addr = s.accept()
        conn.settimeout(5)  # accept() 出来的套接字不继承超时，要另设
        while True:
            data = conn.recv(4096)  # bytes
            if not data:  # 对方关闭了发送方向
                break
            conn.sendall(data)  # 读到什么就写回什么
        conn.close()
    s.close()


def client(host, port, message):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(5)
    s.connect((host, port))
    s.sendall(message.encode())  # str 先编码成 bytes 才能发送
    s.shutdown(socket.SHUT_WR)  # 半关闭：告诉服务器“我说完了”
    chunks = []
    while True:
        data = s.recv(4096)
        if not data:
            break
        chunks.append(data)
    s.close()
    print(b''.join(chunks).decode())


if __name__ == '__main__':
    role, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    if role == 'server':
        server(host, port, int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    else:
        client(host, port, sys.argv[4] if len(sys.argv) > 4 else 'Hello, echo!')
