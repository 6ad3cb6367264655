"""Real servers on 127.0.0.1 for the notify tests: an SMTP server (aiosmtpd) and a webhook
receiver (http.server in a thread). Both on a free port, started and stopped by the test."""
import json
import socket
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    """Collects every mail received: (envelope recipients, parsed message)."""

    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = message_from_bytes(raw, policy=policy.default)
        msg.raw = raw  # the bytes as they came over the wire
        self.received.append((list(envelope.rcpt_tos), msg))
        return "250 Message accepted"


class SmtpServer:
    def __init__(self):
        self.sink = SmtpSink()
        self.port = free_port()
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    @property
    def received(self):
        return self.sink.received

    def to(self, address):
        return [m for rcpts, m in self.received if address in rcpts]


class Receiver:
    """Records each POST: {"path", "query", "headers", "json"}; answers `self.answer` (status, body)."""

    def __init__(self):
        self.calls = []
        self.answer = (200, {"errcode": 0, "errmsg": "ok"})
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                parts = urlsplit(self.path)
                receiver.calls.append({"path": parts.path, "query": parse_qs(parts.query),
                                       "headers": dict(self.headers), "json": json.loads(body or b"{}")})
                status, answer = receiver.answer
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path="/hook"):
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
