#!/usr/bin/env python3
"""A small JSON API on 127.0.0.1 for tests/http/*.sh: paged records and faults.

usage: httpfixture.py PORTFILE [--records N] [--token VALUE] [--tls CERT KEY]

Binds port 0 and writes the chosen port to PORTFILE. A path is
/SCENARIO/STYLE; SCENARIO is any word (each test uses its own, so request
counts do not mix) and STYLE is how the N records {"id": i, "title": ...}
are paged:
  page    ?page=P&size=S       {"data": [...], "meta": {"page", "pages", "total",
                               "more"}}
  offset  ?offset=O&limit=L    {"items": [...], "total": N}
  cursor  ?cursor=C&limit=L    {"results": [...], "total": N, "next": "..." or null}
  link    ?page=P&size=S       [...] with a Link: <...>; rel="next" header
  none                         {"data": [all records]}
Query parameters that shape the answer (they ride in the configured URL):
  n=N            records for this request instead of --records
  cap=C          pages hold at most C records, whatever size was asked for
  auth=1         answer 401 unless Authorization equals --token
  delay=S        wait S seconds before answering (with fault=slow: only
                 the requests the fault applies to; default 5)
  fault=KIND     429 500 503 502html 200html slow truncated malformed big
                 bigchunked; 404page (Python's own HTML error page, message
                 "No such page"), 400json ({"error": "invalid_cursor",
                 "message": "cursor 'x' is unknown"})
  times=K        only the first K requests that match fail (default: all)
  on=P           only requests for page P fail (pages count from 1)
  retry_after=S  Retry-After on 429 and 503
  link_base=B    link: the next page's Link is absolute, B (scheme://host:port)
                 before the path
  ctype=T        records are served with Content-Type T
  empty=204      a page without records is answered 204 No Content
  enc=E          the body is written in the Python codec E (latin-1, cp1252,
                 utf-8), not as ASCII escapes, and each title ends in
                 " café" (cp1252: " “café” €"); with fault=502html or
                 200html, the HTML page is French ("Passerelle erronée"),
                 served as ctype= says (default text/html, no charset);
                 meta=M puts M (a <meta ...> tag) at the start of its head
  raw=HEX        page style: the first record's title ends in the bytes HEX
                 spells, as they are whatever enc= says ("c381", the UTF-8
                 of "Á", pasted into a cp1252 body)
  hole=P         page P (from 1) holds no records, though the page count,
                 total and next cursor say the records go on
GET /_stats gives {"hits": {path: n}, "page_hits": {"path page": n},
"max_inflight": {path: n}, "auth_ok": {path: n}, "last_query": {path: query},
"user_agent": {path: agent}}. --tls serves HTTPS with that certificate.
"""
import json
import math
import os
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

HTML = (b"<html><head><title>Bad Gateway</title></head>"
        b"<body><h1>502 Bad Gateway</h1><hr>nginx</body></html>")
HTML_ACCENTED = ("<html><head><title>Passerelle erronée</title></head>"
                 "<body><h1>502 Passerelle erronée</h1></body></html>")
MALFORMED = b'{"data": [{"id": 1, "title": "one"},, {"id": 2}]}'

lock = threading.Lock()
stats = {"hits": {}, "page_hits": {}, "max_inflight": {}, "auth_ok": {}, "last_query": {},
         "user_agent": {}}
inflight = {}
fault_counts = {}


def bump(table, key, by=1):
    table[key] = table.get(key, 0) + by
    return table[key]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    records = 25
    token = None

    def log_message(self, *args):
        pass

    def send(self, status, body, ctype="application/json", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, obj, headers=(), ctype="application/json", enc=None, raw=None):
        body = json.dumps(obj, ensure_ascii=False).encode(enc) if enc else json.dumps(obj).encode()
        if raw:
            body = body.replace(b"@RAW@", bytes.fromhex(raw), 1)
        self.send(200, body, ctype, headers=headers)

    def do_GET(self):
        url = urlsplit(self.path)
        q = {k: v[-1] for k, v in parse_qs(url.query).items()}
        if url.path == "/_stats":
            with lock:
                return self.send_json(stats)
        with lock:
            bump(stats["hits"], url.path)
            stats["last_query"][url.path] = url.query
            stats["user_agent"][url.path] = self.headers.get("User-Agent")
            now = bump(inflight, url.path)
            stats["max_inflight"][url.path] = max(now, stats["max_inflight"].get(url.path, 0))
        try:
            self.answer(url, q)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)
        finally:
            with lock:
                bump(inflight, url.path, -1)

    def answer(self, url, q):
        ctype = q.get("ctype", "application/json")
        n = int(q.get("n", self.records))
        style = url.path.rsplit("/", 1)[-1]
        size = min(int(q.get("size", q.get("limit", 10))), int(q.get("cap", 1000)))
        start = self.first_index(style, q, size)
        page = start // size + 1
        with lock:
            bump(stats["page_hits"], "%s %d" % (url.path, page))
        if q.get("auth") and self.headers.get("Authorization") != self.token:
            return self.send(401, b'{"error": "unauthorized"}')
        if q.get("auth"):
            with lock:
                bump(stats["auth_ok"], url.path)
        if self.fault_applies(url.path, page, q):
            if q["fault"] != "slow":
                return self.fault(q)
            time.sleep(float(q.get("delay", 5)))
        elif "delay" in q and "fault" not in q:
            time.sleep(float(q["delay"]))
        ids = list(range(start + 1, min(start + size, n) + 1)) if style != "none" else \
            list(range(1, n + 1))
        if int(q.get("hole", 0)) == page:
            ids = []
        enc = q.get("enc")
        suffix = "" if not enc else " “café” €" if enc == "cp1252" else " café"
        recs = [{"id": i, "title": "record %d%s" % (i, suffix)} for i in ids]
        if recs and q.get("raw"):
            recs[0]["title"] += " @RAW@"
        if not recs and q.get("empty") == "204":
            self.send_response(204)
            self.end_headers()
            return None
        if style == "page":
            return self.send_json({"data": recs, "meta": {
                "page": page, "pages": math.ceil(n / size), "total": n,
                "more": start + size < n}}, ctype=ctype, enc=enc, raw=q.get("raw"))
        if style == "offset":
            return self.send_json({"items": recs, "total": n}, ctype=ctype)
        if style == "cursor":
            more = start + size < n
            return self.send_json({"results": recs, "total": n, "next": "tok-%d" % (start + size)
                                   if more else None}, ctype=ctype)
        if style == "link":
            headers = []
            if start + size < n:
                nq = dict(q, page=str(page + 1))
                headers.append(("Link", '<%s%s?%s>; rel="next", <%s?page=1>; rel="first"' % (
                    q.get("link_base", ""), url.path, urlencode(nq), url.path)))
            return self.send_json(recs, headers, ctype)
        return self.send_json({"data": recs}, ctype=ctype)

    @staticmethod
    def first_index(style, q, size):
        if style == "offset":
            return int(q.get("offset", 0))
        if style == "cursor":
            return int(q.get("cursor", "tok-0")[4:] or 0)
        if style in ("page", "link"):
            return (int(q.get("page", 1)) - 1) * size
        return 0

    @staticmethod
    def fault_applies(path, page, q):
        if "fault" not in q or ("on" in q and int(q["on"]) != page):
            return False
        with lock:
            count = bump(fault_counts, "%s %s" % (path, q.get("on", "")))
        return count <= int(q.get("times", 10 ** 9))

    def fault(self, q):
        kind = q["fault"]
        after = [("Retry-After", q["retry_after"])] if "retry_after" in q else []
        if kind in ("429", "500", "503"):
            return self.send(int(kind), b'{"error": "try again"}', headers=after)
        if kind == "404page":
            return self.send_error(404, "No such page")
        if kind == "400json":
            return self.send(400, json.dumps({"error": "invalid_cursor",
                                              "message": "cursor 'x' is unknown"}).encode())
        if kind in ("502html", "200html") and q.get("enc"):
            page = HTML_ACCENTED
            if "meta" in q:
                page = page.replace("<head>", "<head>" + q["meta"], 1)
            return self.send(int(kind[:3]), page.encode(q["enc"]),
                             q.get("ctype", "text/html"))
        if kind in ("502html", "200html"):
            return self.send(int(kind[:3]), HTML, "text/html; charset=utf-8")
        if kind == "malformed":
            return self.send(200, MALFORMED)
        body = json.dumps({"data": [{"id": 1, "title": "x" * int(q.get("bytes", 100000))}]})
        body = body.encode()
        if kind == "truncated":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body) + 100))
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True
        elif kind == "big":
            self.send(200, body)
        elif kind == "bigchunked":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(0, len(body), 4096):
                chunk = body[i:i + 4096]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        else:
            self.send(400, b'{"error": "unknown fault"}')


def main():
    args = sys.argv[1:]
    portfile = args.pop(0)
    tls = None
    while args:
        opt, value = args.pop(0), args.pop(0)
        if opt == "--records":
            Handler.records = int(value)
        elif opt == "--token":
            Handler.token = value
        elif opt == "--tls":
            tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            tls.load_cert_chain(value, args.pop(0))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if tls:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(portfile + ".tmp", portfile)
    server.serve_forever()


if __name__ == "__main__":
    main()
