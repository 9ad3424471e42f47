"""The board fetcher is safe against server-side request forgery and misbehaving boards:
https only, no internal addresses (also after a redirect), a few redirects at most, a size
cap and a time cap. Against a local server; the loopback port is allowed only by a setting
that production never sets."""

import pytest

from watch import fetch as fetcher
from watch.fetch import FetchError, Refused, fetch


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/jobs",
        "https://localhost:6379/",
        "https://[::1]/",
        "https://169.254.169.254/latest/meta-data/",
        "https://10.1.2.3/feed",
        "https://192.168.0.10/feed",
        "https://0.0.0.0/",
        "https://[::ffff:127.0.0.1]/",
    ],
)
def test_internal_addresses_are_refused(url):
    with pytest.raises(Refused, match="internal address"):
        fetch(url)


def test_an_internal_name_is_refused_after_resolving_it():
    with pytest.raises(Refused, match="localhost points to an internal address"):
        fetch("https://localhost:8443/jobs")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://jobs.example/feed", "Only https"),
        ("ftp://jobs.example/feed", "Only https"),
        ("https://user:pw@jobs.example/", "user name or password"),
    ],
)
def test_only_plain_https_addresses_are_fetched(url, reason):
    with pytest.raises(Refused, match=reason):
        fetch(url)


def test_the_loopback_server_is_reachable_only_through_the_test_setting(board, settings):
    board.serve("/feed", "<rss/>")
    assert fetch(board.url("/feed")).status == 200
    settings.BOARD_FETCH_TEST_ALLOW = []
    with pytest.raises(Refused):
        fetch(board.url("/feed"))
    assert len(board.hits("/feed")) == 1


@pytest.mark.parametrize(
    "target",
    [
        "http://127.0.0.1:1/admin",
        "https://127.0.0.1/admin",
        "https://169.254.169.254/latest/meta-data/iam/",
    ],
)
def test_a_redirect_to_an_internal_address_is_refused(board, target):
    board.serve("/moved", b"", status=302, headers={"Location": target})
    with pytest.raises(Refused):
        fetch(board.url("/moved"))


def test_it_follows_a_few_redirects_and_no_more(board):
    board.serve("/a", b"", status=301, headers={"Location": "/b"})
    board.serve("/b", "<rss/>")
    fetched = fetch(board.url("/a"))
    assert fetched.status == 200 and fetched.url.endswith("/b")
    board.serve("/loop", b"", status=302, headers={"Location": "/loop"})
    with pytest.raises(FetchError, match="redirected more than 3 times"):
        fetch(board.url("/loop"))
    assert len(board.hits("/loop")) == 4


def test_a_10_mb_answer_is_cut_off(board):
    with pytest.raises(FetchError, match="too large"):
        fetch(board.url("/huge"))


def test_a_declared_size_over_the_cap_is_not_read(board):
    board.serve("/big", b"x" * (fetcher.MAX_BYTES + 1))
    with pytest.raises(FetchError, match="too large"):
        fetch(board.url("/big"))


def test_a_board_that_never_answers_times_out(board, monkeypatch):
    monkeypatch.setattr(fetcher, "TIMEOUT", fetcher.httpx.Timeout(0.5))
    with pytest.raises(FetchError, match="did not answer in time"):
        fetch(board.url("/silent"))


def test_a_board_that_drips_forever_hits_the_time_cap(board, monkeypatch):
    monkeypatch.setattr(fetcher, "MAX_SECONDS", 1.0)
    with pytest.raises(FetchError, match="took too long"):
        fetch(board.url("/slow"))


def test_it_asks_politely_and_conditionally(board):
    board.serve("/feed", "<rss/>", headers={"ETag": '"v1"', "Last-Modified": "Mon, 02 Mar 2026"})
    first = fetch(board.url("/feed"))
    assert (first.etag, first.last_modified) == ('"v1"', "Mon, 02 Mar 2026")
    again = fetch(board.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert again.status == 304
    headers = board.hits("/feed")[1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Mon, 02 Mar 2026"
    assert headers["User-Agent"].startswith("OpenDoors/")
