"""A local job board: a real HTTP server on 127.0.0.1 in a thread, serving recorded JSON and
feeds, and misbehaving on purpose. Never the internet."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.followups.conftest import dana, person  # noqa: F401

RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Fabrikam jobs</title>
<item><title>Senior Data Engineer (Remote, EU)</title><link>https://jobs.fabrikam.example/42</link><guid>fab-42</guid></item>
<item><title>Office Manager</title><link>https://jobs.fabrikam.example/43</link><guid>fab-43</guid></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Globex careers</title>
<entry><title>Platform Engineer</title><link href="https://globex.example/jobs/7"/><id>urn:globex:7</id></entry>
</feed>"""

GREENHOUSE = {
    "jobs": [
        {"id": 4011, "title": "Data Engineer", "absolute_url": "https://boards.example/4011"},
        {"id": 4012, "title": "Product Designer", "absolute_url": "javascript:alert(1)"},
    ],
    "meta": {"total": 2},
}
LEVER = [{"id": "a1b2", "text": "Backend Engineer", "hostedUrl": "https://jobs.example/a1b2"}]
ASHBY = {"jobs": [{"id": "x9", "title": "Data Engineer II", "jobUrl": "https://ashby.example/x9"}]}


class Board:
    """What the server answers, per path; tests change it between checks."""

    def __init__(self):
        self.routes: dict[str, tuple[int, dict, bytes]] = {}
        self.requests: list[tuple[str, dict]] = []
        self.port = 0

    def serve(self, path: str, body, *, status: int = 200, headers: dict | None = None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        self.routes[path] = (status, headers or {}, body)

    def hits(self, path: str) -> list[dict]:
        return [headers for p, headers in self.requests if p == path]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def handler_for(board: Board):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            board.requests.append((self.path, dict(self.headers)))
            if self.path == "/slow":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                for _ in range(40):  # a byte now and then: never done
                    try:
                        self.wfile.write(b" ")
                        self.wfile.flush()
                    except OSError:
                        return
                    time.sleep(0.1)
                return
            if self.path == "/silent":
                time.sleep(3)
                return
            if self.path == "/huge":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                chunk = b"x" * 65536
                try:
                    for _ in range(160):  # 10 MB, no Content-Length
                        self.wfile.write(chunk)
                except OSError:
                    pass
                return
            status, headers, body = board.routes.get(self.path, (404, {}, b"not here"))
            etag = headers.get("ETag")
            if etag and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value.replace("{port}", str(board.port)))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


@pytest.fixture
def board(settings):
    board = Board()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(board))
    server.daemon_threads = True
    board.port = server.server_address[1]
    settings.BOARD_FETCH_TEST_ALLOW = [f"127.0.0.1:{board.port}"]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield board
    server.shutdown()
    server.server_close()
