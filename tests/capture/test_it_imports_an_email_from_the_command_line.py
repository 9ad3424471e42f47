"""`manage.py import_email`: one message from a file or a pipe, into the review queue."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from capture.models import ReviewItem
from tests.capture.conftest import EMAILS, email_bytes
from tests.factories import ApplicationFactory, CompanyFactory, UserFactory
from tests.followups.conftest import shared_database

KEYS = {
    "is_rejection",
    "company",
    "role",
    "contact_name",
    "contact_email",
    "received_at",
    "reason",
    "open_door",
    "open_door_phrases",
    "confidence",
    "matched_application",
}


def run(*args, stdin: bytes | None = None) -> str:
    out = io.StringIO()
    extra = {"stdin": io.BytesIO(stdin)} if stdin is not None else {}
    call_command("import_email", *args, stdout=out, **extra)
    return out.getvalue()


def test_dry_run_json_prints_what_it_read_and_queues_nothing(user):
    company = CompanyFactory(owner=user, name="Tailspin Toys")
    application = ApplicationFactory(owner=user, company=company, role_title="Product Designer")

    out = run("--user", "sam", "--dry-run", "--json", str(EMAILS / "04_ashby_tailspin_replyto.eml"))

    result = json.loads(out)
    assert set(result) >= KEYS
    assert result["is_rejection"] is True
    assert result["company"] == "Tailspin Toys"
    assert result["role"] == "Product Designer"
    assert result["contact_name"] == "Maria Gonzalez"
    assert result["contact_email"] == "maria.gonzalez@tailspintoys.com"
    assert result["received_at"] == "2026-11-13T19:20:45+00:00"
    assert "design systems" in result["reason"]
    assert result["open_door"] is True
    assert result["open_door_phrases"] == ["stay in touch"]
    assert result["confidence"] >= 0.9
    assert result["matched_application"] == application.pk
    assert result["queued"] is None
    assert not ReviewItem.objects.exists()


def test_pasted_text_has_no_received_time_in_json(user):
    out = run("--user", "sam", "--dry-run", "--json", str(EMAILS / "20_paste_no_headers_coho.txt"))
    result = json.loads(out)
    assert result["received_at"] is None
    assert result["matched_application"] is None


def test_without_dry_run_a_rejection_waits_in_the_review_queue_once(user):
    raw = email_bytes("01_greenhouse_fabrikam.eml")
    out = run("--user", "sam", "-", stdin=raw)
    assert out.strip() == (
        "A rejection for Senior Backend Engineer at Fabrikam, decided by “decided to move "
        "forward with other candidates”; “After careful consideration”; “more closely match”. "
        "Waiting for you on the Review page."
    )
    run("--user", "sam", "-", stdin=raw)  # the same message piped in again

    item = ReviewItem.objects.get(owner=user)
    assert item.message_id == "<01_greenhouse_fabrikam@mail.example>"
    assert item.subject == "Your application to Fabrikam"
    assert item.sender == "no-reply@greenhouse.io"
    assert item.company_name == "Fabrikam"
    assert item.status == ReviewItem.Status.PENDING
    # The body is not kept: only a short excerpt.
    assert len(item.excerpt) <= 400
    assert "Best,\nThe Fabrikam Recruiting Team" not in item.excerpt


def test_a_non_rejection_is_not_queued(user):
    out = run("--user", "sam", str(EMAILS / "n05_offer.eml"))
    assert out.strip() == "Not a rejection: it reads like an offer. Nothing queued."
    assert not ReviewItem.objects.exists()


def test_bad_input_is_an_error_in_words(user):
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        run("--user", "nobody", "-", stdin=b"hi")
    with pytest.raises(CommandError, match=r"No file at /nowhere\.eml"):
        run("--user", "sam", "/nowhere.eml")
    with pytest.raises(CommandError, match="That is not an email"):
        run("--user", "sam", "-", stdin=b"\x00\x01\x02")
    with pytest.raises(CommandError, match="Open Doors reads emails up to 5 MB"):
        run("--user", "sam", "-", stdin=b"x" * (6 * 1024 * 1024))


@pytest.mark.processes
def test_it_reads_a_real_pipe_and_exits_0(transactional_db, tmp_path):
    """As procmail would run it: a separate process, the email on standard input."""
    UserFactory(username="piper")
    with shared_database(tmp_path) as database:
        env = {k: v for k, v in os.environ.items() if not k.startswith("DATABASE_")}
        env.update(DATABASE_URL=database, VAR_DIR=str(tmp_path / "var"), LOG_LEVEL="WARNING")
        result = subprocess.run(
            [sys.executable, "manage.py", "import_email", "--user", "piper", "-"],
            input=email_bytes("07_personio_mustermann_de.eml"),
            capture_output=True,
            cwd=settings.BASE_DIR,
            env=env,
            timeout=60,
        )
    assert result.returncode == 0, result.stderr
    assert "Waiting for you on the Review page." in result.stdout.decode()
    item = ReviewItem.objects.get(owner__username="piper")
    assert item.company_name == "Mustermann Logistik GmbH"
