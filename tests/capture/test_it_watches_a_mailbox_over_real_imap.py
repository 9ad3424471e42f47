"""The opt-in inbox watch against a real Dovecot (tests/capture/dovecot.py).

Read-only (nothing marked \\Seen), each message once, a checkpoint that survives a renumbered
folder and a dropped connection, clear errors on the page, and back-off when it fails.
"""

import datetime as dt
import email.utils
import imaplib
import shutil
import socket
import ssl
import threading

import pytest
from django.urls import reverse
from django.utils import timezone

from capture import imap, services
from capture.imap import poll_due_mailboxes
from capture.models import MailboxWatch, ReviewItem
from tests.capture.conftest import email_bytes
from tests.capture.dovecot import DroppingProxy, running_dovecot


@pytest.fixture(scope="session")
def dovecot():
    if not shutil.which("dovecot") or not shutil.which("openssl"):
        pytest.skip("Dovecot is not installed (apt-get install dovecot-imapd)")
    with running_dovecot() as server:
        yield server


@pytest.fixture
def mail_settings(settings, dovecot):
    settings.CAPTURE_IMAP_ALLOW_PRIVATE = True
    settings.CAPTURE_IMAP_PORTS = [143, 993, dovecot.plain_port, dovecot.tls_port]
    settings.CAPTURE_IMAP_CAFILE = dovecot.cafile
    settings.CAPTURE_IMAP_TIMEOUT = 5
    return settings


@pytest.fixture
def mailbox(dovecot, mail_settings):
    return dovecot.add_user()


def connect(user, dovecot, mailbox, *, security="tls", password="app-pass-1", port=None):
    ports = {"tls": dovecot.tls_port, "plain": dovecot.plain_port}
    watch = MailboxWatch(
        owner=user,
        host="localhost",
        port=port or ports[security],
        security=security,
        username=mailbox,
        folder="INBOX",
    )
    return services.connect_mailbox(watch=watch, password=password)


def poll(at: dt.datetime | None = None) -> str:
    return poll_due_mailboxes(now=at or timezone.now(), budget=30)


def flags_on_server(dovecot, mailbox) -> list[bytes]:
    client = imaplib.IMAP4("127.0.0.1", dovecot.plain_port, timeout=5)
    client.login(mailbox, dovecot.users[mailbox])
    client.select("INBOX", readonly=True)
    _, data = client.fetch("1:*", "(FLAGS)")
    client.logout()
    return [line for line in data if line]


def message(name: str, message_id: str) -> bytes:
    raw = email_bytes(name)
    return raw.replace(
        raw[raw.index(b"Message-ID: ") : raw.index(b"\n", raw.index(b"Message-ID: "))],
        f"Message-ID: <{message_id}>".encode(),
    )


def test_it_reads_new_mail_over_tls_queues_the_rejections_and_marks_nothing_read(
    user, user_client, dovecot, mailbox
):
    dovecot.deliver(mailbox, email_bytes("01_greenhouse_fabrikam.eml"))
    dovecot.deliver(mailbox, email_bytes("n01_interview_invite_greenhouse.eml"))
    dovecot.deliver(mailbox, email_bytes("10_personal_de_blauwal.eml"))
    watch = connect(user, dovecot, mailbox)

    assert "read 3, queued 2" in poll()

    items = ReviewItem.objects.filter(owner=user).order_by("received_at")
    assert [i.company_name for i in items] == ["Fabrikam", "Blauwal Software GmbH"]
    assert {i.source for i in items} == {ReviewItem.Source.MAILBOX}
    watch.refresh_from_db()
    assert watch.last_uid == 3 and watch.uidvalidity
    assert watch.last_error == ""
    page = user_client.get(reverse("capture:mailbox")).content.decode()
    assert "Last successful scan:" in page
    assert "3 messages read (3 in all)." in page
    assert all(b"\\Seen" not in line for line in flags_on_server(dovecot, mailbox))
    review = user_client.get(reverse("capture:review-list")).content.decode()
    assert "Rejection from Fabrikam for Senior Backend Engineer?" in review


def test_it_reads_plain_imap_on_an_allowed_private_server(user, dovecot, mailbox):
    dovecot.deliver(mailbox, email_bytes("27_agency_recruiter_globex.eml"))
    connect(user, dovecot, mailbox, security="plain")
    assert "read 1, queued 1" in poll()
    assert ReviewItem.objects.get(owner=user).company_name == "Globex"


def test_it_upgrades_a_plain_connection_with_starttls(user, dovecot, mailbox):
    dovecot.deliver(mailbox, email_bytes("35_payments_reason.eml"))
    connect(user, dovecot, mailbox, security="starttls", port=dovecot.plain_port)
    assert "read 1, queued 1" in poll()
    assert ReviewItem.objects.get(owner=user).company_name == "Contoso Pay"


def test_the_next_scan_reads_only_new_messages_and_each_message_counts_once(user, dovecot, mailbox):
    dovecot.deliver(mailbox, email_bytes("01_greenhouse_fabrikam.eml"))
    watch = connect(user, dovecot, mailbox)
    poll()
    dovecot.deliver(mailbox, email_bytes("04_ashby_tailspin_replyto.eml"))
    dovecot.deliver(mailbox, email_bytes("01_greenhouse_fabrikam.eml"))  # delivered twice
    MailboxWatch.objects.filter(pk=watch.pk).update(next_attempt_at=timezone.now())

    assert "read 2, queued 1" in poll()

    watch.refresh_from_db()
    assert watch.messages_read == 3
    assert ReviewItem.objects.filter(owner=user).count() == 2


def test_a_new_uidvalidity_starts_over_without_asking_twice(user, dovecot, mailbox):
    dovecot.deliver(mailbox, email_bytes("01_greenhouse_fabrikam.eml"))
    watch = connect(user, dovecot, mailbox)
    poll()
    watch.refresh_from_db()
    before = watch.uidvalidity
    item = ReviewItem.objects.get(owner=user)
    item.decide(ReviewItem.Status.DISMISSED)

    dovecot.renumber(mailbox)
    dovecot.deliver(mailbox, email_bytes("35_payments_reason.eml"))
    MailboxWatch.objects.filter(pk=watch.pk).update(next_attempt_at=timezone.now())
    assert "read 2, queued 1" in poll()

    watch.refresh_from_db()
    assert watch.uidvalidity != before
    assert watch.last_uid == 2
    # The dismissed message was read again but not asked about again.
    assert ReviewItem.objects.filter(owner=user, status=ReviewItem.Status.PENDING).count() == 1
    assert ReviewItem.objects.filter(owner=user).count() == 2


def test_a_connection_dropped_mid_fetch_resumes_at_the_checkpoint(
    user, user_client, dovecot, mailbox, mail_settings
):
    for n in range(3):
        dovecot.deliver(mailbox, message("01_greenhouse_fabrikam.eml", f"drop-{n}@example"))
    proxy = DroppingProxy(dovecot.plain_port, drop_on_fetch=2)
    mail_settings.CAPTURE_IMAP_PORTS = [*mail_settings.CAPTURE_IMAP_PORTS, proxy.port]
    watch = connect(user, dovecot, mailbox, security="plain", port=proxy.port)
    now = timezone.now()

    summary = poll(now)

    proxy.close()
    assert "The connection to the mail server was dropped. Open Doors will try again." in summary
    watch.refresh_from_db()
    assert watch.last_uid == 1
    assert watch.failures == 1
    assert watch.next_attempt_at == now + dt.timedelta(minutes=5)
    page = user_client.get(reverse("capture:mailbox")).content.decode()
    assert "The connection to the mail server was dropped." in page

    MailboxWatch.objects.filter(pk=watch.pk).update(port=dovecot.plain_port)
    assert "read 2, queued 2" in poll(now + dt.timedelta(minutes=6))
    assert sorted(ReviewItem.objects.values_list("message_id", flat=True)) == [
        "<drop-0@example>",
        "<drop-1@example>",
        "<drop-2@example>",
    ]
    assert all(b"\\Seen" not in line for line in flags_on_server(dovecot, mailbox))


def test_a_wrong_password_is_said_on_the_page_and_backs_off(user, user_client, dovecot, mailbox):
    dovecot.deliver(mailbox, email_bytes("01_greenhouse_fabrikam.eml"))
    watch = connect(user, dovecot, mailbox, password="not-the-app-password")
    now = timezone.now()

    poll(now)

    watch.refresh_from_db()
    assert watch.failures == 1
    assert watch.next_attempt_at == now + dt.timedelta(minutes=5)
    page = user_client.get(reverse("capture:mailbox")).content.decode()
    assert (
        "The mail server refused the username or password. Check them; many providers need an "
        "app password here, not your usual one."
    ) in page
    assert poll(now + dt.timedelta(minutes=1)) == "no mailbox due"  # backing off
    poll(now + dt.timedelta(minutes=5))
    watch.refresh_from_db()
    assert watch.failures == 2
    assert watch.next_attempt_at == now + dt.timedelta(minutes=15)
    assert not ReviewItem.objects.exists()


def test_the_first_scan_reaches_back_30_days(user, dovecot, mailbox):
    dovecot.deliver(mailbox, email_bytes("01_greenhouse_fabrikam.eml"), age_days=40)
    dovecot.deliver(mailbox, email_bytes("35_payments_reason.eml"), age_days=2)
    connect(user, dovecot, mailbox)
    assert "read 1, queued 1" in poll()
    assert ReviewItem.objects.get(owner=user).company_name == "Contoso Pay"


def test_a_message_over_the_size_cap_is_skipped(user, dovecot, mailbox, monkeypatch):
    monkeypatch.setattr(imap, "MAX_EMAIL_BYTES", 4000)
    big = message("01_greenhouse_fabrikam.eml", "big@example") + b"\n" + b"padding " * 1000
    dovecot.deliver(mailbox, big)
    dovecot.deliver(mailbox, email_bytes("35_payments_reason.eml"))
    watch = connect(user, dovecot, mailbox)
    assert "read 2, queued 1" in poll()
    watch.refresh_from_db()
    assert watch.last_uid == 2
    assert ReviewItem.objects.get(owner=user).company_name == "Contoso Pay"


def test_a_private_server_is_refused_unless_the_operator_allows_it(
    user, user_client, dovecot, mailbox, mail_settings
):
    mail_settings.CAPTURE_IMAP_ALLOW_PRIVATE = False
    connect(user, dovecot, mailbox)
    summary = poll()
    assert "“localhost” is on a private network." in summary
    response = user_client.post(
        reverse("capture:mailbox"),
        {"host": "localhost", "port": "993", "security": "tls", "username": "a@b.example",
         "password": "x", "folder": "INBOX"},
    )  # fmt: skip
    assert response.context["form"].errors["host"] == [
        "“localhost” is on a private network. Open Doors only connects to mail servers on the "
        "internet (the operator can allow private ones)."
    ]


def test_only_imap_ports_are_allowed(user_client, mail_settings):
    response = user_client.post(
        reverse("capture:mailbox"),
        {"host": "localhost", "port": "25", "security": "tls", "username": "a@b.example",
         "password": "x", "folder": "INBOX"},
    )  # fmt: skip
    assert (
        response.context["form"]
        .errors["port"][0]
        .startswith("Open Doors connects to IMAP ports only: 143 or 993")
    )
    assert not MailboxWatch.objects.exists()


def test_an_untrusted_certificate_is_said_in_words(user, dovecot, mailbox, mail_settings):
    mail_settings.CAPTURE_IMAP_CAFILE = ""
    watch = connect(user, dovecot, mailbox)
    poll()
    watch.refresh_from_db()
    assert watch.last_error.startswith("The mail server's certificate can't be trusted")


def test_a_server_that_never_answers_times_out(user, mail_settings):
    mail_settings.CAPTURE_IMAP_TIMEOUT = 1
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)
    port = silent.getsockname()[1]
    mail_settings.CAPTURE_IMAP_PORTS = [port]
    watch = MailboxWatch(owner=user, host="127.0.0.1", port=port, security="plain", username="u")
    services.connect_mailbox(watch=watch, password="pw")
    started = timezone.now()
    threading.Timer(5, silent.close).start()

    poll(started)

    watch.refresh_from_db()
    assert watch.last_error == "The mail server didn't answer within 1 seconds."
    assert (timezone.now() - started) < dt.timedelta(seconds=4)


def test_connecting_stores_the_password_encrypted_and_disconnecting_deletes_it(
    user, user_client, dovecot, mailbox
):
    response = user_client.post(
        reverse("capture:mailbox"),
        {"host": "localhost", "port": str(dovecot.tls_port), "security": "tls",
         "username": mailbox, "password": "app-pass-1", "folder": "INBOX"},
        follow=True,
    )  # fmt: skip
    assert "Mailbox connected." in response.content.decode()
    watch = MailboxWatch.objects.get(owner=user)
    assert "app-pass-1" not in watch.password_encrypted
    assert "app-pass-1" not in response.content.decode()

    response = user_client.post(reverse("capture:mailbox-disconnect"), follow=True)

    assert "Mailbox disconnected; its password is deleted." in response.content.decode()
    assert not MailboxWatch.objects.exists()


def test_tls_verification_is_real(dovecot, mail_settings):
    """The same check the watch uses refuses Dovecot's certificate without its CA."""
    context = ssl.create_default_context()
    with pytest.raises(ssl.SSLCertVerificationError):
        imaplib.IMAP4_SSL("localhost", dovecot.tls_port, ssl_context=context, timeout=5)


def test_a_reply_from_a_contact_after_a_sent_follow_up_is_offered_as_they_replied(
    user, user_client, dovecot, mailbox
):
    """GIVEN a check-in sent to Dana three days ago
    WHEN a (non-rejection) message from Dana's address arrives in the watched mailbox
    THEN the review queue asks "Dana Whitfield replied?", and confirming it records the reply
    on that check-in, dated the day it arrived."""
    from followups.models import FollowUp, Reply
    from tests.factories import ContactFactory, FollowUpFactory

    now = timezone.now()
    dana = ContactFactory(
        owner=user, company__name="Fabrikam", name="Dana Whitfield", email="dana@fabrikam.example"
    )
    check_in = FollowUpFactory(
        owner=user,
        kind=FollowUp.Kind.CHECK_IN,
        company=dana.company,
        contact=dana,
        status=FollowUp.Status.DONE,
        done_at=now - dt.timedelta(days=3),
        due_at=now - dt.timedelta(days=4),
        deadline_at=now + dt.timedelta(days=10),
    )
    stamp = email.utils.format_datetime(now - dt.timedelta(hours=1))
    dovecot.deliver(
        mailbox,
        (
            "From: Dana Whitfield <dana@fabrikam.example>\r\n"
            f"To: {mailbox}\r\nSubject: Re: Checking in\r\nDate: {stamp}\r\n"
            "Message-ID: <reply-1@fabrikam.example>\r\n\r\n"
            "Good to hear from you! Nothing open right now, but I will keep you posted.\r\n"
        ).encode(),
    )
    connect(user, dovecot, mailbox)

    assert "queued 1" in poll()
    page = user_client.get(reverse("capture:review-list")).content.decode()
    assert "Dana Whitfield replied?" in page
    [item] = ReviewItem.objects.filter(owner=user, kind=ReviewItem.Kind.REPLY)
    assert item.followup == check_in

    user_client.post(reverse("capture:review-reply", args=[item.pk]))

    reply = Reply.objects.get(followup=check_in)
    assert reply.source == Reply.Source.INBOX
    assert reply.replied_on == (now - dt.timedelta(hours=1)).astimezone(user.profile.zone).date()
    check_in.refresh_from_db()
    assert check_in.got_reply
