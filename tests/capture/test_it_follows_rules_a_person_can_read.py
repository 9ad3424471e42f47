"""The reader's rules, one sentence at a time: what decides, and what never does."""

import datetime as dt

from capture.reader import read_email


def headers(body: str, *, sender="Dana Whitfield <dana@fabrikam.example>", extra="") -> bytes:
    return (
        f"From: {sender}\nTo: Sam <sam@example.net>\nSubject: Your application\n"
        f"Date: Tue, 10 Nov 2026 14:32:10 +0100\nMessage-ID: <x1@fabrikam.example>\n{extra}\n"
        f"{body}"
    ).encode()


def test_it_reads_unable_to_offer_you_the_position_as_a_rejection():
    reading = read_email("Dear Sam, we are unable to offer you the position. Regards, Dana")
    assert reading.is_rejection
    assert reading.decided_by[0] == "unable to offer you the position"


def test_it_does_not_read_unable_to_offer_a_time_slot_as_a_rejection():
    reading = read_email(
        "Hi Sam, unfortunately we are unable to offer a time slot on Friday. "
        "Could we reschedule the interview to Monday?"
    )
    assert not reading.is_rejection
    assert reading.verdict == "Not a rejection: it is about scheduling."


def test_one_weak_phrase_alone_decides_nothing():
    assert not read_email("Unfortunately the office is closed on Friday.").is_rejection
    assert not read_email("We regret the delay in getting back to you.").is_rejection


def test_two_weak_phrases_make_a_less_confident_rejection():
    reading = read_email(
        "Unfortunately, after careful consideration, your application has not progressed."
    )
    assert reading.is_rejection
    assert reading.confidence < 0.8
    assert reading.decided_by == ("Unfortunately", "after careful consideration")


def test_a_strong_phrase_decides_with_high_confidence():
    reading = read_email(headers("We have decided to move forward with other candidates."))
    assert reading.is_rejection
    assert reading.confidence >= 0.9
    assert reading.decided_by == ("decided to move forward with other candidates",)


def test_the_persons_own_mail_is_never_a_rejection():
    raw = headers(
        "I understand you decided to move forward with other candidates.",
        sender="Sam Rivera <Sam@Example.net>",
    )
    reading = read_email(raw, own_addresses=["sam@example.net"])
    assert not reading.is_rejection
    assert reading.verdict == "This is mail you sent, not one you received."


def test_a_quoted_rejection_under_a_reply_is_not_read():
    reading = read_email(
        headers(
            "Great, see you on Monday!\n\nOn Mon, 9 Nov 2026, Sam wrote:\n"
            "> They decided to move forward with other candidates, sadly.\n"
        )
    )
    assert not reading.is_rejection


def test_an_ats_sender_gives_the_company_from_its_display_name_not_its_domain():
    reading = read_email(
        headers(
            "We have decided to move forward with other candidates.",
            sender='"Fabrikam Talent Acquisition" <no-reply@greenhouse.io>',
        )
    )
    assert reading.ats == "Greenhouse"
    assert reading.company == "Fabrikam"
    assert reading.contact_email == ""  # a no-reply robot is nobody to thank


def test_the_date_header_is_the_received_time_and_pasted_text_has_none():
    with_headers = read_email(headers("We have decided to move forward with other candidates."))
    assert with_headers.received_at == dt.datetime(2026, 11, 10, 13, 32, 10, tzinfo=dt.UTC)
    pasted = read_email("We have decided to move forward with other candidates.")
    assert pasted.received_at is None
    assert pasted.notes == ()


def test_html_is_read_as_text_without_its_scripts_styles_or_links():
    raw = headers(
        "<html><head><style>.x{}</style><script>alert('decided to move forward with "
        "other candidates')</script></head><body><p>Thanks for applying.</p>"
        '<p><a href="https://evil.example/track">Track</a> your application status.</p>'
        "</body></html>",
        extra="Content-Type: text/html; charset=utf-8\n",
    )
    reading = read_email(raw)
    assert not reading.is_rejection  # the phrase lived only in a script
    assert "alert" not in reading.excerpt and "evil.example" not in reading.excerpt
    assert "Track your application status." in reading.excerpt


def test_open_door_signals_are_listed_for_a_rejection():
    reading = read_email(
        "We have decided to move forward with other candidates. We will keep your résumé on "
        "file, encourage you to apply again, and hope to stay in touch."
    )
    assert reading.open_door
    assert reading.open_door_signals == (
        "keeps your résumé on file",
        "encourages you to apply again",
        "asks to stay in touch",
    )


def test_german_rejections_are_read():
    reading = read_email(
        "Sehr geehrter Herr Rivera, leider haben wir uns für einen anderen Bewerber "
        "entschieden. Wir nehmen Ihre Unterlagen gerne in unseren Talentpool auf."
    )
    assert reading.is_rejection
    assert reading.open_door_signals == ("keeps your résumé on file",)
