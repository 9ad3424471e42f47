from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django.views.generic import FormView, UpdateView

from accounts import links, ratelimit
from accounts.forms import ProfileForm, SignUpForm
from accounts.services import (
    ask_to_confirm_reminder_email,
    confirm_account,
    confirm_reminder_email,
    save_settings,
    sign_up,
)
from accounts.throttling import client_address


def _too_many(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/too_many.html", status=429)


class SignUpView(FormView):
    template_name = "registration/signup.html"
    form_class = SignUpForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("home")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        if not ratelimit.hit("signup", "address", client_address(self.request)):
            return _too_many(self.request)
        # Over the limit for one email address: the same page, no email (no flooding
        # someone's inbox, and nothing to tell a taken address from a free one).
        if ratelimit.hit("signup", "email", email):
            sign_up(
                username=form.cleaned_data["username"],
                email=email,
                password=form.cleaned_data["password1"],
                time_zone=form.cleaned_data["time_zone"],
                full_name=form.cleaned_data["full_name"],
            )
        return render(self.request, "registration/signup_sent.html", {"email": email})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def signup_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation email: GET asks (mail scanners follow links), POST
    activates the account and logs in."""
    try:
        claim = links.read_signup(token)
    except links.LinkRefused as refused:
        return render(
            request, "registration/link_refused.html", {"reason": refused.reason}, status=400
        )
    if request.method != "POST":
        return render(request, "registration/signup_confirm.html")
    user = confirm_account(claim)
    if user is None:
        return render(request, "registration/link_refused.html", {"reason": "gone"}, status=404)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(
        request, "Welcome to Open Doors. Start by logging an application or a rejection."
    )
    return redirect("home")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def reminder_email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link sent to a new reminder address: POST confirms it."""
    try:
        claim = links.read_reminder_email(token)
    except links.LinkRefused as refused:
        return render(
            request, "registration/link_refused.html", {"reason": refused.reason}, status=400
        )
    if request.method != "POST":
        return render(request, "accounts/reminder_email_confirm.html", {"email": claim.email})
    profile = confirm_reminder_email(claim)
    if profile is None:
        return render(request, "registration/link_refused.html", {"reason": "gone"}, status=404)
    return render(request, "accounts/reminder_email_confirmed.html", {"email": claim.email})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, limited per address and per email address like sign-up."""

    def form_valid(self, form):
        if not ratelimit.hit("password_reset", "address", client_address(self.request)):
            return _too_many(self.request)
        if not ratelimit.hit("password_reset", "email", form.cleaned_data["email"]):
            return redirect(self.get_success_url())  # the same answer, no email
        return super().form_valid(form)


class SettingsView(LoginRequiredMixin, UpdateView):
    template_name = "accounts/profile_form.html"
    form_class = ProfileForm
    success_url = reverse_lazy("accounts:settings")
    success_message = "Settings saved."

    def get_object(self, queryset=None):
        return self.request.user.profile

    def form_valid(self, form):
        self.object = save_settings(profile=form.instance, changed=set(form.changed_data))
        messages.success(self.request, self.success_message)
        if "reminder_email" in form.changed_data and self.object.reminder_email_pending:
            ask_to_confirm_reminder_email(self.object)
            messages.info(
                self.request,
                f"We sent a link to {self.object.reminder_email}. Reminders go there once"
                f" you follow it; until then they go to {self.request.user.email}.",
            )
        return redirect(self.success_url)
