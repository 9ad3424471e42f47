"""Fetch a job board's public feed, safely: the addresses are typed by people.

Server-side request forgery is the danger (a board address of http://169.254.169.254/ or
https://localhost:6379/), so a fetch:

1. takes https only, on any port, with no user:password part;
2. resolves the host itself and refuses it when any address is private, loopback,
   link-local, reserved, multicast or otherwise not global; then connects to the checked
   address (the Host header and TLS server name stay the board's), so a second DNS answer
   cannot swap in an internal one;
3. follows at most MAX_REDIRECTS redirects by hand, each one checked as above;
4. reads at most MAX_BYTES and gives up after MAX_SECONDS in all.

Tests run a server on 127.0.0.1; `settings.BOARD_FETCH_TEST_ALLOW` names its exact
"host:port" (plain http allowed there only). It is empty in production.
"""

import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings

USER_AGENT = "OpenDoors/1.0 (job board watch, one request a day; self-hosted)"
MAX_REDIRECTS = 3
MAX_BYTES = 2 * 1024 * 1024
MAX_SECONDS = 20.0
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """Why a board could not be read, in words for the person."""


class Refused(FetchError):
    """The address is not one Open Doors will fetch (not https, or an internal address)."""


@dataclass(frozen=True)
class Fetched:
    status: int  # 200, or 304 (not modified), or 404/410 (the board is gone)
    body: bytes
    etag: str
    last_modified: str
    url: str  # after redirects
    content_type: str


def _allowed_for_tests(host: str, port: int) -> bool:
    return f"{host}:{port}" in set(getattr(settings, "BOARD_FETCH_TEST_ALLOW", ()) or ())


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def check_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL Open Doors may fetch; Refused otherwise (no DNS: the
    form checks addresses with it too; `resolve` checks names at fetch time)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Refused("The address has an invalid port.") from None
    if not host:
        raise Refused("The address has no host.")
    if parts.username or parts.password:
        raise Refused("Addresses with a user name or password are not fetched.")
    if parts.scheme != "https" and not (parts.scheme == "http" and _allowed_for_tests(host, port)):
        raise Refused("Only https:// addresses are fetched.")
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None and not _allowed_for_tests(host, port) and not _is_public(str(literal)):
        raise Refused(f"{host} is an internal address: it is not fetched.")
    return parts.scheme, host, port


def resolve(host: str, port: int) -> str:
    """One checked address for `host`: every address it resolves to must be public."""
    if _allowed_for_tests(host, port):
        return host
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"The name {host} could not be found.") from None
    addresses = [info[4][0] for info in infos]
    if not addresses:
        raise FetchError(f"The name {host} could not be found.")
    for address in addresses:
        if not _is_public(address):
            raise Refused(f"{host} points to an internal address: it is not fetched.")
    return addresses[0]


def fetch(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    transport: httpx.BaseTransport | None = None,
) -> Fetched:
    """GET a board's feed with the checks above; FetchError / Refused when it cannot."""
    started = time.monotonic()
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json, application/xml, */*"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    with httpx.Client(timeout=TIMEOUT, follow_redirects=False, transport=transport) as client:
        for _ in range(MAX_REDIRECTS + 1):
            scheme, host, port = check_url(url)
            address = resolve(host, port)
            parts = urlsplit(url)
            ip_host = f"[{address}]" if ":" in address else address
            target = parts._replace(netloc=f"{ip_host}:{port}").geturl()
            extensions = {"sni_hostname": host} if scheme == "https" else {}
            host_header = host if port in (80, 443) else f"{host}:{port}"
            try:
                with client.stream(
                    "GET",
                    target,
                    headers={**headers, "Host": host_header},
                    extensions=extensions,
                ) as response:
                    if response.status_code in REDIRECTS:
                        location = response.headers.get("location", "")
                        if not location:
                            raise FetchError("The board redirected to nowhere.")
                        url = urljoin(url, location)
                        continue
                    body = _read_capped(response, started)
                    return Fetched(
                        status=response.status_code,
                        body=body,
                        etag=response.headers.get("etag", ""),
                        last_modified=response.headers.get("last-modified", ""),
                        url=url,
                        content_type=response.headers.get("content-type", ""),
                    )
            except httpx.TimeoutException:
                raise FetchError("The board did not answer in time.") from None
            except httpx.HTTPError as exc:
                raise FetchError(
                    f"The board could not be reached ({type(exc).__name__})."
                ) from None
    raise FetchError(f"The board redirected more than {MAX_REDIRECTS} times.")


def _read_capped(response: httpx.Response, started: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raise FetchError(f"The board's answer is too large (over {MAX_BYTES // 1024 // 1024} MB).")
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_BYTES:
            raise FetchError(
                f"The board's answer is too large (over {MAX_BYTES // 1024 // 1024} MB)."
            )
        if time.monotonic() - started > MAX_SECONDS:
            raise FetchError("The board took too long to answer.")
        chunks.append(chunk)
    return b"".join(chunks)
