"""The job search as it happened: what the person applied to, who they met, what they heard."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower, Replace
from django.urls import reverse
from django.utils import timezone


class OwnedQuerySet(models.QuerySet):
    def owned_by(self, user) -> "OwnedQuerySet":
        return self.filter(owner=user)


class OwnedModel(models.Model):
    """Every record belongs to one person; views and forms always filter on `owner`."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        abstract = True


def company_name_key(name):
    """The form of a company name that decides sameness: no spaces, lower case.

    The same expression serves the unique constraint and the lookups, so the database
    (not Python's idea of lower case) decides: "ACME", "Acme " and "Ac me" are one company.
    """
    return Lower(Replace(name, models.Value(" "), models.Value("")))


class Company(OwnedModel):
    name = models.CharField(max_length=120)
    website = models.URLField(max_length=300, blank=True)
    notes = models.TextField(max_length=10_000, blank=True)
    # A closed door ends every pending follow-up at this company.
    door_closed_at = models.DateTimeField(null=True, blank=True)
    # 000: "look to [its] competitors": companies that hire the same people (both ways).
    competitors = models.ManyToManyField("self", blank=True, symmetrical=True)

    class Meta:
        verbose_name_plural = "companies"
        ordering = [Lower("name")]
        constraints = [
            # "ACME", "Acme" and "Ac me" are one company for one person.
            models.UniqueConstraint(
                company_name_key(models.F("name")), "owner", name="company_name_unique_per_owner"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("applications:company-detail", args=[self.pk])

    @property
    def door_is_closed(self) -> bool:
        return self.door_closed_at is not None


class Application(OwnedModel):
    class Source(models.TextChoices):
        BOARD = "board", "Job board"
        REFERRAL = "referral", "Referral"
        RECRUITER = "recruiter", "Recruiter"
        COMPANY_SITE = "company_site", "Company site"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied"
        INTERVIEWING = "interviewing", "Interviewing"
        OFFER = "offer", "Offer"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"
        NO_RESPONSE = "no_response", "No response"

    ACTIVE_STATUSES = (Status.APPLIED, Status.INTERVIEWING, Status.OFFER)

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="applications")
    role_title = models.CharField("role", max_length=160)
    job_url = models.URLField("job posting URL", max_length=500, blank=True)
    source = models.CharField(max_length=20, choices=Source, default=Source.BOARD)
    applied_on = models.DateField(default=timezone.localdate)
    status = models.CharField(max_length=20, choices=Status, default=Status.APPLIED)
    # Written *for* messages (the note to an old recruiter says why this role); notes are not.
    why_this_role = models.TextField(
        "why this role",
        max_length=1_000,
        blank=True,
        help_text=(
            "Optional, for the note to a recruiter you already know: one sentence, e.g. "
            '"It is the data platform work I have wanted to do since we last spoke." '
            "Open Doors uses it as you wrote it."
        ),
    )
    notes = models.TextField(
        max_length=10_000, blank=True, help_text="Private: never used in a drafted message."
    )

    class Meta:
        ordering = ["-applied_on", "-pk"]
        indexes = [
            models.Index(fields=["owner", "status"]),
            models.Index(fields=["owner", "-applied_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.role_title} at {self.company}"

    def get_absolute_url(self) -> str:
        return reverse("applications:application-detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    def mark_rejected(self) -> None:
        self.status = self.Status.REJECTED
        self.save(update_fields=["status", "updated_at"])

    def mark_interviewing(self) -> None:
        """An interview moves a fresh application on; later statuses stay as they are."""
        if self.status in (self.Status.APPLIED, self.Status.NO_RESPONSE):
            self.status = self.Status.INTERVIEWING
            self.save(update_fields=["status", "updated_at"])

    def reopen(self, *, has_interviews: bool) -> None:
        """Its rejection was removed: back to where it stood before."""
        self.status = self.Status.INTERVIEWING if has_interviews else self.Status.APPLIED
        self.save(update_fields=["status", "updated_at"])


class Contact(OwnedModel):
    class Role(models.TextChoices):
        RECRUITER = "recruiter", "Recruiter"
        HIRING_MANAGER = "hiring_manager", "Hiring manager"
        INTERVIEWER = "interviewer", "Interviewer"
        OTHER = "other", "Other"

    # Contacts outlive a rejection: the advice is to keep their details for later.
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=120)
    role = models.CharField(max_length=20, choices=Role, default=Role.RECRUITER)
    email = models.EmailField(blank=True)
    linkedin_url = models.URLField("LinkedIn URL", max_length=300, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(max_length=10_000, blank=True)
    # Set when a follow-up to this person is marked sent.
    last_touch_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [
            # Open doors: when a company's contacts were last touched, from the index alone.
            models.Index(fields=["company", "last_touch_at"], name="contact_last_touch_idx"),
        ]
        constraints = [
            # One contact per email address at a company, whatever the capitals: two tabs
            # adding the same person at once end in one row (services.find_or_create_contact).
            models.UniqueConstraint(
                Lower("email"),
                "owner",
                "company",
                condition=~models.Q(email=""),
                name="contact_email_unique_per_company",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.company})"

    def get_absolute_url(self) -> str:
        return reverse("applications:contact-detail", args=[self.pk])

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else ""


class Interview(OwnedModel):
    class Kind(models.TextChoices):
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video"
        ONSITE = "onsite", "On-site"
        TECHNICAL = "technical", "Technical"
        PANEL = "panel", "Panel"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="interviews"
    )
    when = models.DateTimeField()
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.VIDEO)
    interviewers = models.ManyToManyField(Contact, blank=True, related_name="interviews")
    notes = models.TextField(
        max_length=10_000, blank=True, help_text="Private: never used in a drafted message."
    )
    # Written *for* the thank-you, addressed to the interviewer; drafts quote it as it is.
    detail_to_mention = models.CharField(
        "a detail to mention",
        max_length=200,
        blank=True,
        help_text=(
            "Optional: something from the conversation to recall in your thank-you, written "
            'to them, e.g. "your plan to move the pipeline to Dagster". The draft says '
            '"I especially enjoyed our conversation about …".'
        ),
    )
    looking_for = models.TextField(
        "what they are looking for",
        max_length=5_000,
        blank=True,
        help_text=(
            'Optional: what the team said it needs, e.g. "someone to own the data quality '
            'checks". The interview thank-you restates it, as the advice suggests.'
        ),
    )

    class Meta:
        ordering = ["when", "pk"]
        # The dashboard's interviews still ahead, soonest first.
        indexes = [models.Index(fields=["owner", "when"], name="interview_owner_when_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} interview for {self.application}"

    def get_absolute_url(self) -> str:
        return reverse("applications:interview-detail", args=[self.pk])


class Rejection(OwnedModel):
    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        PHONE = "phone", "Phone call"
        PORTAL = "portal", "Applicant portal"
        NEVER_HEARD = "never_heard", "Never heard back"

    class Stage(models.TextChoices):
        APPLICATION = "application", "Application / CV screen"
        SCREENING = "screening", "Recruiter screen"
        INTERVIEW = "interview", "Interviews"
        FINAL = "final", "Final round"
        OFFER = "offer", "Offer stage"

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="rejection"
    )
    received_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=20, choices=Channel, default=Channel.EMAIL)
    stage_reached = models.CharField(max_length=20, choices=Stage, default=Stage.APPLICATION)
    reason_given = models.TextField(max_length=5_000, blank=True)
    # A rejection from a shared mailbox (careers@, no-reply with a Reply-To) has no person; a
    # thank-you can still go to that address.
    reply_to = models.EmailField(
        "reply-to address",
        blank=True,
        help_text="Optional: where a reply goes when no person signed it, e.g. careers@….",
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rejections_sent",
        verbose_name="who sent it",
    )
    # Phrases in the rejection that invite the person back ("we'll keep your CV on file"), as
    # the person confirmed them (the inbox reader proposes, see followups.services
    # .record_open_door_signals). They make the door stronger (followups.rules).
    open_door_signals = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"Rejection: {self.application}"

    def get_absolute_url(self) -> str:
        return reverse("applications:rejection-detail", args=[self.pk])


class Feedback(OwnedModel):
    class Theme(models.TextChoices):
        EXPERIENCE_FIT = "experience_fit", "Experience fit"
        COMMUNICATION = "communication", "Communication"
        NERVES = "nerves", "Nerves"
        ENTHUSIASM = "enthusiasm", "Enthusiasm"
        TECHNICAL_SKILLS = "technical_skills", "Technical skills"
        CULTURE_FIT = "culture_fit", "Culture fit"
        OTHER = "other", "Other"

    rejection = models.ForeignKey(Rejection, on_delete=models.CASCADE, related_name="feedback")
    received_on = models.DateField(default=timezone.localdate)
    what_they_said = models.TextField(max_length=10_000)
    # A short list of Theme values; JSON keeps it portable between SQLite and PostgreSQL.
    themes = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name_plural = "feedback"
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Feedback on {self.rejection.application}"

    def get_absolute_url(self) -> str:
        return reverse("applications:feedback-detail", args=[self.pk])

    def get_themes_display(self) -> list[str]:
        labels = dict(self.Theme.choices)
        return [labels.get(theme, theme) for theme in self.themes]


class FormSubmission(models.Model):
    """A one-time token per rendered create form, claimed in the transaction that saves.

    A double-clicked submit sends the same token twice; the second insert hits the unique
    constraint (and on PostgreSQL waits for the first transaction), so one row is made and
    the second request is sent to what the first one saved.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField()
    result_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "token"], name="form_submission_once"),
        ]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"Form submission {self.token}"


class CompanyFacts(models.Model):
    """What a company's rejections and interviews add up to, kept by the database itself
    (applications.facts: triggers on the rejections, interviews and applications, in the
    same transaction as the write). Never written by Django; the dashboard reads it instead
    of going through every rejection of the person on each visit."""

    company = models.OneToOneField(
        Company,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # a company's delete removes its row (a trigger)
        related_name="facts",
    )
    # The newest rejection at the company (the latest received, then the latest made).
    latest_rejection = models.ForeignKey(
        Rejection,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # only ever joined from this row
        related_name="+",
    )
    first_rejected_at = models.DateTimeField(null=True)
    last_interview_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name_plural = "company facts"

    def __str__(self) -> str:
        return f"Facts of company {self.company_id}"
