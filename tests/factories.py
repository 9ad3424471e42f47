"""One factory per model. Times default to "now", which tests pin with time_machine."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Profile
from applications.models import Application, Company, Contact, Feedback, Interview, Rejection
from followups.models import FollowUp
from goals.models import ImprovementGoal


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    first_name = "Sam"
    last_name = "Rivera"
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")
    profile = factory.RelatedFactory("tests.factories.ProfileFactory", factory_related_name="user")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


class ProfileFactory(factory.django.DjangoModelFactory):
    """Fills in the profile every user already has (accounts.signals made it with defaults)."""

    class Meta:
        model = Profile

    user = factory.SubFactory(UserFactory, profile=None)
    full_name = "Sam Rivera"
    time_zone = "Europe/Berlin"
    reminder_start = dt.time(8, 0)
    reminder_end = dt.time(20, 0)

    @classmethod
    def _create(cls, model_class, *args, user, **fields):
        profile, _ = model_class.objects.update_or_create(user=user, defaults=fields)
        user.profile = profile  # the user's cached profile is this one, with these fields
        return profile


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Company {n}")
    website = factory.LazyAttribute(lambda c: f"https://{c.name.lower().replace(' ', '')}.example")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    owner = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory, owner=factory.SelfAttribute("..owner"))
    role_title = "Backend Engineer"
    applied_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    status = Application.Status.APPLIED


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    owner = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory, owner=factory.SelfAttribute("..owner"))
    name = "Dana Whitfield"
    role = Contact.Role.RECRUITER
    # One email per person at a company (a unique constraint): from the first name.
    email = factory.LazyAttribute(lambda c: f"{c.name.split()[0].lower()}@acme.example")


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    owner = factory.SubFactory(UserFactory)
    application = factory.SubFactory(ApplicationFactory, owner=factory.SelfAttribute("..owner"))
    when = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    kind = Interview.Kind.VIDEO
    notes = "Talked about the billing platform migration."
    looking_for = "Someone who has run Postgres at scale."


class RejectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rejection

    owner = factory.SubFactory(UserFactory)
    application = factory.SubFactory(
        ApplicationFactory,
        owner=factory.SelfAttribute("..owner"),
        status=Application.Status.REJECTED,
    )
    received_at = factory.LazyFunction(timezone.now)
    channel = Rejection.Channel.EMAIL
    stage_reached = Rejection.Stage.INTERVIEW


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    owner = factory.SubFactory(UserFactory)
    rejection = factory.SubFactory(RejectionFactory, owner=factory.SelfAttribute("..owner"))
    what_they_said = "Strong technically; another candidate had more payments experience."
    themes = factory.LazyFunction(lambda: [Feedback.Theme.EXPERIENCE_FIT])


class ImprovementGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImprovementGoal

    owner = factory.SubFactory(UserFactory)
    theme = Feedback.Theme.EXPERIENCE_FIT
    what = "Tailor my résumé to each role"
    how_measured = "Every application this month has a tailored résumé"
    target_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FollowUp

    owner = factory.SubFactory(UserFactory)
    kind = FollowUp.Kind.REJECTION_THANKS
    company = factory.SubFactory(CompanyFactory, owner=factory.SelfAttribute("..owner"))
    key = factory.Sequence(lambda n: f"test:{n}:1")
    due_at = factory.LazyFunction(timezone.now)
    deadline_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=1))
