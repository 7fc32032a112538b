"""Exit 0 when host:port accepts a TCP connection within a second, else 1."""

import socket
import sys

host, port = sys.argv[1], int(sys.argv[2])
try:
    socket.create_connection((host, port), timeout=1).close()
except OSError:
    sys.exit(1)
