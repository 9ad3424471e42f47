"""Greenhouse, Lever and Ashby public postings, and RSS/Atom feeds: from the address a person
types to the postings, with outside data kept as plain text."""

import json

import pytest

from tests.watch.conftest import ASHBY, ATOM, GREENHOUSE, LEVER, RSS
from watch import boards
from watch.fetch import FetchError
from watch.matching import matches


@pytest.mark.parametrize(
    ("typed", "provider", "api"),
    [
        (
            "https://boards.greenhouse.io/fabrikam",
            "greenhouse",
            "https://boards-api.greenhouse.io/v1/boards/fabrikam/jobs",
        ),
        (
            "https://job-boards.greenhouse.io/fabrikam/jobs/123",
            "greenhouse",
            "https://boards-api.greenhouse.io/v1/boards/fabrikam/jobs",
        ),
        (
            "https://jobs.lever.co/globex",
            "lever",
            "https://api.lever.co/v0/postings/globex?mode=json",
        ),
        (
            "https://jobs.ashbyhq.com/initech",
            "ashby",
            "https://api.ashbyhq.com/posting-api/job-board/initech",
        ),
        ("https://initech.example/jobs.rss", "feed", "https://initech.example/jobs.rss"),
    ],
)
def test_it_knows_the_board_from_the_address(typed, provider, api):
    board = boards.board_for(typed)
    assert (board.provider, board.api_url) == (provider, api)


def test_greenhouse_postings_keep_only_web_links():
    postings = boards.parse_greenhouse(json.dumps(GREENHOUSE).encode())
    assert [(p.key, p.title, p.url) for p in postings] == [
        ("4011", "Data Engineer", "https://boards.example/4011"),
        ("4012", "Product Designer", ""),
    ]


def test_lever_and_ashby_postings():
    assert [p.title for p in boards.parse_lever(json.dumps(LEVER).encode())] == ["Backend Engineer"]
    assert [p.url for p in boards.parse_ashby(json.dumps(ASHBY).encode())] == [
        "https://ashby.example/x9"
    ]


def test_rss_and_atom_feeds():
    assert [(p.key, p.title) for p in boards.parse_feed(RSS.encode())] == [
        ("fab-42", "Senior Data Engineer (Remote, EU)"),
        ("fab-43", "Office Manager"),
    ]
    [entry] = boards.parse_feed(ATOM.encode())
    assert (entry.key, entry.url) == ("urn:globex:7", "https://globex.example/jobs/7")


@pytest.mark.parametrize(
    ("parse", "body"),
    [
        (boards.parse_greenhouse, b"{not json"),
        (boards.parse_lever, b'{"jobs": "nope"}'),
        (boards.parse_feed, b"<rss><item><title>unclosed"),
        (
            boards.parse_feed,
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;">]><rss>&b;</rss>',
        ),
    ],
)
def test_a_malformed_answer_is_an_error_not_a_crash(parse, body):
    with pytest.raises(FetchError):
        parse(body)


@pytest.mark.parametrize(
    ("posting", "role", "expected"),
    [
        ("Senior Data Engineer (Remote, EU)", "Data Engineer", True),
        ("Data Engineer - Berlin", "data engineer", True),
        ("Engineer, Data", "Data Engineer", True),
        ("Data Engineering Manager", "Data Engineer", False),
        ("Backend Engineer", "Data Engineer", False),
        ("Office Manager", "Data Engineer", False),
    ],
)
def test_titles_match_the_role_after_normalising(posting, role, expected):
    assert matches(posting, role) is expected
