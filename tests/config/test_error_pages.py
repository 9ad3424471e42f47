"""404, 403 and 500 pages: the site's layout, a way back, never a trace or a URL list."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import include, path

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("secret detail of the failure")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("boom/", boom),
    path("forbidden/", forbidden),
    path("", include("config.urls")),
]


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__


@pytest.mark.parametrize(
    ("url", "status", "title"),
    [
        ("/no-such-page/", 404, "This page does not exist"),
        ("/forbidden/", 403, "You can't open this page"),
        ("/boom/", 500, "Something went wrong on our side"),
    ],
)
def test_an_error_page_has_the_site_layout_and_a_way_back(production, url, status, title):
    client = Client(raise_request_exception=False)

    response = client.get(url)

    page = response.content.decode()
    assert response.status_code == status
    assert title in page
    assert 'data-testid="error-home"' in page and 'href="/"' in page
    assert "Open Doors" in page and "navbar" in page
    for leak in ("Traceback", "secret detail", "urlpatterns", "URLconf", "admin/"):
        assert leak not in page


def test_another_persons_record_is_the_same_friendly_404(production, user, other_user, client_for):
    from tests.factories import CompanyFactory

    theirs = CompanyFactory(owner=other_user)

    response = client_for(user).get(theirs.get_absolute_url())

    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()
    assert theirs.name not in response.content.decode()
