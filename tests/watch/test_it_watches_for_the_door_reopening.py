"""The daily watch: a role like the one the person was turned down for appears on the
company's board. Inside the cooldown the dashboard says so; after it, the recruiter note is
planned with the posting's title and link. One request per board per day, back-off on
errors, a board that disappears."""

import pytest
from django.urls import reverse

from followups.drafts import draft_for
from followups.models import FollowUp
from tests.factories import ContactFactory, RejectionFactory
from tests.followups.conftest import at
from tests.watch.conftest import GREENHOUSE, RSS
from watch import boards, services
from watch.models import BoardWatch, Opening

Kind = FollowUp.Kind


@pytest.fixture
def fabrikam(person, board):
    """Fabrikam turned Sam down for Data Engineer on Mon 2 Mar 2026 (cooldown: 90 days, so it
    ends on Sun 31 May); its feed is watched."""
    dana = ContactFactory(
        owner=person, company__name="Fabrikam", name="Dana Reyes", email="dana@fabrikam.example"
    )
    rejection = RejectionFactory(
        owner=person,
        application__company=dana.company,
        application__role_title="Data Engineer",
        contact=dana,
        received_at=at("2026-03-02 10:00"),
    )
    board.serve("/jobs.rss", RSS, headers={"ETag": '"feed-1"'})
    watch = services.save_board(company=dana.company, url=board.url("/jobs.rss"))
    return watch, rejection


def check(day: str) -> services.Summary:
    return services.check_due_boards(now=at(f"{day} 07:00"))


def test_inside_the_cooldown_the_dashboard_tells_the_day_it_ends(
    person, fabrikam, client_for, time_machine
):
    summary = check("2026-04-10")
    assert (summary.checked, summary.new_openings, summary.notes) == (1, 2, 0)
    matched = Opening.objects.get(rejection__isnull=False)
    assert matched.title == "Senior Data Engineer (Remote, EU)"
    assert Opening.objects.get(title="Office Manager").rejection is None
    assert not FollowUp.objects.filter(kind=Kind.RECRUITER_NOTE).exists()
    time_machine.move_to(at("2026-04-10 09:00"), tick=False)
    page = client_for(person).get(reverse("dashboard:index")).text
    assert (
        "Opening found at Fabrikam: Senior Data Engineer (Remote, EU). "
        "Your cooldown ends on Sun 31 May." in page
    )


def test_after_the_cooldown_the_recruiter_note_carries_the_title_and_link(person, fabrikam, board):
    """GIVEN the opening seen in April, inside the cooldown
    WHEN the board is read on 1 June (unchanged: 304 for its ETag)
    THEN the note to Dana is planned, its draft naming the posting and its link."""
    check("2026-04-10")
    summary = check("2026-06-01")
    assert board.hits("/jobs.rss")[-1]["If-None-Match"] == '"feed-1"'
    assert summary.notes == 1
    note = FollowUp.objects.get(kind=Kind.RECRUITER_NOTE)
    assert note.contact.name == "Dana Reyes"
    draft = draft_for(note)
    assert "Senior Data Engineer (Remote, EU)" in draft.subject
    assert "https://jobs.fabrikam.example/42" in draft.body
    assert note.reminders.filter(status="pending").exists()
    # Once only: the next day's read plans nothing more.
    assert check("2026-06-02").notes == 0
    assert FollowUp.objects.filter(kind=Kind.RECRUITER_NOTE).count() == 1


def test_each_board_is_asked_once_a_day(fabrikam, board):
    check("2026-04-10")
    services.check_due_boards(now=at("2026-04-10 15:00"))
    assert len(board.hits("/jobs.rss")) == 1
    check("2026-04-11")
    assert len(board.hits("/jobs.rss")) == 2


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (500, "oops", "The board answered 500."),
        (200, "<rss><item><title>cut off", "The feed is not valid RSS or Atom."),
    ],
)
def test_errors_back_off_and_say_what_went_wrong(
    person, fabrikam, board, client_for, status, body, error
):
    watch, _ = fabrikam
    board.serve("/jobs.rss", body, status=status)
    assert check("2026-04-10").failed == 1
    watch.refresh_from_db()
    assert (watch.failures, watch.last_error) == (1, error)
    assert watch.next_check_at == at("2026-04-12 07:00")
    check("2026-04-11")  # not due: no request
    assert len(board.hits("/jobs.rss")) == 1
    check("2026-04-12")
    watch.refresh_from_db()
    assert watch.failures == 2 and watch.next_check_at == at("2026-04-16 07:00")
    page = client_for(person).get(reverse("watch:board", args=[watch.company_id])).text
    assert error in page


def test_malformed_json_from_a_json_board(person, fabrikam, board, monkeypatch):
    watch, _ = fabrikam
    board.serve("/gh.json", "{not json")
    monkeypatch.setattr(
        services.boards,
        "board_for",
        lambda url: boards.Board("greenhouse", board.url("/gh.json"), boards.parse_greenhouse),
    )
    check("2026-04-10")
    watch.refresh_from_db()
    assert watch.last_error == "The board's answer is not valid JSON."
    board.serve("/gh.json", GREENHOUSE)
    check("2026-04-12")
    assert Opening.objects.get(rejection__isnull=False).title == "Data Engineer"


def test_a_board_that_disappears(person, fabrikam, board, client_for, time_machine):
    watch, _ = fabrikam
    check("2026-04-10")
    del board.routes["/jobs.rss"]  # now 404
    check("2026-04-11")
    watch.refresh_from_db()
    assert watch.gone_since == at("2026-04-11 07:00")
    assert "The board is gone" in watch.last_error
    assert not Opening.objects.filter(listed=True).exists()
    time_machine.move_to(at("2026-04-11 09:00"), tick=False)
    page = client_for(person).get(reverse("dashboard:index")).text
    assert "Opening found at Fabrikam" not in page


def test_the_company_page_sets_and_refuses_addresses(person, client_for, board):
    company = ContactFactory(owner=person, company__name="Initech").company
    client = client_for(person)
    url = reverse("watch:board", args=[company.pk])
    refused = client.post(url, {"url": "https://169.254.169.254/latest/"})
    assert "169.254.169.254 is an internal address" in refused.text
    internal = client.post(url, {"url": "http://intranet.example/jobs"})
    assert "Only https:// addresses are fetched." in internal.text
    assert not BoardWatch.objects.exists()
    client.post(url, {"url": "https://jobs.lever.co/initech"})
    watch = BoardWatch.objects.get(company=company)
    assert watch.provider == "lever"
    assert client_for(ContactFactory(owner__username="eve").owner).get(url).status_code == 404
