"""A local SMTP server that accepts and discards every message, in its own process.

    python benchmarks/smtp_sink.py PORT

It counts what it accepted and prints the count when stopped (SIGTERM or SIGINT), so the
benchmark can check that every email really reached the server.
"""

import asyncio
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path


class Sink:
    def __init__(self) -> None:
        self.messages = 0
        self.bytes = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages += 1
        self.bytes += len(envelope.content)
        return "250 2.0.0 OK"


def serve(port: int) -> None:
    from aiosmtpd.smtp import SMTP

    sink = Sink()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(
            lambda: SMTP(sink, hostname="bench.local", enable_SMTPUTF8=True, data_size_limit=None),
            host="127.0.0.1",
            port=port,
        )
    )
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, loop.stop)
    print("ready", flush=True)
    loop.run_forever()
    server.close()
    print(f"accepted {sink.messages} {sink.bytes}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SinkProcess:
    """Start the sink in a child process; stop() returns (messages, bytes) it accepted."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), str(self.port)],
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline().strip()
        if line != "ready":
            self.process.kill()
            raise RuntimeError(f"SMTP sink did not start: {line!r}")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("SMTP sink does not answer")

    def stop(self) -> tuple[int, int]:
        self.process.send_signal(signal.SIGTERM)
        out, _ = self.process.communicate(timeout=30)
        for line in out.splitlines():
            if line.startswith("accepted "):
                _, messages, size = line.split()
                return int(messages), int(size)
        return 0, 0


if __name__ == "__main__":
    serve(int(sys.argv[1]))
