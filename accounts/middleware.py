from django.utils import timezone


class UserTimezoneMiddleware:
    """Shows every time in the person's own zone; storage stays UTC."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            # Every user has a profile (accounts.signals), and its zone never raises.
            timezone.activate(request.user.profile.zone)
        else:
            timezone.deactivate()
        return self.get_response(request)
