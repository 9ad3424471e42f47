"""Request hygiene in front of every view: a cap on the whole body before anything parses it,
a form charset other than UTF-8 refused as a bad request, a Permissions-Policy header, and the
400 page those refusals (and any other BadRequest) show."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# Pages use no device features at all: deny them to anything that ever ends up on a page.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
UTF8 = {"utf-8", "utf8"}


def _declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        raise BadRequest("The Content-Length header is not a number.") from None


class RequestLimitsMiddleware:
    """Runs before the CSRF check and the sessions: both may read the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # DATA_UPLOAD_MAX_MEMORY_SIZE counts only the non-file part of a body; this covers all
        # of it, files included, before a single byte is parsed or spooled to disk.
        if _declared_length(request) > settings.REQUEST_BODY_MAX_SIZE:
            return render(request, "400.html", {"reason": "too_large"}, status=413)
        if request.content_type in FORM_TYPES:
            charset = request.content_params.get("charset")
            if charset is not None and charset.strip().lower() not in UTF8:
                raise BadRequest(f"Form sent in {charset!r}, not UTF-8.")
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400: the site's own page (Django's default one has no way back)."""
    return render(request, "400.html", {"reason": "bad_request"}, status=400)
