import csv
import io
import zipfile

import pytest
from django.urls import reverse

from applications import services as application_services
from applications.models import Application, Company, Rejection
from mydata import importer
from tests.mydata.importing import import_file, mapping, upload, uploaded, uploads_left

pytestmark = pytest.mark.django_db


def _error(response) -> str:
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="invalid-feedback' in page  # next to the field
    return page


def test_a_spreadsheet_file_is_not_a_csv(user_client):
    xlsx = io.BytesIO()
    with zipfile.ZipFile(xlsx, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
    for content, name in ((png, "photo.png"), (b"PK\x03\x04\x00\x00" + bytes(40), "a.xlsx")):
        page = _error(upload(user_client, content, name))
        assert "This file is not a CSV" in page
    assert uploads_left() == 0


def test_a_50_mb_file_is_refused_before_it_is_read(user_client):
    page = _error(upload(user_client, b"a,b\n" + b"x" * (50 * 1024 * 1024)))
    assert "This file is larger than 5 MB" in page
    assert uploads_left() == 0


def test_the_refusal_reads_none_of_the_body(user, rf):
    """The request's Content-Length alone decides, before the CSRF check (which would read
    the whole body for its token): not a byte of the 50 MB is read."""
    from django.core.handlers.base import BaseHandler

    body = b"a,b\n" + b"x" * (50 * 1024 * 1024)
    request = rf.post(reverse("mydata:import"), {"file": io.BytesIO(body)})
    request.user = user
    handler = BaseHandler()
    handler.load_middleware()
    response = handler.get_response(request)
    assert response.status_code == 400
    assert "This file is larger than 5 MB" in response.content.decode()
    assert request._stream._pos == 0


def test_a_csv_of_100000_rows_gets_a_limit_message(user_client):
    text = "Company,Role,Date applied\n" + "".join(
        f"Company {n},Role,2026-01-01\n" for n in range(100_000)
    )
    page = _error(upload(user_client, text.encode()))
    assert "This file has more than 5,000 rows" in page
    assert "Split it into files of up to 5,000 rows" in page


def test_broken_quoting_names_the_line(user_client):
    text = 'Company,Role,Date applied\nAcme,SRE,2026-01-01\n"Globex,Backend,2026-01-02\nInitech,QA,2026-01-03\n'
    page = _error(upload(user_client, text.encode()))
    assert "cannot be read" in page and "a quote (&quot;) opens a cell and is never closed" in page
    assert Application.objects.count() == 0


def test_formula_cells_stay_text_and_are_neutralised_in_our_export(user, user_client):
    text = (
        "Company,Role,Date applied,Notes\n"
        'Acme,=HYPERLINK("http://evil.example";"click"),2026-01-02,@SUM(A1:A9)\n'
    )
    import_file(user_client, text.encode(), ("company", "role_title", "applied_on", "notes"))
    application = Application.objects.get(owner=user)
    assert application.role_title == '=HYPERLINK("http://evil.example";"click")'
    page = user_client.get(application.get_absolute_url()).content.decode()
    assert "=HYPERLINK(&quot;http://evil.example&quot;;&quot;click&quot;)" in page

    response = user_client.get(reverse("mydata:export"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    (row,) = csv.DictReader(io.StringIO(archive.read("applications.csv").decode()))
    assert row["role_title"] == '\'=HYPERLINK("http://evil.example";"click")'
    assert row["notes"] == "'@SUM(A1:A9)"


def test_a_mapping_without_company_or_role_says_what_to_pick(user_client):
    review = uploaded(user_client, b"A,B,C\nAcme,SRE,2026-01-01\n")
    page = user_client.get(review, mapping("company", "", "applied_on")).content.decode()
    assert "Pick the column that holds the role." in page
    page = user_client.get(review, mapping("company", "company", "role_title")).content.decode()
    assert "Only one column can be the company." in page
    assert user_client.post(review, mapping("company", "", "applied_on")).status_code == 200
    assert Application.objects.count() == 0


def test_impossible_and_future_dates_and_rejections_before_applying_are_refused(user_client):
    text = (
        "Company,Role,Applied,Status,Rejected\n"
        "A,R,31/04/2026,Applied,\n"
        "B,R,yesterday,Applied,\n"
        "C,R,2099-01-01,Applied,\n"
        "D,R,2026-01-10,Rejected,2026-01-05\n"
        "E,R,,Applied,\n"
    )
    review = uploaded(user_client, text.encode())
    fields = ("company", "role_title", "applied_on", "status", "rejected_on")
    page = user_client.get(review, mapping(*fields)).content.decode()
    assert "Date applied: “31/04/2026” is not a real day." in page
    assert "“yesterday” is not a date we can read; write it as 2026-03-05." in page
    assert "The date applied is in the future." in page
    assert "The rejection is dated before the application." in page
    assert "No date applied." in page
    assert "<strong>5</strong> left out" in page


def test_a_failure_half_way_leaves_nothing_imported(user, user_client, monkeypatch):
    text = (
        "Company,Role,Applied,Status\n"
        "Acme,SRE,2026-01-10,Applied\n"
        "Globex,QA,2026-01-10,Rejected\n"
        "Initech,Dev,2026-01-11,Applied\n"
    )
    calls = []

    def failing(**kwargs):
        calls.append(kwargs)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(importer, "record_rejection", failing)
    review = uploaded(user_client, text.encode())
    user_client.raise_request_exception = False
    response = user_client.post(review, mapping("company", "role_title", "applied_on", "status"))

    assert response.status_code == 500
    assert calls  # it did get half-way
    assert Application.objects.count() == 0
    assert Company.objects.count() == 0
    assert Rejection.objects.count() == 0
    assert application_services  # the real services were patched only inside the importer


def test_an_upload_without_the_csrf_token_is_refused(user):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        reverse("mydata:import"),
        {"file": SimpleUploadedFile("a.csv", b"Company,Role\nAcme,SRE\n", "text/csv")},
    )
    assert response.status_code == 403
    assert uploads_left() == 0
