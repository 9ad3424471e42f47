"""The company's job board (set, change or remove its address, see how the last check went)
and its competitors (000: look to the competitors of a company that said no)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from applications.models import Company
from watch import boards, services
from watch.forms import BoardForm, CompetitorsForm
from watch.models import BoardWatch


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def board(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = get_object_or_404(Company.objects.owned_by(request.user), pk=company_pk)
    watch = BoardWatch.objects.filter(company=company).first()
    form = BoardForm(request.POST or None, initial={"url": watch.url if watch else ""})
    if request.method == "POST" and form.is_valid():
        url = form.cleaned_data["url"]
        if not url:
            BoardWatch.objects.filter(company=company).delete()
            messages.success(request, f"No longer watching {company.name}'s job board.")
        else:
            services.save_board(company=company, url=url)
            label = boards.board_for(url).label
            messages.success(
                request,
                f"Watching {company.name}'s job board ({label}). It is read once a day; a role "
                "like one you applied for there shows on your dashboard.",
            )
        return HttpResponseRedirect(company.get_absolute_url())
    openings = list(watch.openings.select_related("rejection__application")[:50]) if watch else []
    return render(
        request,
        "watch/board_form.html",
        {"company": company, "form": form, "watch": watch, "openings": openings},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def competitors(request: HttpRequest, company_pk: int) -> HttpResponse:
    company = get_object_or_404(Company.objects.owned_by(request.user), pk=company_pk)
    current = ", ".join(c.name for c in company.competitors.order_by("name"))
    form = CompetitorsForm(request.POST or None, company=company, initial={"names": current})
    if request.method == "POST" and form.is_valid():
        services.set_competitors(company=company, names=form.cleaned_data["names"])
        messages.success(request, f"Competitors of {company.name} saved.")
        return HttpResponseRedirect(company.get_absolute_url())
    return render(request, "watch/competitors_form.html", {"company": company, "form": form})
