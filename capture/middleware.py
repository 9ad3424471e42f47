"""An over-long paste gets a sentence next to the box, not a bare "400 Bad Request".

Django's CSRF check reads the request body before any view, and a body over
DATA_UPLOAD_MAX_MEMORY_SIZE makes it raise; Django then answers 400 with no word on what to do.
This runs just before the CSRF check, only for the email box: if the body is too big, it
answers with the Log a rejection page and the message. That page changes nothing, so it needs
no CSRF token; every other request goes on to the CSRF check unchanged.
"""

from django.core.exceptions import RequestDataTooBig
from django.shortcuts import redirect


class TooBigPasteMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from capture.views import FromEmail

        if getattr(view_func, "view_class", None) is not FromEmail or request.method != "POST":
            return None
        try:
            request.POST  # noqa: B018 (parses the body once; the CSRF check reuses it)
        except RequestDataTooBig:
            if not request.user.is_authenticated:
                return redirect("accounts:login")
            return FromEmail.too_big(request)
        return None
