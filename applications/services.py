"""Workflows over the job-search records. Each one runs in one transaction.

Every event that the follow-up engine cares about (an application, an interview, a
rejection, feedback) is handed to `followups.services` inside the same transaction as
the event itself, so a follow-up never exists without its event, nor the other way round.
"""

import datetime as dt
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.cleaning import strip_controls
from applications import selectors
from applications.models import (
    Application,
    Company,
    Contact,
    Feedback,
    FormSubmission,
    Interview,
    Rejection,
)
from followups import services as followups_services

# Tokens only need to outlive a double click; a day is generous.
FORM_TOKEN_LIFETIME = dt.timedelta(days=1)


def normalize_text(value: str) -> str:
    """One line of user text: no control characters or bidi overrides, no leading/trailing
    space, inner runs of space collapsed (what company_by_name looks up, too)."""
    # Line breaks and tabs become spaces (split), other control characters go.
    return " ".join(strip_controls(value or "", keep_newlines=True).split())


def get_or_create_company(*, owner, name: str) -> Company:
    """The person's company of this name, ignoring case and spaces; made if missing.

    1. Look it up with the same expression the unique constraint uses.
    2. Create it inside a savepoint; if a parallel request created it first, the
       constraint refuses ours and we read theirs.
    """
    name = normalize_text(name)
    if not name:
        raise ValueError("A company needs a name.")
    existing = selectors.company_by_name(owner=owner, name=name)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Company.objects.create(owner=owner, name=name)
    except IntegrityError:
        existing = selectors.company_by_name(owner=owner, name=name)
        if existing is None:
            raise
        return existing


def find_or_create_contact(
    *,
    owner,
    company: Company,
    name: str = "",
    email: str = "",
    role: str = Contact.Role.RECRUITER,
    linkedin_url: str = "",
) -> Contact | None:
    """The contact at `company` with this email (or, without one, this name); made if missing.

    Returns None when neither a name nor an email was given. A known contact whose email
    (or LinkedIn address) was missing gets it filled in.
    """
    name, email = normalize_text(name), normalize_text(email).lower()
    if not name and not email:
        return None
    contacts = Contact.objects.owned_by(owner).filter(company=company)
    contact = None
    if email:
        contact = contacts.filter(email__iexact=email).first()
    if contact is None and name:
        contact = contacts.filter(name__iexact=name).order_by("pk").first()
        if contact is not None and email and contact.email and contact.email != email:
            contact = None  # Same name, different person: keep both.
    if contact is None:
        # Without a name, the address's local part (up to 64 characters, or more from a
        # lenient validator) stands in, cut to what the column holds.
        fallback = email.split("@")[0][: Contact._meta.get_field("name").max_length]
        try:
            with transaction.atomic():
                return Contact.objects.create(
                    owner=owner,
                    company=company,
                    name=name or fallback,
                    email=email,
                    role=role,
                    linkedin_url=linkedin_url,
                )
        except IntegrityError:
            # The same email added at this company a moment ago (another tab): use that one.
            contact = contacts.filter(email__iexact=email).first() if email else None
            if contact is None:
                raise
    filled = []
    if email and not contact.email:
        contact.email = email
        filled.append("email")
    if linkedin_url and not contact.linkedin_url:
        contact.linkedin_url = linkedin_url
        filled.append("linkedin_url")
    if filled:
        contact.save(update_fields=[*filled, "updated_at"])
    return contact


@transaction.atomic
def record_application(*, application: Application, company_name: str) -> Application:
    """Save a new or edited application, making its company on the fly.

    1. Resolve the company by name (case and spaces ignored).
    2. Save the application.
    3. The engine hears about a new application (the recruiter note when reapplying) and
       about a changed status (an accepted offer ends the check-ins at that company).
    """
    is_new = application.pk is None
    stored = (
        None
        if is_new
        else Application.objects.filter(pk=application.pk).values("status", "company_id").first()
    )
    status_changed = stored is not None and stored["status"] != application.status
    application.company = get_or_create_company(owner=application.owner, name=company_name)
    application.role_title = normalize_text(application.role_title)
    application.save()
    if stored is not None and stored["company_id"] != application.company_id:
        _move_to_company(application=application, old_company_id=stored["company_id"])
    if is_new or status_changed:
        followups_services.sync_application(application=application)
    return application


def _move_to_company(*, application: Application, old_company_id: int) -> None:
    """The application was filed under the wrong company (or the company was renamed into
    another one): what hangs on it follows. The rejection's sender, a contact at the old
    company, gets a twin at the new one (the old row may belong to other applications
    there); pending follow-ups, and so their drafts, name the new company and contact."""
    contacts: dict[int, int] = {}
    rejection = Rejection.objects.filter(application=application).select_related("contact").first()
    if (
        rejection is not None
        and rejection.contact
        and rejection.contact.company_id == old_company_id
    ):
        old = rejection.contact
        new = find_or_create_contact(
            owner=application.owner,
            company=application.company,
            name=old.name,
            email=old.email,
            role=old.role,
        )
        contacts[old.pk] = new.pk
        rejection.contact = new
        rejection.save(update_fields=["contact", "updated_at"])
    followups_services.follow_application_move(application=application, contacts=contacts)


@transaction.atomic
def record_interview(
    *,
    interview: Interview,
    interviewers: Iterable[Contact] = (),
    new_interviewer: Mapping[str, str] | None = None,
) -> Interview:
    """Save a new or edited interview and keep its thank-you in step.

    1. Save the interview; a new interviewer (name, role, email, LinkedIn) becomes a
       contact at the application's company, or is the one already known by that email
       or name there.
    2. Record who took it.
    3. A fresh application moves on to "interviewing".
    4. The engine creates or moves the interview thank-you.
    """
    interview.save()
    people = list(interviewers)
    if new_interviewer:
        person = find_or_create_contact(
            owner=interview.owner, company=interview.application.company, **new_interviewer
        )
        if person is not None and person not in people:
            people.append(person)
    interview.interviewers.set(people)
    interview.application.mark_interviewing()
    followups_services.sync_interview(interview=interview)
    return interview


@transaction.atomic
def record_rejection(*, rejection: Rejection) -> Rejection:
    """Save a new or edited rejection; its application becomes rejected.

    1. Save the rejection.
    2. Mark the application rejected.
    3. The engine creates the rejection's follow-ups, or moves pending ones if the
       received date changed.
    """
    rejection.save()
    if rejection.application.status != Application.Status.REJECTED:
        rejection.application.mark_rejected()
    followups_services.sync_rejection(rejection=rejection)
    return rejection


@transaction.atomic
def delete_rejection(*, rejection: Rejection) -> Application:
    """Remove a rejection logged by mistake; the application goes back to where it stood."""
    application = rejection.application
    rejection.delete()
    application.reopen(has_interviews=application.interviews.exists())
    return application


@transaction.atomic
def log_rejection(
    *,
    owner,
    received_at: dt.datetime,
    channel: str = Rejection.Channel.EMAIL,
    stage_reached: str = Rejection.Stage.APPLICATION,
    reason_given: str = "",
    application: Application | None = None,
    company_name: str = "",
    role_title: str = "",
    applied_on: dt.date | None = None,
    contact_name: str = "",
    contact_email: str = "",
    open_door_signals: list[str] | None = None,
) -> Rejection:
    """The one-minute flow: a rejection email is open in another tab.

    1. Use the given application, or find the open one for this company and role,
       or create the company and the (already rejected) application on the fly.
    2. Find or create the contact who sent it (optional).
    3. Record the rejection (the application becomes rejected; the engine plans the
       thank-you and the check-ins), all in this one transaction.
    """
    if application is None:
        company = get_or_create_company(owner=owner, name=company_name)
        role_title = normalize_text(role_title)
        application = selectors.open_application_for(
            owner=owner, company=company, role_title=role_title
        )
        if application is None:
            received_on = timezone.localtime(received_at).date()
            application = Application.objects.create(
                owner=owner,
                company=company,
                role_title=role_title,
                applied_on=min(applied_on or received_on, received_on),
                status=Application.Status.REJECTED,
            )
    contact = find_or_create_contact(
        owner=owner, company=application.company, name=contact_name, email=contact_email
    )
    rejection = record_rejection(
        rejection=Rejection(
            owner=owner,
            application=application,
            received_at=received_at,
            channel=channel,
            stage_reached=stage_reached,
            reason_given=reason_given.strip(),
            contact=contact,
            # What the person confirmed of their words (the email reader proposes them).
            open_door_signals=list(open_door_signals or []),
        )
    )
    # An application made here is already over: it is not the "new application" the engine's
    # sync_application plans a recruiter note for, so only the rejection is synced.
    return rejection


def rejection_logged_text(*, rejection: Rejection) -> str:
    """The flash after logging a rejection: what the engine planned, or that its time passed."""
    return followups_services.rejection_logged_text(rejection=rejection, now=timezone.now())


@transaction.atomic
def record_feedback(*, feedback: Feedback) -> Feedback:
    """Save feedback on a rejection; the nudge asking for it is no longer needed."""
    feedback.save()
    followups_services.feedback_logged(feedback=feedback)
    return feedback


def claim_form_token(*, owner, token) -> FormSubmission | None:
    """Claim a create form's one-time token inside the caller's transaction.

    Returns the claim, or None when the token was already used (a double-clicked submit):
    the caller then shows what the first submit saved instead of saving again.
    """
    FormSubmission.objects.filter(
        owner=owner, created_at__lt=timezone.now() - FORM_TOKEN_LIFETIME
    ).delete()
    try:
        with transaction.atomic():
            return FormSubmission.objects.create(owner=owner, token=token)
    except IntegrityError:
        return None


def earlier_submission_url(*, owner, token) -> str:
    submission = FormSubmission.objects.filter(owner=owner, token=token).first()
    return submission.result_url if submission else ""
