#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# A misbehaving HTTP(S) server for the fetch tests: serves ROOT on 127.0.0.1,
# a free port (printed on the first line of stdout), and applies rules by path:
#   --rule PATH=MODE   truncate | truncate-once | stall | corrupt | 500-once | 500 |
#                      404 | loop | redirect:URL
# Every request is logged to stderr as "METHOD PATH range=RANGE".
import argparse, http.server, os, socketserver, ssl, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("root")
ap.add_argument("--rule", action="append", default=[])
ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
a = ap.parse_args()
rules = dict(r.split("=", 1) for r in a.rule)
seen = {}


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.split("?")[0]
        rng = self.headers.get("Range")
        sys.stderr.write("GET %s range=%s\n" % (path, rng))
        sys.stderr.flush()
        n = seen[path] = seen.get(path, 0) + 1
        mode = rules.get(path, "")
        if mode == "404":
            return self.plain(404)
        if mode == "500" or (mode == "500-once" and n == 1):
            return self.plain(500)
        if mode == "loop":
            return self.redirect(path)
        if mode.startswith("redirect:"):
            return self.redirect(mode[len("redirect:"):])
        f = os.path.join(a.root, path.lstrip("/"))
        if not os.path.isfile(f):
            return self.plain(404)
        data = open(f, "rb").read()
        start = 0
        if rng and rng.startswith("bytes=") and mode != "truncate":
            start = int(rng[6:].split("-")[0])
        body = data[start:]
        if mode == "corrupt" and body:
            body = bytes([body[0] ^ 0xFF]) + body[1:]
        self.send_response(206 if start else 200)
        if start:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data)))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode == "truncate" or (mode == "truncate-once" and n == 1):
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if mode == "stall":
            self.wfile.write(body[:10])
            self.wfile.flush()
            time.sleep(20)
            return
        self.wfile.write(body)

    def plain(self, code):
        b = b"no\n"
        self.send_response(code)
        self.send_header("Content-Length", str(len(b)))
        self.end_headers()
        self.wfile.write(b)

    def redirect(self, to):
        self.send_response(302)
        self.send_header("Location", to)
        self.send_header("Content-Length", "0")
        self.end_headers()


class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


s = S(("127.0.0.1", 0), H)
if a.tls:
    c = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    c.load_cert_chain(a.tls[0], a.tls[1])
    s.socket = c.wrap_socket(s.socket, server_side=True)
print(s.server_address[1], flush=True)
s.serve_forever()
