"""A stand-in for New API in the deployment rehearsal (deploy/rehearse.sh).

Answers every request with 200 and a JSON echo of the client-address headers it received,
except:

* POST /v1/chat/completions?events=N&stream=ID&gap_ms=G answers with N server-sent events.
  After each event it waits until the client has acknowledged it (a file ID.<i> appears in
  the acknowledgement folder), then G milliseconds more: an event held back by a buffering
  proxy on the way would never be acknowledged, and the final event reports how many were.
* Anything under /admin/ answers 404: if such a request arrives here, Sentinel has no route
  of its own for it.

Every response carries X-Rehearsal-Downstream: 1. Standard library only.

Usage: python3 downstream.py PORT_FILE ACK_DIR
"""

import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ACK_WAIT_SECONDS = 10.0
MAX_EVENTS = 20


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    ack_dir = "."

    def do_GET(self):
        self.route()

    def do_POST(self):
        self.route()

    def route(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if url.path.startswith("/admin/"):
            self.send_json(404, {"error": "not found"})
        elif url.path == "/v1/chat/completions" and "events" in query:
            gap = min(int(query.get("gap_ms", ["0"])[0]), 2000) / 1000.0
            self.stream(min(int(query["events"][0]), MAX_EVENTS), query["stream"][0], gap)
        else:
            self.send_json(200, {
                "path": url.path,
                "x_real_ip": self.headers.get_all("X-Real-IP") or [],
                "x_forwarded_for": self.headers.get_all("X-Forwarded-For") or [],
                "forwarded": self.headers.get_all("Forwarded") or [],
            })

    def send_json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Rehearsal-Downstream", "1")
        self.end_headers()
        self.wfile.write(data)

    def stream(self, events, stream_id, gap):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("X-Rehearsal-Downstream", "1")
        self.end_headers()
        acked = 0
        for i in range(1, events + 1):
            self.chunk("data: " + json.dumps({"event": i, "sent": time.time()}) + "\n\n")
            if self.wait_for_ack(stream_id, i):
                acked += 1
            time.sleep(gap)
        self.chunk("data: " + json.dumps({"done": True, "acked": acked}) + "\n\n")
        self.chunk("data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def chunk(self, text):
        data = text.encode()
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def wait_for_ack(self, stream_id, i):
        path = os.path.join(self.ack_dir, "%s.%d" % (os.path.basename(stream_id), i))
        deadline = time.monotonic() + ACK_WAIT_SECONDS
        while time.monotonic() < deadline:
            if os.path.exists(path):
                return True
            time.sleep(0.01)
        return False

    def log_message(self, fmt, *args):
        sys.stderr.write("downstream: %s %s\n" % (self.address_string(), fmt % args))


def main():
    port_file, ack_dir = sys.argv[1], sys.argv[2]
    Handler.ack_dir = ack_dir
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    with open(port_file + ".tmp", "w") as out:
        out.write(str(server.server_address[1]))
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
