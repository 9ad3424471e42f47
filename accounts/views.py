from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views.generic import FormView, UpdateView

from accounts.forms import ProfileForm, SignUpForm
from accounts.services import create_account, save_settings


class SignUpView(FormView):
    template_name = "registration/signup.html"
    form_class = SignUpForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("home")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        user = create_account(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            time_zone=form.cleaned_data["time_zone"],
            full_name=form.cleaned_data["full_name"],
        )
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            self.request, "Welcome to Open Doors. Start by logging an application or a rejection."
        )
        return redirect("home")


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
        return redirect(self.success_url)
