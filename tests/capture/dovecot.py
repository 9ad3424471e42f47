"""A real Dovecot on 127.0.0.1 for the mailbox tests: free ports, TLS and plain IMAP.

The fixture writes its own configuration (passwd-file users, maildirs under a temporary
folder, a self-signed certificate made with `openssl`), starts Dovecot in the foreground
as a child process and stops it at the end. Tests add users and drop messages into maildirs.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

NOBODY = 65534
USERS = 100
_counter = itertools.count(1)


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"Dovecot did not listen on {port}")


@dataclass
class Dovecot:
    root: Path
    plain_port: int
    tls_port: int
    process: subprocess.Popen | None = None
    users: dict[str, str] = field(default_factory=dict)

    @property
    def cafile(self) -> str:
        return str(self.root / "cert.pem")

    @property
    def mail_uid(self) -> int:
        return NOBODY if os.geteuid() == 0 else os.geteuid()

    def start(self) -> None:
        (self.root / "run").mkdir()
        (self.root / "state").mkdir()
        (self.root / "home").mkdir()
        # Every user up front: Dovecot notices a changed passwd-file only about once a second.
        self.users = {f"sam{n}@example.net": "app-pass-1" for n in range(1, USERS + 1)}
        (self.root / "passwd").write_text(
            "".join(f"{name}:{{PLAIN}}{password}\n" for name, password in self.users.items())
        )
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-keyout", str(self.root / "key.pem"), "-out", str(self.root / "cert.pem"),
             "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
        me = "" if os.geteuid() == 0 else _own_user_settings()
        (self.root / "dovecot.conf").write_text(
            f"""base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.root}/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = yes
ssl_cert = <{self.root}/cert.pem
ssl_key = <{self.root}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.root}/passwd
}}
userdb {{
  driver = static
  args = uid={self.mail_uid} gid={self.mail_uid} home={self.root}/home/%u
}}
mail_location = maildir:~/Maildir
{me}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.plain_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {self.tls_port}
    ssl = yes
  }}
}}
"""
        )
        self.process = subprocess.Popen(
            ["dovecot", "-F", "-c", str(self.root / "dovecot.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        wait_for_port(self.plain_port)
        wait_for_port(self.tls_port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)

    def add_user(self) -> str:
        """A fresh user with an empty INBOX (each test gets its own mailbox)."""
        name = f"sam{next(_counter)}@example.net"
        if name not in self.users:
            raise RuntimeError("Out of test users: raise USERS in tests/capture/dovecot.py")
        for sub in ("new", "cur", "tmp"):
            (self.maildir(name) / sub).mkdir(parents=True, exist_ok=True)
        self._own(self.root / "home" / name)
        return name

    def maildir(self, user: str) -> Path:
        return self.root / "home" / user / "Maildir"

    def deliver(self, user: str, raw: bytes, *, age_days: float = 0) -> Path:
        """Drop a message into the user's INBOX as a mail server would (new/, unread)."""
        name = f"{time.time_ns()}.M{next(_counter)}P{os.getpid()}.test"
        tmp = self.maildir(user) / "tmp" / name
        tmp.write_bytes(raw)
        path = self.maildir(user) / "new" / name
        tmp.rename(path)
        if age_days:
            stamp = time.time() - age_days * 86400
            os.utime(path, (stamp, stamp))
        self._own(path)
        return path

    def renumber(self, user: str) -> None:
        """Make the server give the folder a new UIDVALIDITY, as after a mailbox rebuild."""
        maildir = self.maildir(user)
        uidlist = maildir / "dovecot-uidlist"
        header, _, rest = uidlist.read_text().partition("\n")
        fields = [
            f"V{int(part[1:]) + 1000}" if part.startswith("V") else part for part in header.split()
        ]
        uidlist.write_text(" ".join(fields) + "\n" + rest)
        for path in maildir.glob("dovecot.index*"):
            path.unlink()

    def _own(self, path: Path) -> None:
        if os.geteuid() != 0:
            return
        for item in [path, *path.rglob("*")] if path.is_dir() else [path]:
            os.chown(item, self.mail_uid, self.mail_uid)


def _own_user_settings() -> str:
    import pwd

    me = pwd.getpwuid(os.geteuid()).pw_name
    return f"default_login_user = {me}\ndefault_internal_user = {me}\n"


@contextlib.contextmanager
def running_dovecot():
    root = Path(tempfile.mkdtemp(prefix="od-dovecot-"))
    # The mail processes run as "nobody" when we are root: they must reach the maildirs.
    root.chmod(0o755)
    server = Dovecot(root=root, plain_port=free_port(), tls_port=free_port())
    try:
        server.start()
        yield server
    finally:
        server.stop()


class DroppingProxy:
    """A TCP relay to Dovecot that cuts the connection in the middle of the Nth message fetch."""

    def __init__(self, target_port: int, *, drop_on_fetch: int) -> None:
        self.target_port = target_port
        self.drop_on_fetch = drop_on_fetch
        self.fetches = 0
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.port = self.listener.getsockname()[1]
        import threading

        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        import select

        with contextlib.suppress(OSError):
            while True:
                client, _ = self.listener.accept()
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
                cutting = False
                with client, upstream:
                    while True:
                        ready, _, _ = select.select([client, upstream], [], [], 10)
                        if not ready:
                            break
                        if client in ready:
                            data = client.recv(65536)
                            if not data:
                                break
                            if b"BODY.PEEK[]" in data:
                                self.fetches += 1
                                cutting = self.fetches == self.drop_on_fetch
                            upstream.sendall(data)
                        if upstream in ready:
                            data = upstream.recv(65536)
                            if not data:
                                break
                            if cutting:
                                # Half a message, then the line goes dead.
                                client.sendall(data[: max(len(data) // 2, 1)])
                                break
                            client.sendall(data)

    def close(self) -> None:
        self.listener.close()
