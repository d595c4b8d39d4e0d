#!/usr/bin/env python3
# 重启的服务器：端口上还有 TIME_WAIT，设了 SO_REUSEADDR 的 bind() 照样成功。
# 用法：python3 listing-15-23.py 127.0.0.1 端口
import socket
import sys

host, port = sys.argv[1], int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # 必须在 bind() 之前设
s.bind((host, port))  # 不设 SO_REUSEADDR，这里抛出 OSError（EADDRINUSE）
s.listen(16)
print('listening on %s:%d' % s.getsockname())
s.close()
