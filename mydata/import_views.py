"""Moving in: upload a file, map its columns and see the plan, confirm.

A file over the limit is refused from the request's Content-Length before a byte of it is
read (mydata.middleware: the CSRF check would otherwise read it all first).
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from mydata import importer, restore
from mydata.forms import MappingForm, UploadForm
from mydata.middleware import refuse_bodies_over
from mydata.models import Upload

# Room for the form's other fields and the multipart boundaries around the file.
ENVELOPE = 64 * 1024
UPLOAD_LIFETIME = dt.timedelta(days=1)


def _refuse(request: HttpRequest, form: UploadForm | None, message: str) -> HttpResponse:
    """The upload page again, with `message` next to the file field."""
    if form is None:
        form = UploadForm(data={}, files={})
        form.is_valid()
        form.errors.clear()
    form.add_error("file", message)
    return render(request, "mydata/import_upload.html", {"form": form}, status=400)


def _too_big(request: HttpRequest) -> HttpResponse:
    return _refuse(request, None, importer.too_big_message())


@refuse_bodies_over(importer.MAX_BYTES + ENVELOPE, _too_big)
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "mydata/import_upload.html", {"form": UploadForm()})
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "mydata/import_upload.html", {"form": form}, status=400)
    file = form.cleaned_data["file"]
    raw = file.read(importer.MAX_BYTES + 1)
    try:
        if restore.looks_like_export(raw):
            restore.load(raw)
        else:
            importer.read_table(raw)
    except importer.ImportRefused as exc:
        return _refuse(request, form, str(exc))
    Upload.objects.filter(
        owner=request.user, created_at__lt=timezone.now() - UPLOAD_LIFETIME
    ).delete()
    saved = Upload.objects.create(owner=request.user, filename=file.name[:200], content=raw)
    return HttpResponseRedirect(reverse("mydata:import-review", args=[saved.pk]))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the columns with their guessed fields, and (once mapped) the plan, row by row.
    POST: import what the plan says, in one transaction."""
    saved = get_object_or_404(Upload, pk=pk, owner=request.user)
    if restore.looks_like_export(bytes(saved.content)):
        return _review_export(request, saved)
    try:
        table = importer.read_table(bytes(saved.content))
    except importer.ImportRefused as exc:  # pragma: no cover - it was read at upload
        messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("mydata:import"))
    guesses = importer.guess_mapping(table.header)
    data = request.POST if request.method == "POST" else request.GET
    mapped = "day_first" in data
    form = MappingForm(data if mapped else None, header=table.header, guesses=guesses)
    plan = None
    if mapped and form.is_valid():
        plan = importer.plan(
            request.user, table, form.mapping(), day_first=form.cleaned_data["day_first"]
        )
        if request.method == "POST":
            result = importer.apply(request.user, plan)
            saved.delete()
            messages.success(
                request,
                f"Imported {result.applications} application(s) at {result.companies} new "
                f"compan{'y' if result.companies == 1 else 'ies'}, with "
                f"{result.rejections} rejection(s). {plan.same} row(s) were already here and "
                f"{plan.refused} were left out.",
            )
            return HttpResponseRedirect(reverse("applications:application-list"))
    return render(
        request,
        "mydata/import_review.html",
        {
            "upload": saved,
            "table": table,
            "columns": form.columns(table.rows[:3]),
            "day_first": "0" if mapped and data.get("day_first") == "0" else "1",
            "form": form,
            "plan": plan,
            "query": data.urlencode() if mapped else "",
        },
    )


def _review_export(request: HttpRequest, saved: Upload) -> HttpResponse:
    """Our own export: GET says what it holds, POST restores it into this (empty) account."""
    try:
        document = restore.load(bytes(saved.content))
        if request.method == "POST":
            restored = restore.restore(request.user, document)
            saved.delete()
            messages.success(
                request,
                f"Your data is back: {restored['applications']} application(s), "
                f"{restored['contacts']} contact(s) and {restored['followups']} follow-up(s).",
            )
            return HttpResponseRedirect(reverse("home"))
    except importer.ImportRefused as exc:
        form = UploadForm(data={}, files={})
        form.is_valid()
        form.errors.clear()
        return _refuse(request, form, str(exc))
    return render(
        request,
        "mydata/import_restore.html",
        {
            "upload": saved,
            "counts": restore.counts(document),
            "exported_at": document.get("exported_at", ""),
            "empty": restore.account_is_empty(request.user),
        },
    )
