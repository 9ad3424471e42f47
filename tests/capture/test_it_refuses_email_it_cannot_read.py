"""Bad input gets a sentence that says what to do, never a traceback."""

import pytest

from capture.reader import MAX_EMAIL_BYTES, UnreadableEmail, read_email


def test_a_twenty_megabyte_email_is_refused_with_its_size():
    with pytest.raises(
        UnreadableEmail, match=r"That email is 20\.0 MB; Open Doors reads emails up to 5 MB"
    ):
        read_email(b"x" * (20 * 1024 * 1024))
    assert MAX_EMAIL_BYTES == 5 * 1024 * 1024


def test_nothing_to_read_is_said_plainly():
    with pytest.raises(UnreadableEmail, match="There is nothing to read"):
        read_email("   \n ")


def test_binary_data_is_not_an_email():
    with pytest.raises(UnreadableEmail, match="That is not an email: it contains binary data"):
        read_email(b"PK\x03\x04\x00\x00zip file")


def test_a_bomb_of_mime_parts_is_refused_before_it_costs_much():
    parts = "".join(f"--b\nContent-Type: text/plain\n\npart {n}\n" for n in range(2000))
    raw = (
        "From: x@example.com\nSubject: hi\nDate: Tue, 10 Nov 2026 10:00:00 +0000\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n' + parts + "--b--\n"
    ).encode()
    with pytest.raises(UnreadableEmail, match="more than 100 parts"):
        read_email(raw)


def test_deeply_nested_parts_are_refused():
    depth = 20
    raw = "From: x@example.com\nSubject: hi\nDate: Tue, 10 Nov 2026 10:00:00 +0000\n"
    for level in range(depth):
        raw += f'Content-Type: multipart/mixed; boundary="b{level}"\n\n--b{level}\n'
    raw += "Content-Type: text/plain\n\nhello\n"
    with pytest.raises(UnreadableEmail, match="nested too deeply"):
        read_email(raw.encode())


def test_a_missing_date_is_said_and_leaves_the_time_empty():
    reading = read_email(
        b"From: Dana <dana@fabrikam.example>\nSubject: Your application\n\n"
        b"We have decided to move forward with other candidates.\n"
    )
    assert reading.is_rejection
    assert reading.received_at is None
    assert reading.notes == ("The email has no Date: set when it arrived yourself.",)


def test_a_date_that_cannot_be_read_is_said():
    reading = read_email(
        b"From: Dana <dana@fabrikam.example>\nSubject: Hi\nDate: last Tuesday-ish\n\n"
        b"We have decided to move forward with other candidates.\n"
    )
    assert reading.received_at is None
    assert reading.notes == ("The email's Date can't be read: set when it arrived yourself.",)


def test_an_unknown_charset_is_read_as_well_as_possible_and_said():
    reading = read_email(
        b"From: Dana <dana@fabrikam.example>\nSubject: Hi\nDate: Tue, 10 Nov 2026 10:00:00 +0000\n"
        b'Content-Type: text/plain; charset="x-martian-7"\n\n'
        b"We have decided to move forward with other candidates.\n"
    )
    assert reading.is_rejection
    assert reading.notes == (
        "Part of the email is in a character set Open Doors doesn't know (“x-martian-7”): "
        "some letters may look wrong. Check the fields.",
    )


def test_a_malformed_email_with_broken_headers_still_reads_its_text_or_says_why():
    raw = b"From: \nSubject: =?utf-8?q?broken=ZZ?=\nContent-Type: multipart/mixed\n\nno boundary here\n"
    reading = read_email(raw)
    assert not reading.is_rejection
    assert reading.verdict == "Not a rejection: nothing in it says no."


def test_headers_with_nothing_to_read_are_said_plainly():
    raw = b"From: x@example.com\nTo: sam@example.net\nDate: Tue, 10 Nov 2026 10:00:00 +0000\n\n"
    with pytest.raises(UnreadableEmail, match=r"That email has no text in it to read\."):
        read_email(raw)
