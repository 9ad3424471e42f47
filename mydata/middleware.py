"""Refusing an oversized upload before anything reads its body.

Django's CSRF check reads the whole POST body (to find the token) before any view runs, so
a view cannot refuse a 50 MB upload unread on its own. A view marked with `refuse_bodies_over`
is answered here first, from the request's Content-Length alone (Django never reads past that
length, so a smaller header cannot smuggle in more). This middleware must come before
CsrfViewMiddleware in MIDDLEWARE.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


def refuse_bodies_over(limit: int, refusal: Callable[[HttpRequest], HttpResponse]):
    """Mark a view: a request body larger than `limit` bytes gets `refusal(request)`."""

    def mark(view):
        view.body_limit = (limit, refusal)
        return view

    return mark


class BodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        limit = getattr(view_func, "body_limit", None)
        if limit is None:
            return None
        size, refusal = limit
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        return refusal(request) if length > size else None
