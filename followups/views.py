"""Pages of the follow-up engine.

Logged-in: a follow-up's page and its actions (mark sent, snooze, skip, reschedule), each
answering htmx with the follow-up's card fragment so the dashboard can reuse them.
From an email, no login: a signed link's GET shows a confirm page, its POST acts (mail
scanners follow GETs); the one-click unsubscribe is the only CSRF-exempt view.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import DetailView, FormView, ListView

from followups import replies, selectors, services
from followups.drafts import draft_for, with_draft_data
from followups.forms import (
    DoneForm,
    DraftForm,
    ReplyForm,
    RescheduleForm,
    SkipForm,
    SnoozeForm,
)
from followups.models import FollowUp, Reminder
from followups.tokens import (
    Action,
    LinkExpired,
    LinkInvalid,
    is_bound_to,
    read_action_token,
    read_unsubscribe_token,
)

# --- Logged in ---------------------------------------------------------------------------------


class OwnedFollowUpMixin(LoginRequiredMixin):
    """Only the person's own follow-ups: anyone else's is "not found", on GET and POST.

    The lookup comes before the method check, so another person's id is a 404 whatever
    the method.
    """

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_object(self, queryset=None) -> FollowUp:
        return get_object_or_404(
            selectors.followups_for_pages(owner=self.request.user), pk=self.kwargs["pk"]
        )


def followup_context(followup: FollowUp, *, now=None) -> dict:
    """What the detail page and the card fragment show."""
    now = now or timezone.now()
    draft = draft_for(followup) if followup.can_be_marked_sent else None
    rule = followup.rule
    return {
        "followup": followup,
        "rule": rule,
        "action_text": followup.action_text,
        "draft": draft,
        "is_overdue": followup.is_overdue(now),
        "reminders": list(followup.reminders.order_by("-created_at", "-pk")),
        "forms": _action_forms(followup, draft) if followup.can_be_marked_sent else {},
        "reply_form": reply_form(followup),
        "replies": list(followup.replies.all()),
    }


def reply_form(followup: FollowUp, data=None) -> ReplyForm | None:
    """ "They replied", on every follow-up but a cancelled one (sent ones too)."""
    if followup.status == FollowUp.Status.CANCELLED:
        return None
    action = reverse("followups:followup-replied", args=[followup.pk])
    return ReplyForm(data, followup=followup, action=action)


def _action_forms(followup: FollowUp, draft=None) -> dict:
    def url(name: str) -> str:
        return reverse(f"followups:followup-{name}", args=[followup.pk])

    profile = followup.owner.profile
    return {
        # What was finally sent is kept: the person edits the draft here before marking it.
        "done": DoneForm(
            followup=followup,
            action=url("done"),
            initial={"sent_text": draft.body if draft else ""},
        ),
        "snooze": SnoozeForm(
            followup=followup, action=url("snooze"), reminder_start=profile.reminder_start
        ),
        "skip": SkipForm(followup=followup, action=url("skip")),
        "reschedule": RescheduleForm(followup=followup, action=url("reschedule")),
    }


class FollowUpDetail(OwnedFollowUpMixin, DetailView):
    template_name = "followups/followup_detail.html"
    context_object_name = "followup"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(followup_context(self.object))
        return context


class FollowUpActionView(OwnedFollowUpMixin, FormView):
    """POST acts and answers htmx with the card; GET (no htmx) shows the form on its own."""

    template_name = "followups/followup_action.html"
    title = ""
    verb = ""

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["followup"] = self.object
        kwargs["action"] = self.request.path
        return kwargs

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if hasattr(form, "helper"):
            form.helper.attrs = {}  # the page of its own posts normally
        return form

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(
            followup=self.object, title=self.title, verb=self.verb, **kwargs
        )

    def act(self, form) -> services.Outcome:
        raise NotImplementedError

    def can_act(self) -> bool:
        # A missed one can still be marked sent ("send it anyway"); nothing else.
        return self.object.is_pending or (self.verb == "done" and self.object.can_be_marked_sent)

    def form_valid(self, form) -> HttpResponse:
        if not self.can_act():
            return self.respond(services.Outcome(followup=self.object, changed=False).message())
        return self.respond(self.act(form).message())

    def form_invalid(self, form) -> HttpResponse:
        if not self.can_act():
            # Done in another tab already: say so, whatever this form held.
            return self.respond(services.Outcome(followup=self.object, changed=False).message())
        if self.request.htmx:
            context = followup_context(self.object)
            context["forms"][self.verb] = form
            return render(self.request, "followups/_followup_card.html", context, status=422)
        return super().form_invalid(form)

    def respond(self, message: str) -> HttpResponse:
        self.object = self.get_object()
        if self.request.htmx:
            context = followup_context(self.object)
            context["message"] = message
            return render(self.request, "followups/_followup_card.html", context)
        messages.success(self.request, message)
        return HttpResponseRedirect(self.next_url())

    def next_url(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return self.object.get_absolute_url()


class MarkDone(FollowUpActionView):
    form_class = DoneForm
    title = "Mark as sent"
    verb = "done"

    def act(self, form) -> services.Outcome:
        return services.mark_done(followup=self.object, **form.service_kwargs())


class Snooze(FollowUpActionView):
    form_class = SnoozeForm
    title = "Snooze"
    verb = "snooze"

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["reminder_start"] = self.request.user.profile.reminder_start
        return kwargs

    def act(self, form) -> services.Outcome:
        return services.snooze(followup=self.object, until=form.until())


class Skip(FollowUpActionView):
    form_class = SkipForm
    title = "Skip"
    verb = "skip"

    def act(self, form) -> services.Outcome:
        return services.skip(followup=self.object)


class Reschedule(FollowUpActionView):
    form_class = RescheduleForm
    title = "Reschedule"
    verb = "reschedule"

    def act(self, form) -> services.Outcome:
        return services.reschedule(followup=self.object, due_at=form.cleaned_data["due_at"])


class Replied(FollowUpActionView):
    """They replied: pending or already sent, the follow-up's page and card record it."""

    form_class = ReplyForm
    title = "They replied"
    verb = "replied"

    def form_valid(self, form) -> HttpResponse:
        if self.object.status == FollowUp.Status.CANCELLED:
            return self.respond(services.Outcome(followup=self.object, changed=False).message())
        outcome = replies.record_reply(followup=self.object, **form.service_kwargs())
        return self.respond(outcome.message())

    def form_invalid(self, form) -> HttpResponse:
        if self.request.htmx:
            context = followup_context(self.object)
            context["reply_form"] = form
            return render(self.request, "followups/_followup_card.html", context, status=422)
        return super().form_invalid(form)


@login_required
@require_POST
def save_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """Keep the draft as the person types (the page's script posts here, debounced, and on
    blur). Answers JSON: what to say next to the editor, and the new mailto link."""
    followup = get_object_or_404(
        with_draft_data(FollowUp.objects.filter(owner=request.user)), pk=pk
    )
    form = DraftForm(request.POST)
    if not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        return JsonResponse({"saved": False, "message": f"Not saved: {errors}"}, status=422)
    saved = services.save_draft(
        followup=followup, subject=form.cleaned_data["subject"], body=form.cleaned_data["text"]
    )
    if not saved:
        message = "Not saved: this follow-up is no longer pending."
    elif followup.draft_body:
        message = f"Saved {timezone.localtime():%H:%M}: the email link, Copy and your email app use this text."
    else:
        message = "Empty: the drafted message is back."
    draft = draft_for(followup)
    return JsonResponse({"saved": saved, "message": message, "mailto": draft.mailto})


class FailedReminders(LoginRequiredMixin, ListView):
    """Reminders that could not be delivered, and what went wrong."""

    template_name = "followups/reminder_failed_list.html"
    context_object_name = "reminders"

    def get_queryset(self):
        return selectors.failed_reminders(owner=self.request.user)


@login_required
def retry_reminder(request: HttpRequest, pk: int) -> HttpResponse:
    reminder = get_object_or_404(
        Reminder.objects.filter(owner=request.user).select_related("followup"), pk=pk
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if services.retry_reminder(reminder=reminder, now=timezone.now()):
        messages.success(request, "It will be sent again within a minute.")
    else:
        messages.info(request, "Nothing to retry: the follow-up is no longer pending.")
    return HttpResponseRedirect(reverse("followups:reminder-failed-list"))


# --- From an email, no login ----------------------------------------------------------------------


def _link_refused(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    return render(request, "followups/link_invalid.html", {"reason": reason}, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def action(request: HttpRequest, token: str) -> HttpResponse:
    """A signed link from a reminder: GET confirms, POST acts, for one follow-up and action."""
    try:
        claim = read_action_token(token)
    except LinkExpired:
        return _link_refused(request, "expired", status=410)
    except LinkInvalid:
        return _link_refused(request, "invalid", status=400)
    followup = (
        FollowUp.objects.filter(pk=claim.followup_id, owner_id=claim.owner_id)
        .select_related("company", "contact", "owner__profile")
        .first()
    )
    if followup is None:
        return _link_refused(request, "gone", status=404)
    if not claim.holds_for(followup.owner):
        # The password changed since the email went out: old links no longer act.
        return _link_refused(request, "invalid", status=400)
    profile = followup.owner.profile
    with timezone.override(profile.zone):
        context = {
            "followup": followup,
            "action": claim.action,
            "action_text": followup.action_text,
        }
        data = request.POST if request.method == "POST" else None
        if claim.action == Action.REPLIED and followup.status != FollowUp.Status.CANCELLED:
            return _replied_from_link(request, followup, data, context)
        if not followup.is_pending:
            return render(request, "followups/action_done.html", {**context, "already": True})
        form = DoneForm(data, followup=followup, action=request.path)
        # Only a POST acts: GET and HEAD (link scanners) see the confirm page.
        if request.method != "POST" or (claim.action == Action.DONE and not form.is_valid()):
            return render(request, "followups/action_confirm.html", {**context, "form": form})
        if claim.action == Action.DONE:
            outcome = services.mark_done(followup=followup, **form.service_kwargs())
        elif claim.action == Action.SNOOZE:
            outcome = services.snooze(
                followup=followup, until=timezone.now() + dt.timedelta(days=1)
            )
        else:
            outcome = services.skip(followup=followup)
        return render(
            request,
            "followups/action_done.html",
            {
                **context,
                "outcome": outcome,
                "followup": outcome.followup,
                "already": not outcome.changed,
            },
        )


def _replied_from_link(request: HttpRequest, followup: FollowUp, data, context) -> HttpResponse:
    """ "They replied" from an email: asks the day (and optional words), then records it."""
    form = reply_form(followup, data)
    if data is None or not form.is_valid():
        return render(request, "followups/action_confirm.html", {**context, "form": form})
    outcome = replies.record_reply(followup=followup, **form.service_kwargs())
    return render(
        request,
        "followups/action_done.html",
        {**context, "reply_outcome": outcome, "already": False},
    )


@csrf_exempt  # RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click" with no session.
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe: POST turns the person's reminder emails off. GET asks first."""
    try:
        user_id, bound = read_unsubscribe_token(token)
    except LinkExpired:
        return _link_refused(request, "expired", status=410)
    except LinkInvalid:
        return _link_refused(request, "invalid", status=400)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return _link_refused(request, "gone", status=404)
    if not is_bound_to(bound, user):
        return _link_refused(request, "invalid", status=400)
    if request.method == "POST":
        services.turn_off_reminders(user=user)
        return render(request, "followups/unsubscribe_done.html")
    return render(request, "followups/unsubscribe_confirm.html")
