"""Pages of "your data": export, calendar, address book, activity log, closing the account."""

import csv

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from applications.models import Interview
from mydata import activity, calendar, export, services, vcards
from mydata.export import safe_cell
from mydata.forms import DeleteAccountForm, PeriodForm
from mydata.models import CalendarFeed


@login_required
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    # The secret address is made by a POST ("make my calendar link"): a GET changes nothing.
    feed = CalendarFeed.objects.filter(owner=request.user).first()
    return render(
        request,
        "mydata/overview.html",
        {
            "feed_url": calendar.feed_url(feed.token) if feed else "",
            "import_url": reverse("mydata:import"),
        },
    )


# --- Export ---------------------------------------------------------------------------------


@login_required
@require_safe
def download(request: HttpRequest) -> FileResponse:
    now = timezone.now()
    archive = export.build_zip(request.user, now=now)
    response = FileResponse(
        archive, as_attachment=True, filename=export.filename(now), content_type="application/zip"
    )
    response["Cache-Control"] = "no-store"
    return response


# --- Calendar -------------------------------------------------------------------------------


@never_cache
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription, found by its secret token alone (calendar apps cannot log in)."""
    feed = CalendarFeed.objects.filter(token=token).select_related("owner").first()
    if feed is None:
        raise Http404("No calendar at this address.")
    response = HttpResponse(calendar.feed(feed.owner), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="open-doors.ics"'
    return response


@login_required
@require_POST
def calendar_rotate(request: HttpRequest) -> HttpResponse:
    had_one = CalendarFeed.objects.filter(owner=request.user).exists()
    services.rotate_calendar_feed(owner=request.user)
    messages.success(
        request,
        "Your calendar has a new address. The old one no longer works: subscribe again with "
        "the new one."
        if had_one
        else "Your calendar's address is ready: copy it into your calendar app.",
    )
    return HttpResponseRedirect(reverse("mydata:overview") + "#calendar")


@login_required
@require_safe
def interview_ics(request: HttpRequest, pk: int) -> HttpResponse:
    interview = get_object_or_404(
        Interview.objects.select_related("application__company"), pk=pk, owner=request.user
    )
    response = HttpResponse(calendar.one_interview(interview), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="interview-{interview.pk}.ics"'
    return response


# --- Address book ---------------------------------------------------------------------------


@login_required
@require_safe
def contacts_vcf(request: HttpRequest) -> HttpResponse:
    open_only = request.GET.get("which") == "open"
    zone = request.user.profile.zone
    response = HttpResponse(
        vcards.vcf(request.user, zone=zone, open_doors_only=open_only),
        content_type="text/vcard; charset=utf-8",
    )
    name = vcards.filename(open_doors_only=open_only)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Activity log ---------------------------------------------------------------------------


def _period(request: HttpRequest):
    form = PeriodForm(request.GET)
    entries = None
    if form.is_valid():
        entries = activity.entries(
            request.user,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            zone=request.user.profile.zone,
        )
    return form, entries


@login_required
@require_safe
def activity_log(request: HttpRequest) -> HttpResponse:
    form, entries = _period(request)
    query = ""
    if entries is not None:
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        query = f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}"
    return render(
        request, "mydata/activity.html", {"form": form, "entries": entries, "query": query}
    )


@login_required
@require_safe
def activity_print(request: HttpRequest) -> HttpResponse:
    form, entries = _period(request)
    if entries is None:
        return HttpResponseRedirect(reverse("mydata:activity"))
    profile = request.user.profile
    return render(
        request,
        "mydata/activity_print.html",
        {"form": form, "entries": entries, "profile": profile, "now": timezone.now()},
    )


ACTIVITY_COLUMNS = ("date", "time", "what", "company", "detail", "channel", "to_whom")


@login_required
@require_safe
def activity_csv(request: HttpRequest) -> HttpResponse:
    form, entries = _period(request)
    if entries is None:
        return HttpResponseRedirect(reverse("mydata:activity"))
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="activity-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(ACTIVITY_COLUMNS)
    for e in entries:
        row = (e.day, e.time, e.what, e.company, e.detail, e.channel, e.to_whom)
        writer.writerow([safe_cell(value) for value in row])
    return response


# --- Closing the account --------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.delete_account(user=request.user)
        logout(request)
        return HttpResponseRedirect(reverse("mydata:account-deleted"))
    return render(request, "mydata/delete_account.html", {"form": form})


@require_safe
def account_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "mydata/account_deleted.html")
