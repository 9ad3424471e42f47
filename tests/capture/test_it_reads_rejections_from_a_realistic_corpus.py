"""The reader on 65 emails written for these tests (tests/capture/emails, expected.yaml).

Precision first: nothing that isn't a rejection may be taken for one. Then recall, and for
the rejections it finds, each field the person would otherwise type by hand.
"""

import re
from pathlib import Path

import pytest
import yaml

from capture.reader import read_email

EMAILS = Path(__file__).parent / "emails"
EXPECTED: dict[str, dict] = yaml.safe_load((EMAILS / "expected.yaml").read_text())
OWN = ("sam.rivera@example.net",)


def same(a: str, b: str) -> bool:
    """Names as a person compares them: case, spaces and punctuation aside."""
    return re.sub(r"[\W_]+", "", (a or "").lower()) == re.sub(r"[\W_]+", "", (b or "").lower())


@pytest.fixture(scope="module")
def readings():
    return {name: read_email((EMAILS / name).read_bytes(), own_addresses=OWN) for name in EXPECTED}


def test_the_corpus_has_the_variety_the_reader_must_handle():
    names = sorted(EXPECTED)
    not_rejections = [n for n in names if not EXPECTED[n]["is_rejection"]]
    assert len(names) >= 60
    assert len(not_rejections) >= 20
    raw = {name: (EMAILS / name).read_bytes() for name in names}
    assert any(b"quoted-printable" in data for data in raw.values())
    assert any(b"Content-Transfer-Encoding: base64" in data for data in raw.values())
    assert any(b'charset="iso-8859-1"' in data for data in raw.values())
    assert any(b'charset="windows-1252"' in data for data in raw.values())
    assert any(b"text/html" in data and b"text/plain" not in data for data in raw.values())
    assert any(name.endswith(".txt") for name in names)  # pasted text, no headers


def test_it_never_takes_a_non_rejection_for_a_rejection(readings):
    false_alarms = [
        (name, readings[name].decided_by)
        for name, expected in EXPECTED.items()
        if readings[name].is_rejection and not expected["is_rejection"]
    ]
    assert false_alarms == []  # precision 1.0


def test_it_finds_at_least_nine_in_ten_rejections(readings):
    rejections = [name for name, expected in EXPECTED.items() if expected["is_rejection"]]
    found = [name for name in rejections if readings[name].is_rejection]
    missed = sorted(set(rejections) - set(found))
    assert len(found) / len(rejections) >= 0.9, missed


@pytest.mark.parametrize(
    ("field", "minimum"),
    [
        ("company", 0.9),
        ("role", 0.9),
        ("contact_name", 0.85),
        ("contact_email", 0.9),
        ("received_at", 1.0),
        ("open_door", 0.9),
        ("reason", 0.85),
    ],
)
def test_it_reads_each_field_of_the_rejections_it_finds(readings, field, minimum):
    checked, wrong = 0, []
    for name, expected in EXPECTED.items():
        reading = readings[name]
        if not (expected["is_rejection"] and reading.is_rejection):
            continue
        checked += 1
        if field == "received_at":
            got = reading.received_at.isoformat() if reading.received_at else None
            ok = got == expected["received_at"]
        elif field == "open_door":
            got = reading.open_door
            ok = got == expected["open_door"]
        elif field == "reason":
            got = reading.reason
            want = expected["reason"]
            ok = (want.lower() in got.lower()) if want else got == ""
        else:
            got = getattr(reading, field)
            ok = same(got, expected[field])
        if not ok:
            wrong.append((name, got, expected[field]))
    assert checked >= 36
    assert (checked - len(wrong)) / checked >= minimum, wrong


def test_each_rejection_says_which_phrases_decided_it(readings):
    for name, expected in EXPECTED.items():
        reading = readings[name]
        if expected["is_rejection"]:
            assert reading.decided_by, name
            assert all(
                phrase.lower() in " ".join(reading_text(name).split()).lower()
                for phrase in reading.decided_by
            ), name
            assert 0.5 <= reading.confidence <= 0.99


def reading_text(name: str) -> str:
    """The email as the reader saw it, to check that a deciding phrase is really in it."""
    from capture.reader import _parse  # the same decoding the reader used

    return _parse((EMAILS / name).read_bytes()).text
