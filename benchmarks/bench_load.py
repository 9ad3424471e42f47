"""The web app under load: gunicorn on 127.0.0.1 as docker-compose runs it, 32 connections.

gunicorn serves config.wsgi with the production settings, the compose file's 3 sync workers
and its access log. Each page gets the same load in turn: the bare logged-in page (the
smallest page behind login, benchmarks/bench_dashboard.py), the dashboard of each person of
the dashboard section (the demo search and a very large one) as production serves it (repeat
visits get the cards kept in Redis, dashboard.views), the same dashboards from a second
gunicorn with DASHBOARD_CACHE_SECONDS=0 (every visit renders, as right after a change),
then the bare page again, so
the bare figure used in the ratios is the two bare runs pooled, on either side of the
dashboards. Every request carries the person's session cookie and the X-Forwarded-Proto
header the TLS proxy adds. wrk (Debian's package, installed with apt-get when missing) drives
it; if it cannot be installed, a small threaded Python client does. Every response that is
not a 200 counts as an error, as do socket errors and timeouts (no answer within 30 s,
gunicorn's own limit).
"""

import http.client
import os
import shutil
import signal
import statistics
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from benchmarks.bench_dashboard import (
    BARE_MARKER,
    MARKER,
    bare_url,
    logged_in_client,
    seed,
    sizes,
)
from benchmarks.env import ROOT
from benchmarks.smtp_sink import free_port

WORKERS = 3  # docker-compose.yml: gunicorn ... --workers 3
TIMEOUT_SECONDS = 30

WRK_SCRIPT = """
local threads = {}
function setup(thread)
  table.insert(threads, thread)
end
function init(args)
  statuses = {}
end
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
function done(summary, latency, requests)
  io.write("BENCH requests ", summary.requests, "\\n")
  io.write("BENCH duration_us ", summary.duration, "\\n")
  local e = summary.errors
  io.write("BENCH socket_errors ", e.connect + e.read + e.write, "\\n")
  io.write("BENCH timeouts ", e.timeout, "\\n")
  for _, p in ipairs({50, 90, 99}) do
    io.write("BENCH p", p, " ", latency:percentile(p), "\\n")
  end
  io.write("BENCH mean ", latency.mean, "\\n")
  io.write("BENCH max ", latency.max, "\\n")
  local counts = {}
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("statuses")) do
      counts[code] = (counts[code] or 0) + n
    end
  end
  for code, n in pairs(counts) do
    io.write("BENCH status_", code, " ", n, "\\n")
  end
end
"""


class Gunicorn:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(WORKERS),
                "--access-logfile",
                "-",
            ],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{self.port}/"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {log}")
            try:
                probe = urllib.request.Request(
                    self.url + "healthz", headers={"X-Forwarded-Proto": "https"}
                )
                urllib.request.urlopen(probe, timeout=2)
                return
            except urllib.error.HTTPError:
                return  # it answers (healthz may redirect or report a broker outage)
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def headers_for(cookie_name: str, cookie: str) -> dict[str, str]:
    return {"Cookie": f"{cookie_name}={cookie}", "X-Forwarded-Proto": "https"}


def check_page(url: str, headers: dict[str, str], marker: bytes) -> int:
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
        body = response.read()
        if response.status != 200 or marker not in body:
            raise RuntimeError(f"{url} answered {response.status} without the page")
        return len(body)


def ensure_wrk(log) -> str | None:
    """The path of wrk, installed from Debian's packages when missing (None if impossible)."""
    found = shutil.which("wrk")
    if found:
        return found
    apt = shutil.which("apt-get")
    if not apt:
        log("load: wrk is missing and there is no apt-get; the Python client will drive")
        return None
    sudo = [] if os.geteuid() == 0 else [shutil.which("sudo") or "sudo", "-n"]
    log("load: installing wrk (apt-get install wrk)")
    for command in ([*sudo, apt, "update", "-qq"], [*sudo, apt, "install", "-y", "-qq", "wrk"]):
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        if done.returncode != 0:
            log(f"load: {' '.join(command)} failed: {done.stderr.strip()[-300:]}")
            break
    found = shutil.which("wrk")
    if not found:
        log("load: wrk could not be installed; the Python client will drive")
    return found


def run_wrk(url: str, headers: dict[str, str], *, connections: int, seconds: int, tmp: Path):
    script = tmp / "bench.lua"
    script.write_text(WRK_SCRIPT)
    threads = max(1, min(len(os.sched_getaffinity(0)), connections))
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={TIMEOUT_SECONDS}s",
        "-s",
        str(script),
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    done = subprocess.run([*command, url], capture_output=True, text=True, check=True)
    figures: dict = {"statuses": {}}
    for line in done.stdout.splitlines():
        if not line.startswith("BENCH "):
            continue
        _, key, value = line.split()
        if key.startswith("status_"):
            figures["statuses"][key.removeprefix("status_")] = int(value)
        else:
            figures[key] = float(value)
    requests = int(figures["requests"])
    ok = figures["statuses"].get("200", 0)
    return {
        "client": f"wrk, {threads} threads",
        "requests": requests,
        "seconds": figures["duration_us"] / 1e6,
        "rps": requests / (figures["duration_us"] / 1e6),
        "ok": ok,
        "errors": int(figures["socket_errors"] + figures["timeouts"]) + (requests - ok),
        "socket_errors": int(figures["socket_errors"]),
        "timeouts": int(figures["timeouts"]),
        "statuses": figures["statuses"],
        "p50_ms": figures["p50"] / 1000,
        "p90_ms": figures["p90"] / 1000,
        "p99_ms": figures["p99"] / 1000,
        "mean_ms": figures["mean"] / 1000,
        "max_ms": figures["max"] / 1000,
    }


def run_threads(url: str, headers: dict[str, str], *, connections: int, seconds: int):
    """A keep-alive client per thread; the fallback when wrk is not installed."""
    parts = urllib.parse.urlsplit(url)
    port, path = parts.port, parts.path or "/"
    latencies: list[list[float]] = [[] for _ in range(connections)]
    statuses: dict[str, int] = {}
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_SECONDS)
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                with lock:
                    errors[0] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_SECONDS)
                continue
            latencies[index].append((time.perf_counter() - started) * 1000)
            with lock:
                statuses[str(response.status)] = statuses.get(str(response.status), 0) + 1
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    times = sorted(t for per in latencies for t in per)
    requests = len(times)
    ok = statuses.get("200", 0)
    return {
        "client": f"Python threads ({connections})",
        "requests": requests,
        "seconds": elapsed,
        "rps": requests / elapsed,
        "ok": ok,
        "errors": errors[0] + (requests - ok),
        "socket_errors": errors[0],
        "timeouts": 0,
        "statuses": statuses,
        "p50_ms": statistics.median(times),
        "p90_ms": times[int(requests * 0.90) - 1],
        "p99_ms": times[int(requests * 0.99) - 1],
        "mean_ms": statistics.fmean(times),
        "max_ms": times[-1],
    }


def _pages(users) -> list[tuple[str, object, str, bytes, bool]]:
    """(page, person, path, marker, rendered) in the order they are loaded: bare, the
    dashboards as served (repeat visits get the kept cards), the dashboards rendered on every
    visit, bare."""
    bare = ("bare", users[0], bare_url(), BARE_MARKER, False)
    kept = [("dashboard", user, "/", MARKER, False) for user in users]
    rendered = [("dashboard", user, "/", MARKER, True) for user in users]
    return [bare, *kept, *rendered, bare]


def _pooled(runs: list[dict]) -> dict:
    requests = sum(r["requests"] for r in runs)
    seconds = sum(r["seconds"] for r in runs)
    return {"requests": requests, "seconds": seconds, "rps": requests / seconds}


def run(ctx) -> dict:
    from django.conf import settings

    users = ctx.shared.get("dashboard_users")
    if not users:
        users = [seed(f"bench{n}", n)["user"] for n in sizes(ctx)]
    connections, seconds = ctx.sizes["load_connections"], ctx.sizes["load_seconds"]
    wrk = ensure_wrk(ctx.log)
    server = Gunicorn(ctx.env, ctx.var_dir / "gunicorn.log")
    ctx.shared.setdefault("cleanup", []).append(server.stop)
    # The same app with the card cache off: every visit renders the cards.
    rendering = Gunicorn(
        {**ctx.env, "DASHBOARD_CACHE_SECONDS": "0"}, ctx.var_dir / "gunicorn-rendering.log"
    )
    ctx.shared["cleanup"].append(rendering.stop)
    cookies = {}
    runs = []
    try:
        for page, user, path, marker, rendered in _pages(users):
            if user.pk not in cookies:
                client = logged_in_client(user)
                cookies[user.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
            headers = headers_for(settings.SESSION_COOKIE_NAME, cookies[user.pk])
            url = (rendering if rendered else server).url.rstrip("/") + path
            page_bytes = check_page(url, headers, marker)
            ctx.log(
                f"load: {page}{' (rendered every visit)' if rendered else ''} {path} as "
                f"{user.username}, {connections} connections, {seconds} s"
            )
            if wrk:
                figures = run_wrk(
                    url, headers, connections=connections, seconds=seconds, tmp=ctx.var_dir
                )
            else:
                figures = run_threads(url, headers, connections=connections, seconds=seconds)
            ctx.log(
                f"load: {figures['requests']:,} requests ({figures['rps']:.1f}/s), "
                f"{figures['errors']} errors, p50 {figures['p50_ms']:.0f} ms, "
                f"p99 {figures['p99_ms']:.0f} ms"
            )
            runs.append(
                {
                    "page": page,
                    **({"rendered": rendered} if page == "dashboard" else {}),
                    "path": path,
                    "username": user.username,
                    "page_bytes": page_bytes,
                    **figures,
                }
            )
    finally:
        server.stop()
        rendering.stop()
    bare = _pooled([r for r in runs if r["page"] == "bare"])
    for r in runs:
        if r["page"] == "dashboard":
            r["ratio"] = r["rps"] / bare["rps"]
    return {
        "workers": WORKERS,
        "connections": connections,
        "duration": seconds,
        "timeout": TIMEOUT_SECONDS,
        "runs": runs,
        "bare": bare,
    }
