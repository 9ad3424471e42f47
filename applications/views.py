"""Pages for the job-search records: generic views on three small base classes.

`OwnedMixin` scopes every query to the logged-in person (another person's row is a 404),
`OwnedFormMixin` hands the owner to the form and saves through a service in one
transaction, claiming the form's one-time token so a double click saves once.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.generic import CreateView, DeleteView, DetailView, FormView, ListView, UpdateView

from accounts.cleaning import record_id, strip_controls
from applications import selectors, services
from applications.forms import (
    ApplicationForm,
    CompanyForm,
    ContactForm,
    FeedbackForm,
    InterviewForm,
    LogRejectionForm,
    RejectionForm,
)
from applications.models import Application, Company, Contact, Feedback, Interview, Rejection
from applications.reapplying import reapply_warnings

PAGE_SIZE = 25


class OwnedMixin(LoginRequiredMixin):
    """Only the person's own rows; anyone else's is "not found", on GET and on POST."""

    model: type[models.Model]
    related: tuple[str, ...] = ()

    def get_queryset(self):
        return self.model.objects.owned_by(self.request.user).select_related(*self.related)


class OwnedDetailView(OwnedMixin, DetailView):
    """A record's page. A POST to it is refused, but only after the owner check: another
    person's record is "not found" whatever the method, so its existence never shows."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.get_object()
        return HttpResponseNotAllowed(["GET", "HEAD"])


class OwnedFormMixin(OwnedMixin):
    """Create and edit: owner-scoped form, one transaction, one save per rendered form."""

    success_message = "Saved."

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs["owner"] = self.request.user
        kwargs["one_time_token"] = self.is_create
        return kwargs

    @property
    def is_create(self) -> bool:
        return isinstance(self, CreateView)

    def perform(self, form) -> models.Model:
        """Save the form; views with a workflow call their service here."""
        return form.save()

    def form_valid(self, form) -> HttpResponse:
        token = form.cleaned_data.get("form_token") if self.is_create else None
        try:
            with transaction.atomic():
                claim = None
                if token:
                    claim = services.claim_form_token(owner=self.request.user, token=token)
                    if claim is None:
                        return self.already_saved(token)
                self.object = self.perform(form)
                url = self.get_success_url()
                if claim is not None:
                    claim.result_url = url
                    claim.save(update_fields=["result_url"])
        except IntegrityError:
            # Another tab saved the same thing a moment earlier (a company of this name, a
            # rejection for this application, a contact with this email): the database's
            # constraint kept one. Show that one, or say so next to the form.
            return self.saved_elsewhere(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(url)

    def twin(self, form) -> models.Model | None:
        """The row a unique constraint found already there; views that have one say which."""
        return None

    def saved_elsewhere(self, form) -> HttpResponse:
        twin = self.twin(form)
        name = self.model._meta.verbose_name
        if twin is not None:
            messages.info(
                self.request,
                f"This {name} was already saved a moment ago (perhaps in another tab): here it is.",
            )
            return HttpResponseRedirect(twin.get_absolute_url())
        form.add_error(
            None,
            f"The same {name} was saved a moment ago (perhaps in another tab), so this one"
            " was not. Check your list before sending again.",
        )
        return self.form_invalid(form)

    def already_saved(self, token) -> HttpResponse:
        """The same form came twice (a double click): show what the first one saved."""
        url = services.earlier_submission_url(owner=self.request.user, token=token)
        messages.info(self.request, "That form was sent twice; it was saved once.")
        return HttpResponseRedirect(url or self.list_url())

    def list_url(self) -> str:
        return reverse(f"applications:{self.url_prefix}-list")

    @property
    def url_prefix(self) -> str:
        return self.model._meta.model_name

    def get_success_url(self) -> str:
        return self.object.get_absolute_url()

    def initial_from_query(self, name: str, queryset) -> models.Model | None:
        """A create form opened from another page (?application=12): prefill if it's theirs."""
        pk = record_id(self.request.GET.get(name, ""))
        if pk is None:
            return None
        return queryset.filter(pk=pk).first()


class OwnedDeleteMixin(OwnedMixin):
    """Confirm first, saying what else goes with it; then delete and go to the list."""

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["consequences"] = selectors.delete_consequences(self.object)
        context["object_name"] = self.model._meta.verbose_name
        return context

    def get_success_url(self) -> str:
        return reverse(f"applications:{self.model._meta.model_name}-list")

    def form_valid(self, form) -> HttpResponse:
        url = self.get_success_url()
        with transaction.atomic():
            self.perform_delete()
        messages.success(self.request, f"{self.model._meta.verbose_name.capitalize()} deleted.")
        return HttpResponseRedirect(url)

    def perform_delete(self) -> None:
        self.object.delete()


class SearchListMixin(OwnedMixin):
    """A list page: search box, one filter, sort, pages; the query lives in a selector."""

    paginate_by = PAGE_SIZE
    sorts: dict[str, str] = {}
    filter_name = ""
    filter_choices: list[tuple[str, str]] = []

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(
            q=self.search,
            sort=self.current_sort(),
            sorts=self.sorts,
            filter_name=self.filter_name,
            filter_value=self.request.GET.get(self.filter_name, "") if self.filter_name else "",
            filter_choices=self.filter_choices,
        )
        return context

    def current_sort(self) -> str:
        sort = self.request.GET.get("sort", "")
        return sort if sort in self.sorts else next(iter(self.sorts), "")

    @property
    def search(self) -> str:
        # No control characters: PostgreSQL refuses a NUL byte in any text it compares.
        return strip_controls(self.request.GET.get("q", "")).strip()[:100]


# --- Companies ------------------------------------------------------------------------------


class CompanyList(SearchListMixin, ListView):
    model = Company
    sorts = {"name": "Name", "recent": "Applied recently", "applications": "Most applications"}

    def get_queryset(self):
        return selectors.search_companies(
            owner=self.request.user, q=self.search, sort=self.current_sort()
        )


class CompanyDetail(OwnedDetailView):
    model = Company

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        history = selectors.company_history(owner=self.request.user, company=self.object)
        context.update(history=history)
        return context


class CompanyCreate(OwnedFormMixin, CreateView):
    model = Company
    form_class = CompanyForm
    success_message = "Company saved."

    def twin(self, form) -> Company | None:
        return selectors.company_by_name(owner=self.request.user, name=form.cleaned_data["name"])


class CompanyUpdate(OwnedFormMixin, UpdateView):
    model = Company
    form_class = CompanyForm
    success_message = "Company saved."


class CompanyDelete(OwnedDeleteMixin, DeleteView):
    model = Company


# --- Applications ----------------------------------------------------------------------------


class ApplicationList(SearchListMixin, ListView):
    model = Application
    sorts = {
        "-applied_on": "Newest first",
        "applied_on": "Oldest first",
        "company": "Company",
        "role": "Role",
        "status": "Status",
    }
    filter_name = "status"
    filter_choices = Application.Status.choices

    def get_queryset(self):
        return selectors.search_applications(
            owner=self.request.user,
            q=self.search,
            status=self.request.GET.get("status", ""),
            sort=self.current_sort(),
        )


class ApplicationDetail(OwnedDetailView):
    model = Application
    related = ("company", "rejection__contact")

    def get_queryset(self):
        return super().get_queryset().prefetch_related(*selectors.timeline_prefetches())

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        application = self.object
        rejection = getattr(application, "rejection", None)
        context.update(
            rejection=rejection,
            timeline=selectors.application_timeline(
                application=application, zone=self.request.user.profile.zone
            ),
            interviews=application.interviews.all(),
            feedback=rejection.feedback.all() if rejection else [],
            # A portal is not a person: say why nothing was planned for this rejection.
            nothing_planned=bool(rejection) and not rejection.followups.exists(),
        )
        return context


class ApplicationFormMixin(OwnedFormMixin):
    model = Application
    form_class = ApplicationForm
    success_message = "Application saved."

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["company_names"] = selectors.company_names(owner=self.request.user)
        return context

    def perform(self, form) -> Application:
        return services.record_application(
            application=form.save(commit=False), company_name=form.cleaned_data["company_name"]
        )


class ApplicationCreate(ApplicationFormMixin, CreateView):
    def get_initial(self) -> dict:
        initial = super().get_initial()
        company = self.initial_from_query("company", Company.objects.owned_by(self.request.user))
        if company is not None:
            initial["company_name"] = company.name
        return initial


class ApplicationUpdate(ApplicationFormMixin, UpdateView):
    related = ("company",)


class ApplicationDelete(OwnedDeleteMixin, DeleteView):
    model = Application
    related = ("company",)


@require_safe
@login_required
def applied_before(request: HttpRequest) -> HttpResponse:
    """The "have I applied here before?" panel, fetched by htmx as the company is typed."""
    name = request.GET.get("company_name", "")[:200]
    exclude = request.GET.get("exclude", "")
    company = selectors.company_by_name(owner=request.user, name=name)
    history = selectors.company_history(
        owner=request.user,
        company=company,
        exclude_application_id=record_id(exclude),
    )
    warnings = []
    if company is not None and not exclude:
        warnings = reapply_warnings(owner=request.user, company=company, today=timezone.localdate())
    return render(
        request,
        "applications/partials/applied_before.html",
        {"history": history, "warnings": warnings, "typed": bool(name.strip())},
    )


# --- Log a rejection -------------------------------------------------------------------------------


@require_safe
@login_required
def open_applications(request: HttpRequest) -> HttpResponse:
    """ "Log a rejection": the typed company's open applications, to pick the one the
    rejection is for (fetched by htmx as the company is typed)."""
    company = selectors.company_by_name(
        owner=request.user, name=request.GET.get("company_name", "")[:200]
    )
    applications = (
        selectors.applications_without_rejection(owner=request.user)
        .filter(company=company)
        .order_by("-applied_on", "-pk")
        if company is not None
        else []
    )
    return render(
        request,
        "applications/partials/open_applications.html",
        {"company": company, "applications": applications},
    )


class LogRejection(LoginRequiredMixin, FormView):
    """One form, under a minute: creates the company, application and contact if needed."""

    template_name = "applications/log_rejection_form.html"
    form_class = LogRejectionForm

    def get_form_kwargs(self) -> dict:
        kwargs = super().get_form_kwargs()
        kwargs.update(owner=self.request.user, one_time_token=True)
        return kwargs

    def get_initial(self) -> dict:
        initial = super().get_initial()
        pk = record_id(self.request.GET.get("application", ""))
        if pk is not None:
            application = (
                selectors.applications_without_rejection(owner=self.request.user)
                .filter(pk=pk)
                .first()
            )
            if application is not None:
                initial["application"] = application
        return initial

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["company_names"] = selectors.company_names(owner=self.request.user)
        return context

    def form_valid(self, form: LogRejectionForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            with transaction.atomic():
                claim = services.claim_form_token(owner=self.request.user, token=data["form_token"])
                if claim is None:
                    url = services.earlier_submission_url(
                        owner=self.request.user, token=data["form_token"]
                    )
                    messages.info(self.request, "That form was sent twice; it was saved once.")
                    return HttpResponseRedirect(url or reverse("applications:rejection-list"))
                rejection = services.log_rejection(
                    owner=self.request.user,
                    application=data["application"],
                    company_name=data["company_name"],
                    role_title=data["role_title"],
                    applied_on=data["applied_on"],
                    received_at=data["received_at"],
                    channel=data["channel"],
                    stage_reached=data["stage_reached"],
                    reason_given=data["reason_given"],
                    contact_name=data["contact_name"],
                    contact_email=data["contact_email"],
                    open_door_signals=data["open_door_signals"],
                )
                url = rejection.application.get_absolute_url()
                claim.result_url = url
                claim.save(update_fields=["result_url"])
        except IntegrityError:
            return self.logged_elsewhere(form)
        messages.success(self.request, services.rejection_logged_text(rejection=rejection))
        return HttpResponseRedirect(url)

    def logged_elsewhere(self, form: LogRejectionForm) -> HttpResponse:
        """The same application's rejection logged in another tab at the same moment: the
        unique constraint kept that one; show it."""
        data = form.cleaned_data
        rejections = Rejection.objects.owned_by(self.request.user).select_related("application")
        if data["application"] is not None:
            existing = rejections.filter(application=data["application"]).first()
        else:
            company = selectors.company_by_name(owner=self.request.user, name=data["company_name"])
            existing = (
                rejections.filter(
                    application__company=company,
                    application__role_title=services.normalize_text(data["role_title"]),
                )
                .order_by("-pk")
                .first()
                if company is not None
                else None
            )
        if existing is None:
            form.add_error(
                None,
                "The same rejection was logged a moment ago (perhaps in another tab), so"
                " this one was not. Check your rejections before sending again.",
            )
            return self.form_invalid(form)
        messages.info(self.request, "This rejection was already logged a moment ago: here it is.")
        return HttpResponseRedirect(existing.application.get_absolute_url())


# --- Contacts --------------------------------------------------------------------------------------


class ContactList(SearchListMixin, ListView):
    model = Contact
    sorts = {"name": "Name", "company": "Company", "-last_touch_at": "Last touch"}
    filter_name = "role"
    filter_choices = Contact.Role.choices

    def get_queryset(self):
        return selectors.search_contacts(
            owner=self.request.user,
            q=self.search,
            role=self.request.GET.get("role", ""),
            sort=self.current_sort(),
        )


class ContactDetail(OwnedDetailView):
    model = Contact
    related = ("company",)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["interviews"] = self.object.interviews.select_related("application__company")
        context["rejections"] = self.object.rejections_sent.select_related("application__company")
        return context


class ContactFormMixin(OwnedFormMixin):
    model = Contact
    form_class = ContactForm
    success_message = "Contact saved."


class ContactCreate(ContactFormMixin, CreateView):
    def twin(self, form) -> Contact | None:
        data = form.cleaned_data
        if not data.get("email"):
            return None
        return (
            Contact.objects.owned_by(self.request.user)
            .filter(company=data["company"], email__iexact=data["email"])
            .first()
        )

    def get_initial(self) -> dict:
        initial = super().get_initial()
        company = self.initial_from_query("company", Company.objects.owned_by(self.request.user))
        if company is not None:
            initial["company"] = company
        return initial


class ContactUpdate(ContactFormMixin, UpdateView):
    pass


class ContactDelete(OwnedDeleteMixin, DeleteView):
    model = Contact
    related = ("company",)


# --- Interviews ------------------------------------------------------------------------------------


class InterviewList(SearchListMixin, ListView):
    model = Interview
    sorts = {"-when": "Newest first", "when": "Oldest first"}
    filter_name = "kind"
    filter_choices = Interview.Kind.choices

    def get_queryset(self):
        return selectors.search_interviews(
            owner=self.request.user,
            q=self.search,
            kind=self.request.GET.get("kind", ""),
            sort=self.current_sort(),
        )


class InterviewDetail(OwnedDetailView):
    model = Interview
    related = ("application__company",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("interviewers")


class InterviewFormMixin(OwnedFormMixin):
    model = Interview
    form_class = InterviewForm
    related = ("application__company",)
    success_message = "Interview saved."

    def perform(self, form) -> Interview:
        return services.record_interview(
            interview=form.save(commit=False),
            interviewers=form.cleaned_data["interviewers"],
            new_interviewer=form.new_interviewer,
        )


class InterviewCreate(InterviewFormMixin, CreateView):
    def get_initial(self) -> dict:
        initial = super().get_initial()
        application = self.initial_from_query(
            "application", Application.objects.owned_by(self.request.user)
        )
        if application is not None:
            initial["application"] = application
        return initial


class InterviewUpdate(InterviewFormMixin, UpdateView):
    pass


class InterviewDelete(OwnedDeleteMixin, DeleteView):
    model = Interview
    related = ("application__company",)

    def get_success_url(self) -> str:
        return self.object.application.get_absolute_url()


# --- Rejections ------------------------------------------------------------------------------------


class RejectionList(SearchListMixin, ListView):
    model = Rejection
    sorts = {"-received_at": "Newest first", "received_at": "Oldest first"}
    filter_name = "stage"
    filter_choices = Rejection.Stage.choices

    def get_queryset(self):
        return selectors.search_rejections(
            owner=self.request.user,
            q=self.search,
            stage=self.request.GET.get("stage", ""),
            sort=self.current_sort(),
        )


class RejectionDetail(OwnedDetailView):
    model = Rejection
    related = ("application__company", "contact")

    def get_queryset(self):
        return super().get_queryset().prefetch_related("feedback")


class RejectionFormMixin(OwnedFormMixin):
    model = Rejection
    form_class = RejectionForm
    related = ("application__company",)
    success_message = "Rejection saved."

    def perform(self, form) -> Rejection:
        return services.record_rejection(rejection=form.save(commit=False))

    def get_success_url(self) -> str:
        return self.object.application.get_absolute_url()


class RejectionCreate(RejectionFormMixin, CreateView):
    @property
    def success_message(self) -> str:
        return services.rejection_logged_text(rejection=self.object)

    def twin(self, form) -> Rejection | None:
        return (
            Rejection.objects.owned_by(self.request.user)
            .filter(application=form.cleaned_data["application"])
            .first()
        )

    def get_initial(self) -> dict:
        initial = super().get_initial()
        application = self.initial_from_query(
            "application", selectors.applications_without_rejection(owner=self.request.user)
        )
        if application is not None:
            initial["application"] = application
        return initial


class RejectionUpdate(RejectionFormMixin, UpdateView):
    pass


class RejectionDelete(OwnedDeleteMixin, DeleteView):
    model = Rejection
    related = ("application__company",)

    def get_success_url(self) -> str:
        return self.object.application.get_absolute_url()

    def perform_delete(self) -> None:
        services.delete_rejection(rejection=self.object)


# --- Feedback ----------------------------------------------------------------------------------------


class FeedbackList(SearchListMixin, ListView):
    model = Feedback
    sorts = {"-received_on": "Newest first", "received_on": "Oldest first"}

    def get_queryset(self):
        return selectors.search_feedback(
            owner=self.request.user, q=self.search, sort=self.current_sort()
        )


class FeedbackDetail(OwnedDetailView):
    model = Feedback
    related = ("rejection__application__company",)


class FeedbackFormMixin(OwnedFormMixin):
    model = Feedback
    form_class = FeedbackForm
    related = ("rejection__application__company",)
    success_message = "Feedback saved."

    def perform(self, form) -> Feedback:
        return services.record_feedback(feedback=form.save(commit=False))

    def get_success_url(self) -> str:
        return self.object.rejection.application.get_absolute_url()


class FeedbackCreate(FeedbackFormMixin, CreateView):
    def get_success_url(self) -> str:
        # Feedback with themes is most useful turned into goals (003: SMART goals per theme).
        if self.object.themes:
            return reverse("goals:goal-propose", args=[self.object.pk])
        return super().get_success_url()

    def get_initial(self) -> dict:
        initial = super().get_initial()
        rejection = self.initial_from_query(
            "rejection", Rejection.objects.owned_by(self.request.user)
        )
        if rejection is not None:
            initial["rejection"] = rejection
        return initial


class FeedbackUpdate(FeedbackFormMixin, UpdateView):
    pass


class FeedbackDelete(OwnedDeleteMixin, DeleteView):
    model = Feedback
    related = ("rejection__application__company",)

    def get_success_url(self) -> str:
        return self.object.rejection.application.get_absolute_url()
