import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_it_tells_a_visitor_what_open_doors_does(client):
    page = client.get("/").content.decode()
    assert "A rejection is not the end of the conversation" in page
    assert "thank-you within 24–48 hours" in page
    assert 'href="/accounts/signup/"' in page


def test_it_loads_bootstrap_and_htmx_from_this_server_only(client):
    page = client.get("/").content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in page
    assert "/static/vendor/htmx/htmx.min.js" in page
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', page)
    assert external == []
    for asset in (
        "bootstrap/bootstrap.min.css",
        "bootstrap/bootstrap.bundle.min.js",
        "htmx/htmx.min.js",
    ):
        assert (Path(settings.BASE_DIR) / "static" / "vendor" / asset).stat().st_size > 10_000


def test_it_fits_a_phone_screen(client):
    page = client.get("/").content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page


def test_it_shows_the_admin_login(client):
    assert "Django administration" in client.get("/admin/login/").content.decode()
