"""Capture pages: the email box on "Log a rejection", the review queue, the mailbox watch.

Every page only prefills the normal "Log a rejection" form; the rejection is saved when the
person sends that form, exactly as if they had typed it.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import RequestDataTooBig
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from applications import selectors as applications
from applications.forms import LogRejectionForm
from applications.views import LogRejection
from capture import services
from capture.forms import EmailSourceForm, MailboxForm
from capture.models import MailboxWatch, ReviewItem
from capture.reader import MAX_EMAIL_BYTES
from followups import replies
from followups.models import Reply

LOG_TEMPLATE = "applications/log_rejection_form.html"


def _log_form(request: HttpRequest, initial: dict | None = None) -> LogRejectionForm:
    form = LogRejectionForm(owner=request.user, one_time_token=True, initial=initial or {})
    # The prefilled form is sent to the normal view, which saves it as if typed.
    form.helper.form_action = reverse("applications:log-rejection")
    return form


class FromEmail(LoginRequiredMixin, View):
    """POST an email (pasted or .eml): the Log a rejection form comes back prefilled."""

    http_method_names = ["get", "head", "post"]

    def get(self, request: HttpRequest) -> HttpResponse:
        return HttpResponseRedirect(reverse("applications:log-rejection"))

    @classmethod
    def too_big(cls, request: HttpRequest) -> HttpResponse:
        """An over-long paste: a sentence next to the box (capture.middleware sends it here)."""
        source = EmailSourceForm(reader=None)
        source.cleaned_data = {}
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        source.add_error(
            "email_text",
            f"That is too much text to paste here (the limit is {limit} KB). Save the email "
            f"as an .eml file and upload it below (up to {MAX_EMAIL_BYTES // 1024 // 1024} MB).",
        )
        return cls().page(request, source=source, status=413)

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            data, files = request.POST, request.FILES
        except RequestDataTooBig:
            return self.too_big(request)
        source = EmailSourceForm(
            data, files, reader=lambda raw: services.read_for(request.user, raw)
        )
        if not source.is_valid() or source.reading is None:
            return self.page(request, source=source, status=200)
        reading = source.reading
        if not reading.is_rejection:
            return self.page(request, source=EmailSourceForm(reader=None), reading=reading)
        found = services.match_reading(owner=request.user, reading=reading)
        initial = services.initial_from_reading(reading=reading, found=found)
        return self.page(
            request,
            source=EmailSourceForm(reader=None),
            reading=reading,
            found=found,
            form=_log_form(request, initial),
        )

    def page(self, request, *, source, status=200, reading=None, found=None, form=None):
        context = {
            "form": form or _log_form(request),
            "source_form": source,
            "reading": reading,
            "found": found,
            "company_names": applications.company_names(owner=request.user),
        }
        return render(request, LOG_TEMPLATE, context, status=status)


# --- The review queue -------------------------------------------------------------------------


class ReviewList(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        items = ReviewItem.objects.filter(
            owner=request.user, status=ReviewItem.Status.PENDING
        ).select_related("followup")
        watch = getattr(request.user, "mailbox_watch", None)
        return render(request, "capture/review_list.html", {"items": items, "watch": watch})


class ReviewConfirm(LogRejection):
    """Confirm a queued rejection: the normal form, prefilled, saved by the normal service.

    `?company=wrong` empties the company so the person types the right one.
    """

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.item = get_object_or_404(
            ReviewItem,
            pk=kwargs["pk"],
            owner=request.user,
            kind=ReviewItem.Kind.REJECTION,
            status=ReviewItem.Status.PENDING,
        )
        self.keep_company = request.GET.get("company") != "wrong"
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict:
        found = services.match(
            owner=self.request.user,
            company_name=self.item.company_name,
            role_title=self.item.role_title,
        )
        return services.initial_from_item(
            item=self.item, found=found, keep_company=self.keep_company
        )

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["review_item"] = self.item
        context["wrong_company"] = not self.keep_company
        return context

    def form_valid(self, form) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            self.item.decide(ReviewItem.Status.CONFIRMED)
        return response


class ReviewReply(LoginRequiredMixin, View):
    """ "Dana replied?" confirmed: the reply is recorded as if the person had clicked "They
    replied" on the follow-up, dated the day the message arrived (in their zone)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = get_object_or_404(
            ReviewItem.objects.select_related("followup"),
            pk=pk,
            owner=request.user,
            kind=ReviewItem.Kind.REPLY,
            status=ReviewItem.Status.PENDING,
        )
        arrived = item.received_at or timezone.now()
        with transaction.atomic():
            replies.record_reply(
                followup=item.followup,
                replied_on=arrived.astimezone(request.user.profile.zone).date(),
                source=Reply.Source.INBOX,
            )
            item.decide(ReviewItem.Status.CONFIRMED)
        messages.success(
            request,
            f"Recorded: {item.contact_name or item.sender} replied. The next check-in moves.",
        )
        return HttpResponseRedirect(reverse("capture:review-list"))


class ReviewDismiss(LoginRequiredMixin, View):
    """ "Not a rejection": the item leaves the queue; nothing else changes."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = get_object_or_404(ReviewItem, pk=pk, owner=request.user)
        if item.decide(ReviewItem.Status.DISMISSED):
            what = "not a reply" if item.kind == ReviewItem.Kind.REPLY else "not a rejection"
            messages.success(request, f"Removed from the queue: {what}.")
        return HttpResponseRedirect(reverse("capture:review-list"))


# --- The watched mailbox ------------------------------------------------------------------------


class MailboxPage(LoginRequiredMixin, View):
    """Connect one mailbox, or see how its scans go and disconnect it."""

    template_name = "capture/mailbox.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        watch = MailboxWatch.objects.filter(owner=request.user).first()
        form = None if watch else MailboxForm()
        return self.page(request, watch, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        watch = MailboxWatch.objects.filter(owner=request.user).first()
        form = MailboxForm(request.POST, instance=watch or MailboxWatch(owner=request.user))
        if not form.is_valid():
            return self.page(request, watch, form)
        services.connect_mailbox(watch=form.instance, password=form.cleaned_data["password"])
        messages.success(
            request,
            "Mailbox connected. Open Doors reads it in a few minutes, without marking anything read.",
        )
        return HttpResponseRedirect(reverse("capture:mailbox"))

    def page(self, request, watch, form) -> HttpResponse:
        editing = request.GET.get("edit") == "1" and watch is not None
        if editing and form is None:
            form = MailboxForm(instance=watch)
        return render(request, self.template_name, {"watch": watch, "form": form})


class MailboxDisconnect(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        if services.disconnect_mailbox(owner=request.user):
            messages.success(request, "Mailbox disconnected; its password is deleted.")
        return HttpResponseRedirect(reverse("capture:mailbox"))


class MailboxScanNow(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        services.scan_soon(owner=request.user)
        messages.info(request, "Open Doors will read the mailbox again in a moment.")
        return HttpResponseRedirect(reverse("capture:mailbox"))
