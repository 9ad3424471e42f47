"""Improvement goal pages: list, detail, create, edit, progress, complete, delete, propose.

Built on the record pages' base classes (`applications.views`): every query is scoped to the
logged-in person, so another person's goal or feedback is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DeleteView, DetailView, ListView, UpdateView

from applications.models import Feedback
from applications.views import OwnedDeleteMixin, OwnedFormMixin, OwnedMixin
from goals.forms import PROGRESS_MESSAGE, GoalProposalFormSet, ImprovementGoalForm
from goals.models import ImprovementGoal
from goals.services import (
    GOAL_TEMPLATES,
    complete_goal,
    create_goals_from_feedback,
    propose_goals,
    update_goal_progress,
)


class GoalMixin(OwnedMixin):
    model = ImprovementGoal
    related = ("feedback__rejection__application__company",)
    url_prefix = "goal"


class GoalList(GoalMixin, ListView):
    template_name = "goals/goal_list.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        goals = list(context["object_list"])
        context.update(
            today=today,
            overdue=[g for g in goals if g.is_overdue(today)],
            in_progress=[g for g in goals if not g.is_complete and not g.is_overdue(today)],
            completed=sorted(
                (g for g in goals if g.is_complete), key=lambda g: g.completed_on, reverse=True
            ),
        )
        return context


class GoalDetail(GoalMixin, DetailView):
    template_name = "goals/goal_detail.html"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context["is_overdue"] = self.object.is_overdue(timezone.localdate())
        return context


class GoalFormMixin(GoalMixin, OwnedFormMixin):
    form_class = ImprovementGoalForm
    template_name = "goals/goal_form.html"
    success_message = "Goal saved."

    def perform(self, form) -> ImprovementGoal:
        goal = form.save(commit=False)
        update_goal_progress(
            goal=goal, progress=form.cleaned_data["progress"], today=timezone.localdate()
        )
        return goal


class GoalCreate(GoalFormMixin, CreateView):
    def get_initial(self) -> dict:
        initial = super().get_initial()
        feedback = self.initial_from_query("feedback", Feedback.objects.owned_by(self.request.user))
        if feedback is not None:
            initial["feedback"] = feedback
            if feedback.themes and feedback.themes[0] in GOAL_TEMPLATES:
                initial["theme"] = feedback.themes[0]
        return initial


class GoalUpdate(GoalFormMixin, UpdateView):
    pass


class GoalDelete(GoalMixin, OwnedDeleteMixin, DeleteView):
    template_name = "goals/goal_confirm_delete.html"

    def get_success_url(self) -> str:
        return reverse("goals:goal-list")


def _owned_goal(request: HttpRequest, pk: int) -> ImprovementGoal:
    return get_object_or_404(ImprovementGoal.objects.owned_by(request.user), pk=pk)


@require_POST
@login_required
def goal_complete(request: HttpRequest, pk: int) -> HttpResponse:
    goal = _owned_goal(request, pk)
    complete_goal(goal=goal, today=timezone.localdate())
    messages.success(request, "Goal completed. Well done: mention it when you next write to them.")
    return HttpResponseRedirect(goal.get_absolute_url())


@require_POST
@login_required
def goal_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The quick "progress" box on a goal's page: a whole number from 0 to 100."""
    goal = _owned_goal(request, pk)
    value = request.POST.get("progress", "").strip()
    # ASCII digits only: "²" is a digit to Python's isdigit() but not to int().
    if not (value.isascii() and value.isdigit()) or not 0 <= int(value) <= 100:
        messages.error(request, PROGRESS_MESSAGE)
        return HttpResponseRedirect(goal.get_absolute_url())
    was_complete = goal.is_complete
    update_goal_progress(goal=goal, progress=int(value), today=timezone.localdate())
    if was_complete and not goal.is_complete:
        messages.success(request, f"Goal reopened at {goal.progress}%.")
    elif goal.is_complete:
        messages.success(request, "Goal completed. Well done.")
    else:
        messages.success(request, f"Progress saved: {goal.progress}%.")
    return HttpResponseRedirect(goal.get_absolute_url())


class GoalPropose(LoginRequiredMixin, View):
    """Feedback in, goals out: one proposal per theme, each editable, created together."""

    template_name = "goals/goal_propose.html"

    def setup(self, request, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        self.today = timezone.localdate()

    def get_feedback(self) -> Feedback:
        return get_object_or_404(
            Feedback.objects.owned_by(self.request.user).select_related(
                "rejection__application__company"
            ),
            pk=self.kwargs["feedback_pk"],
        )

    def get(self, request: HttpRequest, feedback_pk: int) -> HttpResponse:
        feedback = self.get_feedback()
        proposals = propose_goals(feedback=feedback, today=self.today)
        formset = GoalProposalFormSet(
            form_kwargs={"feedback": feedback},
            initial=[
                {
                    "theme": goal.theme,
                    "create": True,
                    "what": goal.what,
                    "how_measured": goal.how_measured,
                    "target_date": goal.target_date,
                }
                for goal in proposals
            ],
        )
        return self.render(feedback, formset)

    def post(self, request: HttpRequest, feedback_pk: int) -> HttpResponse:
        feedback = self.get_feedback()
        offered = {goal.theme for goal in propose_goals(feedback=feedback, today=self.today)}
        formset = GoalProposalFormSet(request.POST, form_kwargs={"feedback": feedback})
        if not formset.is_valid():
            return self.render(feedback, formset)
        chosen = [
            form
            for form in formset.forms
            if form.cleaned_data.get("create") and form.cleaned_data["theme"] in offered
        ]
        goals = create_goals_from_feedback(
            feedback=feedback,
            themes=[form.cleaned_data["theme"] for form in chosen],
            today=self.today,
            edits={form.cleaned_data["theme"]: form.as_edit() for form in chosen},
        )
        if goals:
            count = len(goals)
            messages.success(
                request,
                f"{count} goal{'s' if count != 1 else ''} created. Update the progress as you go.",
            )
        else:
            messages.info(request, "Those goals were already created.")
        return HttpResponseRedirect(reverse("goals:goal-list"))

    def render(self, feedback: Feedback, formset) -> HttpResponse:
        labels = dict(Feedback.Theme.choices)
        rows = [(labels.get(form["theme"].value(), ""), form) for form in formset.forms]
        return render(
            self.request,
            self.template_name,
            {"feedback": feedback, "formset": formset, "rows": rows},
        )
