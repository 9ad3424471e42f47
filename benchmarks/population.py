"""Rows for the dispatch and idle-tick benchmarks, written in bulk with generate_series.

People (users with Berlin profiles, reminders 08:00-20:00, one email per reminder), each
with a job search of rejected applications (company, recruiter on LinkedIn, application,
interview with the recruiter as interviewer, rejection sent by the recruiter), and
follow-ups over every kind of the rule table with one reminder each: what the engine's
drafts and emails read, so each email is rendered as it would be for a real person.
"""

import datetime as dt
from dataclasses import dataclass

from benchmarks.database import insert_series

KINDS = (
    "rejection_thanks",
    "interview_thanks",
    "feedback_nudge",
    "check_in",
    "keep_in_touch",
    "linkedin",
    "recruiter_note",
)
DOMAIN = "opendoors.example.com"


def ts(moment: dt.datetime) -> str:
    return f"'{moment.isoformat()}'::timestamptz"


@dataclass(frozen=True)
class People:
    users: range
    searches_per_user: int
    companies: range
    contacts: range
    applications: range
    reapplications: range
    interviews: range
    rejections: range


def make_people(*, count: int, searches_per_user: int, prefix: str, now: dt.datetime) -> People:
    """`count` people with `searches_per_user` rejected applications each."""
    from django.contrib.auth import get_user_model

    from accounts.models import Profile
    from applications.models import Application, Company, Contact, Interview, Rejection

    User = get_user_model()
    users = insert_series(
        User,
        count,
        {
            "username": f"'{prefix}' || g",
            "email": f"'{prefix}' || g || '@people.example'",
            "first_name": "'Alex'",
            "last_name": "'Morgan ' || g",
            # Unusable: nobody logs in as these people.
            "password": "'!bench'",
        },
    )
    insert_series(
        Profile,
        count,
        {
            "user_id": f"{users.start} + g",
            "full_name": "'Alex Morgan ' || g",
            "time_zone": "'Europe/Berlin'",
            "signature": "'Alex Morgan' || chr(10) || 'alex.morgan@people.example'",
        },
    )
    per = searches_per_user
    n = count * per
    owner = f"{users.start} + g / {per}"
    companies = insert_series(
        Company,
        n,
        {
            "owner_id": owner,
            "name": "'Company ' || g",
            "website": "'https://company' || g || '.example'",
        },
    )
    contacts = insert_series(
        Contact,
        n,
        {
            "owner_id": owner,
            "company_id": f"{companies.start} + g",
            "name": "'Dana Whitfield'",
            "role": "'recruiter'",
            "email": "'dana@company' || g || '.example'",
            "linkedin_url": "'https://www.linkedin.com/in/dana-whitfield-' || g",
        },
    )
    applications = insert_series(
        Application,
        n,
        {
            "owner_id": owner,
            "company_id": f"{companies.start} + g",
            "role_title": "'Senior Backend Engineer'",
            "applied_on": f"{ts(now - dt.timedelta(days=30))}::date",
            "status": "'rejected'",
        },
    )
    # A new application at each company that rejected them: what the recruiter note is for.
    reapplications = insert_series(
        Application,
        n,
        {
            "owner_id": owner,
            "company_id": f"{companies.start} + g",
            "role_title": "'Staff Engineer'",
            "applied_on": f"{ts(now - dt.timedelta(days=1))}::date",
            "status": "'applied'",
        },
    )
    interviews = insert_series(
        Interview,
        n,
        {
            "owner_id": owner,
            "application_id": f"{applications.start} + g",
            "when": ts(now - dt.timedelta(days=5)),
            "kind": "'video'",
            "notes": "'Walked through the billing platform migration; they liked the rollback plan.'",
            "looking_for": "'Someone who has run Postgres at scale.'",
        },
    )
    insert_series(
        Interview.interviewers.through,
        n,
        {"interview_id": f"{interviews.start} + g", "contact_id": f"{contacts.start} + g"},
    )
    rejections = insert_series(
        Rejection,
        n,
        {
            "owner_id": owner,
            "application_id": f"{applications.start} + g",
            "contact_id": f"{contacts.start} + g",
            "received_at": ts(now - dt.timedelta(days=1)),
            "stage_reached": "'interview'",
            "reason_given": "'We went with a candidate whose experience matches the role more closely.'",
        },
    )
    return People(
        users, per, companies, contacts, applications, reapplications, interviews, rejections
    )


def make_followups(
    people: People,
    *,
    per_user: int,
    status: str,
    due_at: str,
    deadline_at: str,
    reminder_status: str,
    next_attempt_at: str,
    sent_at: str = "NULL",
    done_at: str = "NULL",
) -> range:
    """`per_user` follow-ups for each person, kinds in turn, each with one reminder.

    The status and time arguments are SQL expressions of `g` (the row number), so a
    caller can spread rows over states and times.
    """
    from followups.models import FollowUp, Reminder

    count = len(people.users) * per_user
    per = people.searches_per_user
    user = f"(g / {per_user})"
    search = f"({user} * {per} + g % {per_user} % {per})"
    kinds = "ARRAY[" + ", ".join(f"'{k}'" for k in KINDS) + "]"
    kind = f"({kinds})[g % {len(KINDS)} + 1]"
    followups = insert_series(
        FollowUp,
        count,
        {
            "owner_id": f"{people.users.start} + {user}",
            "kind": kind,
            "key": "'bench:' || g",
            "company_id": f"{people.companies.start} + {search}",
            "application_id": f"CASE WHEN {kind} = 'recruiter_note' "
            f"THEN {people.reapplications.start} + {search} "
            f"ELSE {people.applications.start} + {search} END",
            "rejection_id": f"CASE WHEN {kind} = 'interview_thanks' THEN NULL "
            f"ELSE {people.rejections.start} + {search} END",
            "interview_id": f"CASE WHEN {kind} = 'interview_thanks' "
            f"THEN {people.interviews.start} + {search} END",
            "contact_id": f"{people.contacts.start} + {search}",
            "anchor_at": "NULL",
            "due_at": due_at,
            "deadline_at": deadline_at,
            "status": status,
            "done_at": done_at,
        },
    )
    insert_series(
        Reminder,
        count,
        {
            "followup_id": f"{followups.start} + g",
            "owner_id": f"{people.users.start} + {user}",
            "status": reminder_status,
            "mode": "'immediate'",
            "send_at": next_attempt_at,
            "next_attempt_at": next_attempt_at,
            "sent_at": sent_at,
            "message_id": f"'<reminder-' || id || '@{DOMAIN}>'",
        },
    )
    return followups
