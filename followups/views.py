from django.shortcuts import render


def home(request):
    """The landing page for visitors; the dashboard for a logged-in person."""
    if not request.user.is_authenticated:
        return render(request, "landing.html")
    return render(request, "followups/dashboard.html")
