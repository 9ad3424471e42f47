"""The live tone check: the draft editor posts its text here as the person types (htmx)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from followups.models import FollowUp
from followups.tone import check_tone

# Same bound as FollowUp.sent_text: the check never runs over more than a message's worth.
MAX_TEXT = 20_000


@login_required
@require_POST
def tone_check(request: HttpRequest) -> HttpResponse:
    """Render the tone report partial for the posted `text` (and optional follow-up `kind`)."""
    text = request.POST.get("text", "")[:MAX_TEXT]
    kind = request.POST.get("kind") or None
    if kind not in FollowUp.Kind.values:
        kind = None
    report = check_tone(text, kind=kind)
    return render(
        request,
        "followups/_tone_report.html",
        {"report": report, "is_blank": not text.strip()},
    )
