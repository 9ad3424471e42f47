"""Bad input on the email box: a sentence next to the field, a page (never a 500), nothing saved."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.capture.test_it_prefills_log_a_rejection_from_an_email import nothing_saved

URL = reverse("capture:from-email")
TWENTY_MB = 20 * 1024 * 1024


def test_a_twenty_megabyte_paste_is_refused_with_a_clear_message(user, client_for):
    # As a browser sends it: with the CSRF check on, which reads the body too.
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("applications:log-rejection"))
    token = page.context["csrf_token"]

    response = client.post(URL, {"email_text": "x" * TWENTY_MB, "csrfmiddlewaretoken": token})

    assert response.status_code == 413
    assert response.context["source_form"].errors["email_text"] == [
        "That is too much text to paste here (the limit is 512 KB). Save the email as an .eml "
        "file and upload it below (up to 5 MB)."
    ]
    assert 'data-testid="email-text-error"' in response.content.decode()
    assert nothing_saved(user)


def test_a_paste_without_the_csrf_token_is_refused(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(URL, {"email_text": "We have decided to move forward with others."})
    assert response.status_code == 403


def test_a_twenty_megabyte_upload_is_refused_with_its_size(user, user_client):
    upload = SimpleUploadedFile("big.eml", b"x" * TWENTY_MB, "message/rfc822")
    response = user_client.post(URL, {"email_file": upload})
    assert response.status_code == 200
    assert response.context["source_form"].errors["email_file"] == [
        "That file is 20.0 MB; Open Doors reads emails up to 5 MB. Save the email without its "
        "attachments, or paste its text."
    ]
    assert nothing_saved(user)


def test_an_empty_box_says_what_to_do(user, user_client):
    response = user_client.post(URL, {"email_text": "  "})
    assert response.context["source_form"].errors["email_text"] == [
        "Paste the email's text here, or choose its .eml file below."
    ]


def test_a_binary_file_is_not_an_email(user, user_client):
    upload = SimpleUploadedFile("photo.eml", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "message/rfc822")
    response = user_client.post(URL, {"email_file": upload})
    assert response.context["source_form"].errors["email_file"] == [
        "That is not an email: it contains binary data. Choose the .eml file your mail program "
        "saves, or paste the email's text."
    ]
    assert nothing_saved(user)


def test_a_mime_part_bomb_is_refused(user, user_client):
    parts = "".join(f"--b\nContent-Type: text/plain\n\npart {n}\n" for n in range(5000))
    raw = (
        "From: x@example.com\nSubject: hi\nDate: Tue, 10 Nov 2026 10:00:00 +0000\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n' + parts + "--b--\n"
    ).encode()
    upload = SimpleUploadedFile("bomb.eml", raw, "message/rfc822")
    response = user_client.post(URL, {"email_file": upload})
    assert response.status_code == 200
    assert "more than 100 parts" in response.context["source_form"].errors["email_file"][0]
    assert nothing_saved(user)


def test_an_unknown_charset_is_read_and_said(user, user_client, now):
    raw = (
        "From: Dana <dana@fabrikam.example>\nSubject: Hi\nDate: Tue, 10 Nov 2026 10:00:00 +0000\n"
        'Content-Type: text/plain; charset="x-unheard-of"\n\n'
        "We have decided to move forward with other candidates.\n"
    )
    response = user_client.post(URL, {"email_text": raw})
    page = response.content.decode()
    assert "character set Open Doors doesn&#x27;t know (“x-unheard-of”)" in page
    assert nothing_saved(user)


def test_the_page_needs_a_login(client):
    response = client.post(URL, {"email_text": "hello"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
