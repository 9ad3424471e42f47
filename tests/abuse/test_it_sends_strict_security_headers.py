"""Every page comes with a strict Content-Security-Policy (no inline script or style can run,
so an escaping slip cannot become script) and a Permissions-Policy; no page of ours needs an
inline script or style to work; the body limit covers file uploads and is enforced before the
body is parsed; a form in another charset than UTF-8 gets a 400 page, not a 500."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.abuse.conftest import ROUTES, client_for, sweep

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=\"|\son[a-z]+=\"", re.I)


def test_pages_carry_a_strict_content_security_policy_and_a_permissions_policy(world):
    response = client_for(world.sam).get("/")
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy
    permissions = response.headers["Permissions-Policy"]
    assert "camera=()" in permissions and "geolocation=()" in permissions


def test_no_page_needs_an_inline_script_or_style(world):
    """Under that policy an inline script or style would be dropped by the browser: so no
    page may have one (htmx is told not to add its own: the htmx-config meta tag)."""
    sam = client_for(world.sam)

    def check(route) -> None:
        if route.name in ("followups:unsubscribe", "accounts:password_reset_confirm"):
            return  # (no pages of their own beyond base.html; covered by the others)
        try:
            url = world.url(route)
        except AssertionError:
            return
        response = sam.get(url, follow=True)
        if (
            response.status_code != 200
            or getattr(response, "streaming", False)
            or "html" not in response.headers.get("Content-Type", "")
        ):
            return
        assert not INLINE_SCRIPT.search(response.text), INLINE_SCRIPT.search(response.text)[0]
        assert not INLINE_STYLE.search(response.text), INLINE_STYLE.search(response.text)[0]
        if "htmx.min.js" in response.text:  # a page that loads htmx
            assert '"includeIndicatorStyles": false' in response.text

    sweep(ROUTES, check)


def test_a_body_over_the_total_limit_is_refused_before_it_is_parsed_files_included(world, settings):
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= settings.REQUEST_BODY_MAX_SIZE
    settings.REQUEST_BODY_MAX_SIZE = 1024 * 1024  # (the default is 25 MB; same rule)
    sam = client_for(world.sam)
    big = b"x" * (settings.REQUEST_BODY_MAX_SIZE + 1)

    response = sam.post(
        "/accounts/settings/", {"full_name": "Sam", "cv": SimpleUploadedFile("cv.pdf", big)}
    )

    assert response.status_code == 413
    assert "too much to send at once" in response.text
    assert "Nothing was saved" in response.text


@pytest.mark.parametrize("charset", ["utf-16", "ibm500", "latin-1", "no-such-charset"])
def test_a_form_in_another_charset_gets_the_400_page(world, charset):
    sam = client_for(world.sam)
    body = "full_name=Sam".encode("utf-16" if charset == "utf-16" else "ascii")

    response = sam.generic(
        "POST",
        "/accounts/settings/",
        body,
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )

    assert response.status_code == 400
    assert "That request could not be read" in response.text
    assert world.sam.profile.full_name != "Sam"


def test_an_anonymous_bad_request_gets_the_same_page():
    response = Client().post(
        "/accounts/login/", b"username=a", content_type="multipart/form-data; charset=utf-7"
    )
    assert response.status_code == 400
    assert "That request could not be read" in response.text
