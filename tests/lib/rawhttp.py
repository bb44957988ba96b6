"""tests/lib/rawhttp.py — bytes to kasparro's HTTP API on sockets of their
own, for what curl will not send (tests/api/head_refused.sh, slow_clients.sh):

  rawhttp.py PORT send KIND    one request of KIND on a new connection; prints
                               the answer's status line ("closed" when the
                               connection closed with no answer)
  rawhttp.py PORT hold N KEY   N connections, each answering one GET /health
                               (so each is accepted), then left open and idle;
                               prints "held N" and waits for stdin to close
KIND: bigline (a request line over 128 KiB), bighead (headers over 128 KiB),
http2 (a request line of HTTP/2.0), garbage (GARBAGE and an empty line),
binary (two control bytes and an empty line), hello (HELLO, then the end of
the connection), nothing (only the end of the connection).
"""
import socket
import sys

port, what = int(sys.argv[1]), sys.argv[2]
big = "x" * 200000
requests = {
    "bigline": "GET /runs?q=%s HTTP/1.1\r\nHost: a\r\n\r\n" % big,
    "bighead": "GET /runs HTTP/1.1\r\nHost: a\r\nX-Padding: %s\r\n\r\n" % big,
    "http2": "GET /runs HTTP/2.0\r\nHost: a\r\n\r\n",
    "garbage": "GARBAGE\r\n\r\n",
    "binary": "\x01\x02\r\n\r\n",
    "hello": "HELLO",
    "nothing": "",
}
ended = {"hello", "nothing"}  # the client ends the connection after them


def status_line(s):
    got = b""
    try:
        while b"\r\n" not in got:
            d = s.recv(4096)
            if not d:
                break
            got += d
    except (ConnectionResetError, socket.timeout):
        pass
    return got.split(b"\r\n")[0].decode() if b"\r\n" in got else "closed"


if what == "send":
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    try:
        s.sendall(requests[sys.argv[3]].encode())
        if sys.argv[3] in ended:
            s.shutdown(socket.SHUT_WR)
    except (BrokenPipeError, ConnectionResetError):
        pass  # refused before it was all sent: the answer may be there
    print(status_line(s))
else:
    held = []
    for i in range(int(sys.argv[3])):
        s = socket.create_connection(("127.0.0.1", port), timeout=30)
        s.sendall(("GET /health HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer %s\r\n\r\n"
                   % sys.argv[4]).encode())
        if not status_line(s).startswith("HTTP/1.1 200"):
            print("connection %d not served" % (i + 1))
            sys.exit(1)
        held.append(s)
    print("held %d" % len(held), flush=True)
    sys.stdin.read()
