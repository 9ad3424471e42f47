"""A realistic job search to look around in: `manage.py seed_demo [--user NAME] [--applications N]`.

Idempotent: `make run` calls it on every start, and a user who already has records is left
alone. Rows are written with bulk_create so `--applications 1000` (the benchmark's data)
takes seconds; the follow-up engine is then told about each event, oldest first, so the
dashboard has something to show.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from accounts.services import create_account
from applications.models import (
    Application,
    Company,
    Contact,
    Feedback,
    Interview,
    Rejection,
)
from followups import services as followups_services
from followups.models import FollowUp
from goals import services as goals_service

DEMO_PASSWORD = "open-doors-demo"
DEMO_TIME_ZONE = "Europe/Berlin"

COMPANY_BASES = [
    "Contoso",
    "Fabrikam",
    "Northwind",
    "Tailspin",
    "Litware",
    "Proseware",
    "Woodgrove",
    "Fourth Coffee",
    "Alpine Ski House",
    "Blue Yonder",
    "Coho Winery",
    "Trey Research",
    "Wingtip",
    "Lucerne",
    "Adventure Works",
    "Humongous",
    "Margie's Travel",
    "Relecloud",
    "Wide World",
    "Graphic Design Institute",
]
COMPANY_SUFFIXES = [
    "",
    "Labs",
    "Health",
    "Logistics",
    "Analytics",
    "Cloud",
    "Bank",
    "Media",
    "Energy",
    "Robotics",
    "Foods",
    "Insurance",
    "Games",
    "Mobility",
    "Security",
]
ROLES = [
    "Backend Engineer",
    "Senior Backend Engineer",
    "Platform Engineer",
    "Data Engineer",
    "Site Reliability Engineer",
    "Full-Stack Developer",
    "Python Developer",
    "Engineering Manager",
    "Product Engineer",
    "Software Engineer, Payments",
    "DevOps Engineer",
    "Staff Engineer",
]
FIRST_NAMES = [
    "Dana",
    "Priya",
    "Marcus",
    "Lena",
    "Tomás",
    "Aisha",
    "Jonas",
    "Mei",
    "Oliver",
    "Sofia",
    "Kwame",
    "Hannah",
    "Ravi",
    "Elif",
    "Noah",
    "Ingrid",
]
LAST_NAMES = [
    "Whitfield",
    "Raman",
    "Okafor",
    "Schulz",
    "García",
    "Haddad",
    "Berg",
    "Chen",
    "Novak",
    "Rossi",
    "Mensah",
    "Keller",
    "Iyer",
    "Yilmaz",
    "Dubois",
    "Larsen",
]
INTERVIEW_NOTES = [
    "Walked through the billing platform migration; they liked the rollback plan.",
    "Talked about on-call load and how the team runs incident reviews.",
    "Live coding: a rate limiter. Finished, but slowly at the start.",
    "Met the hiring manager; the team is rebuilding search this year.",
    "System design: a notification service. Good discussion about retries.",
    "Culture chat with two engineers; they care about written RFCs.",
]
# What the person wrote *for* the thank-you, next to each private note (drafts never read notes).
DETAIL_FOR_NOTE = {
    INTERVIEW_NOTES[0]: "your plan for the billing platform migration",
    INTERVIEW_NOTES[1]: "how the team runs its incident reviews",
    INTERVIEW_NOTES[2]: "",
    INTERVIEW_NOTES[3]: "the search rebuild you have planned for this year",
    INTERVIEW_NOTES[4]: "the retry design for your notification service",
    INTERVIEW_NOTES[5]: "the team's habit of writing RFCs",
}
LOOKING_FOR = [
    "Someone who has run Postgres at scale.",
    "Experience with event-driven systems and Kafka.",
    "A person who can mentor two junior engineers.",
    "Strong testing habits, since they ship several times a day.",
    "Someone with a payments or fintech background.",
    "",
]
REASONS = [
    "We went with a candidate whose experience matches the role more closely.",
    "The position was filled internally.",
    "We decided to move forward with other candidates.",
    "The role has been put on hold.",
    "",
]
FEEDBACK = [
    (
        "Strong technically; another candidate had more payments experience.",
        [Feedback.Theme.EXPERIENCE_FIT],
    ),
    (
        "Answers in the system design round were hard to follow.",
        [Feedback.Theme.COMMUNICATION],
    ),
    (
        "You seemed nervous in the live coding and lost time early.",
        [Feedback.Theme.NERVES, Feedback.Theme.TECHNICAL_SKILLS],
    ),
    (
        "We weren't sure why you wanted this role in particular.",
        [Feedback.Theme.ENTHUSIASM],
    ),
]
# The issue asks for rejections of these ages so every follow-up rule has something to do:
# a fresh one (thank-you due), one past 48 h, one waiting for feedback, one near 90 days...
REJECTION_AGES = [1, 3, 10, 40, 95, 200, 21, 60, 130, 7]
# Follow-ups whose deadline passed before this much ago count as handled, so the dashboard
# opens on a live search (a couple of overdue items, well inside their grace) rather than a
# wall of missed messages.
KEPT_UP_UNTIL = dt.timedelta(days=1)
# At most this many overdue follow-ups on the demo's dashboard, whatever the day it is seeded.
DEMO_OVERDUE = 3
MAX_CATCH_UP_ROUNDS = 20


@dataclass
class Plan:
    status: str
    rejection_age: int | None = None
    interviews: int = 0


class Command(BaseCommand):
    help = "Create a demo user with a realistic job search (does nothing if it already has one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", default="demo", help="Username (default: demo).")
        parser.add_argument(
            "--applications", type=int, default=30, help="How many applications (default: 30)."
        )

    def handle(self, *args, **options) -> None:
        username: str = options["user"].strip()
        count: int = options["applications"]
        if not username:
            raise CommandError("--user needs a name.")
        if not 1 <= count <= 100_000:
            raise CommandError("--applications must be between 1 and 100000.")

        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is not None and Company.objects.owned_by(user).exists():
            existing = Application.objects.owned_by(user).count()
            self.stdout.write(f"{username} already has {existing} applications; nothing to do.")
        else:
            started = timezone.now()
            with transaction.atomic():
                if user is None:
                    user = create_account(
                        username=username,
                        email=f"{username}@example.com",
                        password=DEMO_PASSWORD,
                        time_zone=DEMO_TIME_ZONE,
                        full_name="Alex Morgan",
                    )
                made = Seeder(owner=user, count=count, seed=username).run()
            seconds = (timezone.now() - started).total_seconds()
            self.stdout.write(
                f"Seeded {username}: {made['applications']} applications at "
                f"{made['companies']} companies, {made['rejections']} rejections "
                f"in {seconds:.1f} s."
            )
        if user.check_password(DEMO_PASSWORD):
            self.stdout.write(f"Demo login: {username} / {DEMO_PASSWORD}")
        else:
            self.stdout.write(f"Demo login: {username} / (password changed since seeding)")


class Seeder:
    """Builds the rows in memory, writes each table with one bulk_create, then syncs."""

    def __init__(self, *, owner, count: int, seed: str) -> None:
        self.owner = owner
        self.count = count
        self.random = random.Random(f"open-doors-{seed}-{count}")
        self.now = timezone.now()
        self.zone = owner.profile.zone

    def run(self) -> dict[str, int]:
        companies = self.make_companies()
        contacts = self.make_contacts(companies)
        plans = self.plans()
        applications = self.make_applications(companies, plans)
        interviews = self.make_interviews(applications, plans, contacts)
        rejections = self.make_rejections(applications, plans, contacts)
        feedback = self.make_feedback(rejections)
        self.backdate(applications, interviews, rejections, feedback)
        self.tell_the_engine(applications, interviews, rejections, feedback)
        self.keep_up_with_the_past()
        self.make_goals(feedback)
        return {
            "companies": len(companies),
            "applications": len(applications),
            "rejections": len(rejections),
        }

    # 1. Companies: at least 12, about one for every three applications.
    def make_companies(self) -> list[Company]:
        wanted = max(12, min(self.count // 3, len(COMPANY_BASES) * len(COMPANY_SUFFIXES)))
        names = [
            f"{base} {suffix}".strip() for suffix in COMPANY_SUFFIXES for base in COMPANY_BASES
        ]
        rows = []
        for name in names[:wanted]:
            slug = "".join(ch for ch in name.lower() if ch.isalnum())
            rows.append(
                Company(
                    owner=self.owner,
                    name=name,
                    website=f"https://{slug}.example",
                    notes=self.random.choice(["", "", "Remote-friendly.", "Office in Berlin."]),
                )
            )
        return Company.objects.bulk_create(rows)

    # 2. A recruiter at every company, a hiring manager at some.
    def make_contacts(self, companies: list[Company]) -> dict[int, list[Contact]]:
        rows = []
        for company in companies:
            slug = company.website.removeprefix("https://")
            roles = [Contact.Role.RECRUITER]
            if self.random.random() < 0.6:
                roles.append(Contact.Role.HIRING_MANAGER)
            for n, role in enumerate(roles):
                first, last = self.random.choice(FIRST_NAMES), self.random.choice(LAST_NAMES)
                handle = "".join(ch for ch in f"{first}.{last}".lower() if ch.isascii())
                # Two people of one name at a company get distinct addresses (a constraint).
                handle = f"{handle}{n}" if n else handle
                rows.append(
                    Contact(
                        owner=self.owner,
                        company=company,
                        name=f"{first} {last}",
                        role=role,
                        email=f"{handle}@{slug}",
                        linkedin_url=(
                            f"https://www.linkedin.com/in/{handle.replace('.', '-')}"
                            if self.random.random() < 0.7
                            else ""
                        ),
                    )
                )
        by_company: dict[int, list[Contact]] = {}
        for contact in Contact.objects.bulk_create(rows):
            by_company.setdefault(contact.company_id, []).append(contact)
        return by_company

    # 3. What happens to each application: a fixed mix, scaled to the count.
    def plans(self) -> list[Plan]:
        plans = []
        rejected = min(self.count, max(len(REJECTION_AGES), self.count * 3 // 10))
        for index in range(rejected):
            if index < len(REJECTION_AGES):
                age = REJECTION_AGES[index]
            else:
                age = self.random.randint(1, 300)
            plans.append(Plan(Application.Status.REJECTED, age, self.random.choice([0, 1, 2, 3])))
        others = [
            (Application.Status.INTERVIEWING, 2),
            (Application.Status.OFFER, 3),
            (Application.Status.NO_RESPONSE, 0),
            (Application.Status.WITHDRAWN, 1),
        ]
        for index in range(self.count - rejected):
            if index < 8:
                status, interviews = others[index % len(others)]
                if status is Application.Status.OFFER and index >= len(others):
                    status, interviews = Application.Status.INTERVIEWING, 1
            else:
                status, interviews = Application.Status.APPLIED, 0
            plans.append(Plan(status, None, interviews))
        self.random.shuffle(plans)
        return plans

    def make_applications(self, companies: list[Company], plans: list[Plan]) -> list[Application]:
        rows = []
        for plan in plans:
            if plan.rejection_age is not None:
                applied_days_ago = plan.rejection_age + self.random.randint(7, 35)
            elif plan.status == Application.Status.NO_RESPONSE:
                applied_days_ago = self.random.randint(45, 120)
            else:
                applied_days_ago = self.random.randint(1, 40)
            rows.append(
                Application(
                    owner=self.owner,
                    company=self.random.choice(companies),
                    role_title=self.random.choice(ROLES),
                    source=self.random.choice(Application.Source.values),
                    applied_on=self.today - dt.timedelta(days=applied_days_ago),
                    status=plan.status,
                    job_url="",
                )
            )
        return Application.objects.bulk_create(rows)

    def make_interviews(self, applications, plans, contacts) -> list[Interview]:
        rows, people = [], []
        for application, plan in zip(applications, plans, strict=True):
            if not plan.interviews:
                continue
            if plan.rejection_age is not None:
                last = self.now - dt.timedelta(days=plan.rejection_age + 2)
            elif plan.status == Application.Status.INTERVIEWING and self.random.random() < 0.4:
                last = self.now + dt.timedelta(days=self.random.randint(1, 6))  # coming up
            else:
                last = self.now - dt.timedelta(days=self.random.randint(0, 4), hours=3)
            first = timezone.localtime(self.applied_at(application), self.zone)
            for number in range(plan.interviews):
                when = last - dt.timedelta(days=5 * (plan.interviews - 1 - number))
                when = max(when, first + dt.timedelta(days=2))
                when = when.astimezone(self.zone).replace(
                    hour=self.random.choice([9, 10, 11, 14, 15, 16]),
                    minute=0,
                    second=0,
                    microsecond=0,
                )
                rows.append(
                    Interview(
                        owner=self.owner,
                        application=application,
                        when=when,
                        kind=[Interview.Kind.PHONE, Interview.Kind.VIDEO, Interview.Kind.ONSITE][
                            min(number, 2)
                        ],
                        notes=(note := self.random.choice(INTERVIEW_NOTES)),
                        detail_to_mention=DETAIL_FOR_NOTE[note],
                        looking_for=self.random.choice(LOOKING_FOR),
                    )
                )
                people.append(contacts.get(application.company_id, []))
        interviews = Interview.objects.bulk_create(rows)
        Through = Interview.interviewers.through
        Through.objects.bulk_create(
            Through(interview_id=interview.pk, contact_id=contact.pk)
            for interview, company_contacts in zip(interviews, people, strict=True)
            for contact in company_contacts[-1:]
        )
        return interviews

    def make_rejections(self, applications, plans, contacts) -> list[Rejection]:
        rows = []
        for application, plan in zip(applications, plans, strict=True):
            if plan.rejection_age is None:
                continue
            received = (self.now - dt.timedelta(days=plan.rejection_age)).astimezone(self.zone)
            received = received.replace(hour=self.random.choice([9, 11, 13, 16, 17]), minute=12)
            if received > self.now:
                received -= dt.timedelta(days=1)
            stage = (
                self.random.choice([Rejection.Stage.INTERVIEW, Rejection.Stage.FINAL])
                if plan.interviews
                else self.random.choice([Rejection.Stage.APPLICATION, Rejection.Stage.SCREENING])
            )
            rows.append(
                Rejection(
                    owner=self.owner,
                    application=application,
                    received_at=received,
                    channel=self.random.choice(
                        [Rejection.Channel.EMAIL] * 4 + [Rejection.Channel.PHONE]
                    ),
                    stage_reached=stage,
                    reason_given=self.random.choice(REASONS),
                    contact=(contacts.get(application.company_id) or [None])[0],
                )
            )
        return Rejection.objects.bulk_create(rows)

    # Goals from the three oldest pieces of feedback: one done, one under way, one just set,
    # so the goals card has something to show and the recruiter notes can name what was done.
    def make_goals(self, feedback: list[Feedback]) -> None:
        oldest = sorted(feedback, key=lambda item: item.received_on)[:3]
        for done_share, item in zip((100, 40, 0), oldest, strict=False):
            goals = goals_service.create_goals_from_feedback(
                feedback=item, themes=item.themes, today=item.received_on
            )
            for goal in goals:
                goals_service.update_goal_progress(
                    goal=goal, progress=done_share, today=self.now.date()
                )

    # 4. Feedback for about half of the rejections that came after interviews.
    def make_feedback(self, rejections: list[Rejection]) -> list[Feedback]:
        rows = []
        for index, rejection in enumerate(rejections):
            if rejection.stage_reached not in (Rejection.Stage.INTERVIEW, Rejection.Stage.FINAL):
                continue
            if index % 2:
                continue
            received = timezone.localtime(rejection.received_at, self.zone).date()
            said, themes = self.random.choice(FEEDBACK)
            rows.append(
                Feedback(
                    owner=self.owner,
                    rejection=rejection,
                    received_on=min(received + dt.timedelta(days=5), self.today),
                    what_they_said=said,
                    themes=[str(theme) for theme in themes],
                )
            )
        return Feedback.objects.bulk_create(rows)

    # 5. Rows were "entered" when they happened, not all today: the engine anchors some
    #    follow-ups on when a record was made (the recruiter note on reapplying).
    def backdate(self, applications, interviews, rejections, feedback) -> None:
        for application in applications:
            application.created_at = self.applied_at(application)
        for interview in interviews:
            interview.created_at = min(interview.when, self.now) - dt.timedelta(days=2)
        for rejection in rejections:
            rejection.created_at = rejection.received_at
        for item in feedback:
            item.created_at = dt.datetime.combine(item.received_on, dt.time(18), tzinfo=self.zone)
        for model, rows in (
            (Application, applications),
            (Interview, interviews),
            (Rejection, rejections),
            (Feedback, feedback),
        ):
            model.objects.bulk_update(rows, ["created_at"], batch_size=500)

    # 6. The engine hears about every event, oldest first, as if they had been entered live.
    def tell_the_engine(self, applications, interviews, rejections, feedback) -> None:
        events = [(self.applied_at(a), 0, "application", a) for a in applications]
        events += [(i.when, 1, "interview", i) for i in interviews]
        events += [(r.received_at, 2, "rejection", r) for r in rejections]
        events += [
            (dt.datetime.combine(f.received_on, dt.time(18), tzinfo=self.zone), 3, "feedback", f)
            for f in feedback
        ]
        events.sort(key=lambda event: (event[0], event[1]))
        for _, _, kind, obj in events:
            if kind == "application":
                followups_services.sync_application(application=obj)
            elif kind == "interview":
                followups_services.sync_interview(interview=obj)
            elif kind == "rejection":
                followups_services.sync_rejection(rejection=obj)
            else:
                followups_services.feedback_logged(feedback=obj)

    # 7. The demo person kept up: whatever was due before the last day was sent on time.
    #    Marking it done starts the engine's next steps (a feedback nudge, a LinkedIn note,
    #    the next check-in), which may themselves lie in the past: repeat until none do.
    def keep_up_with_the_past(self) -> None:
        horizon = self.now - KEPT_UP_UNTIL
        for _ in range(MAX_CATCH_UP_ROUNDS):
            # The engine heard of these events only now, too late for their follow-ups (it
            # files them as missed); the demo person heard of them on the day.
            FollowUp.objects.filter(owner=self.owner, status=FollowUp.Status.MISSED).update(
                status=FollowUp.Status.PENDING, ended_note=""
            )
            overdue = FollowUp.objects.filter(
                owner=self.owner, status=FollowUp.Status.PENDING, deadline_at__lt=self.now
            ).order_by("-deadline_at", "-pk")
            # Whatever is older than a day, and all but the latest few of the rest.
            stale = [
                followup
                for n, followup in enumerate(overdue)
                if followup.deadline_at < horizon or n >= DEMO_OVERDUE
            ]
            if not stale:
                return
            for followup in sorted(stale, key=lambda f: (f.due_at, f.pk)):
                followups_services.mark_done(
                    followup=followup,
                    done_at=min(followup.due_at + dt.timedelta(hours=2), followup.deadline_at),
                    asked_for_feedback=True,
                )

    @property
    def today(self) -> dt.date:
        return timezone.localtime(self.now, self.zone).date()

    def applied_at(self, application: Application) -> dt.datetime:
        return dt.datetime.combine(application.applied_on, dt.time(9), tzinfo=self.zone)
