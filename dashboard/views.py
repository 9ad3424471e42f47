"""The dashboard page, and the htmx actions on its cards.

The page renders one template per card, each from one selector in `dashboard.cards`.
The actions (mark sent, snooze, skip on a due follow-up; close a door) call the engine's
services and answer htmx with the re-rendered card, plus out-of-band copies of the other
cards the action changed; without htmx they redirect back to the dashboard.
"""

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from applications.models import Company
from dashboard import cards
from followups import replies, services
from followups.forms import DoneForm, ReplyForm, SnoozeForm
from followups.models import FollowUp

log = logging.getLogger(__name__)

CARD_TEMPLATE = "dashboard/cards/{}.html"
# The order of the page; the view fills them in this order so the goals card's completed
# goals and the open doors can be handed to the cards that reuse them.
CARDS: dict[str, Callable] = {
    "due_now": cards.due_now,
    "missed": cards.missed,
    "coming_up": cards.coming_up,
    "interviews": cards.upcoming_interviews,
    "open_doors": cards.open_doors,
    "cooling_off": cards.cooling_off,
    "keep_going": cards.keep_going,
    "habits": cards.habits,
    "goals": cards.improvement_goals,
}


def build_cards(user, now: dt.datetime, names: Iterable[str] = tuple(CARDS)) -> dict:
    """The data of the named cards (all by default), sharing rows where one card reuses another's."""
    names = set(names)
    data: dict = {}
    if "goals" in names:
        data["goals"] = cards.improvement_goals(user, now)
    # Due now, missed and coming up list rows of one question.
    pending = cards.pending_rows(user, now) if names & {"due_now", "missed", "coming_up"} else None
    if "due_now" in names:
        completed = data["goals"].completed_goals if "goals" in data else None
        data["due_now"] = cards.due_now(user, now, completed_goals=completed, pending=pending)
    if "missed" in names:
        data["missed"] = cards.missed(user, now, pending=pending)
    if "coming_up" in names:
        data["coming_up"] = cards.coming_up(user, now, pending=pending)
    if "open_doors" in names or "cooling_off" in names:
        doors = cards.open_doors(user, now)
        if "open_doors" in names:
            data["open_doors"] = doors
        if "cooling_off" in names:
            data["cooling_off"] = cards.cooling_off(user, now, doors=doors)
    if "keep_going" in names and "habits" in names:
        # One query counts for both cards.
        figures = cards.person_figures(user, now)
        data["keep_going"] = cards.keep_going(user, now, figures=figures)
        data["habits"] = cards.habits(user, now, figures=figures)
    for name in ("interviews", "keep_going", "habits"):
        if name in names and name not in data:
            data[name] = CARDS[name](user, now)
    return data


@require_safe
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "dashboard/dashboard.html", {"cards_html": _cards_html(request)})


def _csrf_slot() -> str:
    """What stands for the CSRF token in kept cards: each visit puts its own session's token
    there. Not guessable, so no text a person typed can turn into it."""
    return "csrf-slot-" + salted_hmac("dashboard.views.csrf_slot", "slot").hexdigest()[:24]


def cards_key(user_id: int, stamp: str, now: dt.datetime, seconds: int) -> str:
    """Where a person's rendered cards are kept: their stamp, and the slice of the clock."""
    return f"dashboard:cards:{user_id}:{stamp}:{seconds}:{int(now.timestamp()) // seconds}"


def _cards_html(request: HttpRequest) -> str:
    """The cards, rendered, or as kept from an earlier visit in the last
    DASHBOARD_CACHE_SECONDS while the person's data has not changed since (the cards
    stamp, dashboard.stamps). The cache is only a saving: when it fails, the cards are
    rendered as if it were empty."""
    now = timezone.now()
    seconds = settings.DASHBOARD_CACHE_SECONDS
    slot = _csrf_slot()
    key = html = None
    if seconds:
        key = cards_key(request.user.pk, request.user.profile.cards_stamp, now, seconds)
        try:
            html = cache.get(key)
        except Exception:
            log.warning("dashboard: the cache could not be read", exc_info=True)
    if html is None:
        data = build_cards(request.user, now)
        is_new = not data["keep_going"].total and not data["open_doors"].total
        context = {"cards": data, "now": now, "is_new": is_new, "csrf_token": slot}
        html = render_to_string("dashboard/_cards.html", context, request)
        if key:
            try:
                cache.set(key, html, seconds)
            except Exception:
                log.warning("dashboard: the cache could not be written", exc_info=True)
    # The HTML is our own template's output; only the token slot changes.
    return mark_safe(html.replace(slot, get_token(request)))


@require_safe
def landing_or_dashboard(request: HttpRequest) -> HttpResponse:
    """`/`: the landing page for visitors, the dashboard for a logged-in person."""
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    return dashboard(request)


# --- Actions ------------------------------------------------------------------------------------


def _respond(
    request: HttpRequest,
    *,
    primary: str,
    note: str,
    also: Iterable[str] = (),
    level: int = messages.SUCCESS,
) -> HttpResponse:
    """htmx: the primary card with `note`, and out-of-band copies of the cards in `also`.
    Without htmx: back to the dashboard, with `note` as a message."""
    if not request.htmx:
        messages.add_message(request, level, note)
        return HttpResponseRedirect(reverse("dashboard:index"))
    now = timezone.now()
    also = [name for name in also if name != primary]
    data = build_cards(request.user, now, [primary, *also])
    parts = [
        render_to_string(
            CARD_TEMPLATE.format(primary),
            {"card": data[primary], "note": note, "note_is_error": level == messages.ERROR},
            request=request,
        )
    ]
    parts += [
        render_to_string(CARD_TEMPLATE.format(name), {"card": data[name], "oob": True}, request)
        for name in also
    ]
    return HttpResponse("\n".join(parts))


def _owned_followup(request: HttpRequest, pk: int) -> FollowUp:
    return get_object_or_404(
        FollowUp.objects.filter(owner=request.user).select_related("company", "contact"), pk=pk
    )


# What a due follow-up's action can change on the page besides the due-now card.
AFTER_FOLLOWUP_ACTION = ("missed", "coming_up", "open_doors", "habits")


def _sent_text(subject: str, body: str) -> str:
    """What was finally sent, as the person edited it on the card."""
    subject, body = subject.strip(), body.strip()
    return f"Subject: {subject}\n\n{body}" if subject else body


def _after(request: HttpRequest, outcome: services.Outcome) -> HttpResponse:
    also = AFTER_FOLLOWUP_ACTION if outcome.changed else ()
    return _respond(request, primary="due_now", note=outcome.message(), also=also)


@require_POST
@login_required
def followup_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark as sent, keeping the draft as the person edited it on the card."""
    followup = _owned_followup(request, pk)
    data = request.POST.copy()
    # The card's editor is named "text" (the live tone check reads that name).
    data["sent_text"] = _sent_text(data.get("subject", ""), data.get("text", ""))
    form = DoneForm(data, followup=followup)
    if followup.can_be_marked_sent and not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        note = f"Not saved: {errors}"
        return _respond(request, primary="due_now", note=note, level=messages.ERROR)
    if not followup.can_be_marked_sent:
        return _after(request, services.Outcome(followup=followup, changed=False))
    return _after(request, services.mark_done(followup=followup, **form.service_kwargs()))


@require_POST
@login_required
def followup_snooze(request: HttpRequest, pk: int) -> HttpResponse:
    """Remind me later: a day by default (the card's button), or 3 or 7 days."""
    followup = _owned_followup(request, pk)
    period = request.POST.get("period", "1")
    form = SnoozeForm({"period": period if period in {"1", "3", "7"} else "1"}, followup=followup)
    form.is_valid()
    return _after(request, services.snooze(followup=followup, until=form.until()))


@require_POST
@login_required
def followup_skip(request: HttpRequest, pk: int) -> HttpResponse:
    followup = _owned_followup(request, pk)
    return _after(request, services.skip(followup=followup))


@require_POST
@login_required
def followup_replied(request: HttpRequest, pk: int) -> HttpResponse:
    """They replied (today, unless the post says which day): the next check-in counts from it."""
    followup = _owned_followup(request, pk)
    form = ReplyForm(request.POST, followup=followup)
    if not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        return _respond(
            request, primary="due_now", note=f"Not saved: {errors}", level=messages.ERROR
        )
    if followup.status == FollowUp.Status.CANCELLED:
        return _after(request, services.Outcome(followup=followup, changed=False))
    outcome = replies.record_reply(followup=followup, **form.service_kwargs())
    also = AFTER_FOLLOWUP_ACTION if outcome.created else ()
    return _respond(request, primary="due_now", note=outcome.message(), also=also)


@require_POST
@login_required
def dismiss_missed(request: HttpRequest) -> HttpResponse:
    """ "Dismiss all" on the Missed card: every follow-up past its grace becomes missed."""
    count = services.dismiss_missed(owner=request.user, now=timezone.now())
    note = (
        f"Dismissed {count} missed follow-up{'s' if count != 1 else ''}."
        if count
        else "Nothing to dismiss."
    )
    return _respond(request, primary="missed", note=note, also=("due_now", "habits"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def close_door(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a company's door. GET lists exactly what it cancels (and the notes about a live
    application it keeps unless ticked); POST cancels and answers the dashboard's htmx with the
    cards it changed, or goes back to the company's page."""
    company = get_object_or_404(Company.objects.owned_by(request.user), pk=pk)
    if request.method != "POST":  # GET and HEAD ask first
        cancel, kept = services.door_closing_plan(company=company)
        return render(
            request,
            "dashboard/close_door_confirm.html",
            {"company": company, "cancel": cancel, "kept": kept},
        )
    if company.door_is_closed:
        note = f"The door at {company.name} was already closed."
    else:
        cancelled = services.close_door(
            company=company, now=timezone.now(), include_live=bool(request.POST.get("include_live"))
        )
        note = f"Door closed at {company.name}."
        if cancelled:
            note += f" {cancelled} pending follow-up{'s' if cancelled != 1 else ''} cancelled."
    if not request.htmx:
        messages.success(request, note)
        return HttpResponseRedirect(company.get_absolute_url())
    return _respond(
        request,
        primary="open_doors",
        note=note,
        also=("due_now", "missed", "coming_up", "cooling_off"),
    )


@require_POST
@login_required
def reopen_door(request: HttpRequest, pk: int) -> HttpResponse:
    """Reopen a closed door from the company's page."""
    company = get_object_or_404(Company.objects.owned_by(request.user), pk=pk)
    if services.reopen_door(company=company, now=timezone.now()):
        messages.success(
            request,
            f"Door reopened at {company.name}. New events there plan follow-ups again; "
            "what was cancelled when you closed it stays cancelled.",
        )
    else:
        messages.info(request, f"The door at {company.name} is already open.")
    return HttpResponseRedirect(company.get_absolute_url())
