"""Every follow-up on one page: filter by state and kind, skip or dismiss several at once.

The dashboard's cards show the first few; their "And N more…" links come here.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q, QuerySet
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.views.generic import ListView

from followups import services
from followups.models import FollowUp

Status = FollowUp.Status

# state -> (label, filter); the filters are functions of now.
STATES = {
    "": ("All", lambda now: Q()),
    "open": ("To do", lambda now: Q(status=Status.PENDING)),
    "due": (
        "Due now",
        lambda now: Q(
            status=Status.PENDING, due_at__lte=now, deadline_at__gte=services.missed_cutoff(now)
        ),
    ),
    "upcoming": ("Coming up", lambda now: Q(status=Status.PENDING, due_at__gt=now)),
    "missed": (
        "Missed",
        lambda now: (
            Q(status=Status.MISSED)
            | Q(status=Status.PENDING, deadline_at__lt=services.missed_cutoff(now))
        ),
    ),
    "done": ("Sent", lambda now: Q(status=Status.DONE)),
    "skipped": ("Skipped", lambda now: Q(status=Status.SKIPPED)),
    "cancelled": ("Cancelled", lambda now: Q(status=Status.CANCELLED)),
}
BULK_ACTIONS = {"skip": "Skip", "dismiss": "Dismiss as missed"}


class FollowUpList(LoginRequiredMixin, ListView):
    template_name = "followups/followup_list.html"
    context_object_name = "followups"
    paginate_by = 50

    def filters(self) -> tuple[str, str]:
        state = self.request.GET.get("state", "")
        kind = self.request.GET.get("kind", "")
        return (
            state if state in STATES else "",
            kind if kind in FollowUp.Kind.values else "",
        )

    def get_queryset(self) -> QuerySet[FollowUp]:
        now = timezone.now()
        state, kind = self.filters()
        queryset = FollowUp.objects.filter(owner=self.request.user).filter(STATES[state][1](now))
        if kind:
            queryset = queryset.filter(kind=kind)
        return queryset.select_related("company", "contact").order_by("due_at", "pk")

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        state, kind = self.filters()
        context.update(
            now=timezone.now(),
            state=state,
            kind=kind,
            states=[(value, label) for value, (label, _f) in STATES.items()],
            kinds=FollowUp.Kind.choices,
            bulk_actions=BULK_ACTIONS.items(),
        )
        return context

    def post(self, request, *args, **kwargs):
        """Bulk skip / dismiss the ticked follow-ups (only the person's own, only pending)."""
        action = request.POST.get("action", "")
        ids = [int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()]
        pending = FollowUp.objects.filter(owner=request.user, pk__in=ids, status=Status.PENDING)
        if action not in BULK_ACTIONS or not ids:
            messages.error(request, "Tick at least one follow-up and pick what to do.")
        elif action == "skip":
            count = sum(
                services.skip(followup=f).changed for f in pending.select_related("company")
            )
            messages.success(request, f"Skipped {count} follow-up{'s' if count != 1 else ''}.")
        else:
            count = services.dismiss_missed(
                owner=request.user, now=timezone.now(), ids=pending.values_list("pk", flat=True)
            )
            messages.success(request, f"Dismissed {count} follow-up{'s' if count != 1 else ''}.")
        return HttpResponseRedirect(request.get_full_path())
