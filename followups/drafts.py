"""Drafted messages for every follow-up, in the shape the advice gives, from what was recorded.

Each kind of message has a builder that takes plain keyword arguments (names, the role, the
interview's detail to mention...) and returns a `Draft`; `draft_for(followup)` gathers those
arguments from a FollowUp and its related rows. Drafts are plain text: nothing here is ever
marked safe or rendered as HTML. Every draft reads naturally when something is missing (no
contact name: "Hello,"; no detail to mention: no detail sentence) and passes the tone check.

Notes are private: nothing here reads them. A draft uses only what the person wrote *for* a
message (an interview's "a detail to mention" and "what they are looking for", an
application's "why this role") and facts from the record (names, role, company, dates).

The structure comes from shared/advice: a thank-you with a greeting by name, the thanks, one
positive detail from the interview and the door left open (001, 003); a short feedback request
(002, 003); one polite feedback follow-up (003); continued interest (001, 003); a LinkedIn note
of at most 300 characters (003); "has anything opened up?" after 90 days (002); a check-in
every few months (003); and on reapplying, a note to the old recruiter: how you know each
other, what you did since, why this role, how you acted on their feedback (004).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from django.db.models import F, QuerySet

from applications.models import Contact, Feedback, Interview, Rejection
from followups.models import FollowUp
from followups.reused import ReusedQuery
from followups.rules import RULES, Situation
from followups.tone import LINKEDIN_CHAR_LIMIT, ToneReport, check_tone
from goals.models import ImprovementGoal

__all__ = [
    "Draft",
    "attach_draft_related",
    "check_in",
    "close_the_loop",
    "completed_goals_by_owner",
    "draft_for",
    "feedback_nudge",
    "interview_thanks",
    "keep_in_touch",
    "linkedin_note",
    "load_completed_goals",
    "positive_detail",
    "reads_goals",
    "recruiter_note",
    "rejection_thanks",
    "restated_fit",
    "text_to_send",
    "with_draft_data",
]


@dataclass(frozen=True)
class Draft:
    kind: str
    subject: str
    body: str
    to: str = ""  # the contact's email address, when one was recorded
    linkedin_url: str = ""

    @property
    def is_linkedin(self) -> bool:
        rule = RULES.get(self.kind)
        return rule is not None and rule.linkedin

    @property
    def char_limit(self) -> int | None:
        return LINKEDIN_CHAR_LIMIT if self.is_linkedin else None

    @property
    def mailto(self) -> str:
        """A mailto: link with subject and body (RFC 6068); empty for a LinkedIn note."""
        if self.is_linkedin:
            return ""
        return _mailto(self.to, self.subject, self.body)

    def tone(self) -> ToneReport:
        return check_tone(self.body, kind=self.kind)


@functools.lru_cache(maxsize=512)
def _mailto(to: str, subject: str, body: str) -> str:
    """Quoted once per text: the dashboard shows the same drafts on every visit, and quoting
    goes character by character."""
    # RFC 6068: spaces as %20 (not "+"), line breaks as %0D%0A, the address's "@" kept.
    query = "&".join(
        f"{name}={_quoted(_crlf(value))}" for name, value in (("subject", subject), ("body", body))
    )
    return f"mailto:{quote(to, safe='@')}?{query}"


# `quote(text, safe="")`, by a table: each UTF-8 byte as itself (if unreserved) or %XX.
# urllib quotes a byte at a time in Python; a draft's body is a few thousand of them.
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
_PERCENT = [chr(byte) if byte in _UNRESERVED else f"%{byte:02X}" for byte in range(256)]


def _quoted(text: str) -> str:
    return text.encode("utf-8").decode("latin-1").translate(_PERCENT)


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


# --- small pieces of wording ----------------------------------------------------------------

_TITLES = {"dr", "prof", "professor", "mr", "mrs", "ms", "mx", "miss", "sir", "dame"}


def greeting_name(name: str) -> str:
    """How to address someone: "Dana" for "Dana Whitfield", "Dr. Okafor" for "Dr. Ada Okafor"."""
    parts = (name or "").split()
    if not parts:
        return ""
    if parts[0].rstrip(".").lower() in _TITLES and len(parts) > 1:
        return f"{parts[0]} {parts[-1]}"
    return parts[0]


def _greeting(name: str, *, hello: str = "Dear") -> str:
    who = greeting_name(name)
    return f"{hello} {who}," if who else "Hello,"


def _role(role_title: str, company: str = "") -> str:
    """ "the Backend Engineer role at Acme", "the role at Acme", or "the role"."""
    title = (role_title or "").strip()
    if title and not re.search(r"\b(?:role|position|job)$", title, re.IGNORECASE):
        title = f"the {title} role"
    elif title:
        title = f"the {title}"
    else:
        title = "the role"
    return f"{title} at {company}" if company else title


def _sign_off(sender_name: str, signature: str, *, closing: str = "Best regards,") -> str:
    """ "Best regards," with the name and signature; nothing at all without either (a closing
    with no name after it reads unfinished; the person's mail program adds its own)."""
    name = (sender_name or "").strip()
    signature = (signature or "").strip()
    if not name and not signature:
        return ""
    lines = [closing]
    first_line = signature.splitlines()[0].strip() if signature else ""
    # Many signatures start with the name already; don't sign twice.
    if name and first_line.casefold() != name.casefold():
        lines.append(name)
    if signature:
        lines.append(signature)
    return "\n".join(lines)


def _message(*parts: str) -> str:
    return "\n\n".join(p.strip() for p in parts if p and p.strip()) + "\n"


def _clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary with "…" when it has to be cut."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-–—") + "…"


def _clip_words(text: str, words: int) -> str:
    parts = text.split()
    if len(parts) <= words:
        return " ".join(parts)
    return " ".join(parts[:words]).rstrip(" ,;:-–—") + "…"


# Words that start a "what they are looking for" note and read lower-case after a colon;
# anything else (a name, "Postgres", "SQL") stays as written.
_PLAIN_STARTS = frozenset(
    [
        "a",
        "an",
        "the",
        "someone",
        "somebody",
        "people",
        "strong",
        "deep",
        "solid",
        "good",
        "great",
        "proven",
        "real",
        "experience",
        "hands-on",
        "more",
    ]
)


def _lower_first(text: str) -> str:
    first = text.split()[0] if text.split() else ""
    if first[:1].isupper() and first.lower() in _PLAIN_STARTS:
        return text[0].lower() + text[1:]
    return text


def _end(sentence: str) -> str:
    """Close a sentence with a full stop, unless it was clipped ("…") or already ends."""
    return sentence if sentence.endswith(("…", ".", "?", "!")) else sentence + "."


def _join(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# --- the detail and the fit ----------------------------------------------------------------

# Notes are private: a draft never reads them. It quotes only what the person wrote *for* a
# message: the interview's "a detail to mention" (to them: "your plan to move the pipeline
# to Dagster") and "what they are looking for" (the fit the advice says to restate).
_DETAIL_WORDS = 25


def _phrase(text: str) -> str:
    """One line of what the person wrote for a message, as a phrase that continues a sentence."""
    text = " ".join((text or "").split())
    text = text.strip().rstrip(".!;:, ").strip()
    return _lower_first(_clip_words(text, _DETAIL_WORDS)) if text else ""


def positive_detail(*, detail: str = "") -> str:
    """ "I especially enjoyed our conversation about your plan to …", or "" with no detail."""
    phrase = _phrase(detail)
    return _end(f"I especially enjoyed our conversation about {phrase}") if phrase else ""


def restated_fit(*, looking_for: str = "") -> str:
    """The fit, in their words: "It was helpful to hear that the team is looking for …"."""
    phrase = _phrase(looking_for)
    return _end(f"It was helpful to hear that the team is looking for {phrase}") if phrase else ""


# --- the builders: one per kind of message --------------------------------------------------


def rejection_thanks(
    *,
    contact_name: str = "",
    company: str,
    role_title: str = "",
    interviewed: bool = True,
    detail: str = "",
    ask_feedback: bool = True,
    early: bool = False,
    final_round: bool = False,
    by_phone: bool = False,
    sender_name: str = "",
    signature: str = "",
    to: str = "",
) -> Draft:
    """The thank-you after a rejection: thanks, one detail, a feedback request, the door open.

    `early` (turned down at the CV screen): two short lines, no request unless `ask_feedback`
    is passed by the person (the advice: answer every rejection, however brief). `final_round`
    and `by_phone` change the thanks to fit what happened.
    """
    told = "calling to let me know" if by_phone else "letting me know"
    if early:
        thanks = (
            f"Thank you for {told} about {_role(role_title, company)}, and for considering my "
            "application."
        )
        door = f"I would be glad to be considered for future openings at {company}."
        feedback = (
            "If you have a moment, any feedback on my application would help me improve."
            if ask_feedback
            else ""
        )
        detail_sentence = ""
    else:
        if final_round and interviewed:
            met = "getting to know me over the interview rounds"
        else:
            met = "speaking with me" if interviewed else "considering my application"
        thanks = (
            f"Thank you for {told} your decision about {_role(role_title, company)}, and for "
            f"the time you and the team spent {met}. While I'm disappointed, I'm glad I had "
            f"the chance to learn more about {company}."
        )
        detail_sentence = positive_detail(detail=detail) if interviewed else ""
        what = "my interviews" if interviewed else "my application"
        feedback = (
            f"If you have a moment, I would be grateful for any feedback on {what}, as I am "
            "always looking to improve."
            if ask_feedback
            else ""
        )
        door = (
            f"I remain very interested in {company} and would love to be considered for future "
            "openings that fit my experience. I hope we can stay in touch."
        )
    return Draft(
        kind=FollowUp.Kind.REJECTION_THANKS,
        subject=f"Thank you for the update on {_role(role_title)}"
        if role_title
        else "Thank you for letting me know",
        body=_message(
            _greeting(contact_name),
            thanks,
            detail_sentence,
            feedback,
            door,
            _sign_off(sender_name, signature),
        ),
        to=to,
    )


def close_the_loop(
    *,
    contact_name: str = "",
    company: str,
    role_title: str = "",
    applied_on: dt.date | None = None,
    sender_name: str = "",
    signature: str = "",
    to: str = "",
) -> Draft:
    """After silence: no thanks "for letting me know" (nobody did), a short, friendly note
    that closes the loop and leaves the door open (002, 003: stay connected)."""
    when = f" in {applied_on:%B %Y}" if applied_on else ""
    return Draft(
        kind=FollowUp.Kind.CLOSE_THE_LOOP,
        subject=f"My application for {_role(role_title)}"
        if role_title
        else f"My application to {company}",
        body=_message(
            _greeting(contact_name, hello="Hello"),
            f"I applied for {_role(role_title, company)}{when} and haven't heard back, so I "
            "assume the team has moved forward with other candidates. No reply is needed.",
            f"Thank you for considering me. I would be glad to be considered for future "
            f"openings at {company}, and I hope we can stay in touch.",
            _sign_off(sender_name, signature),
        ),
        to=to,
    )


def interview_thanks(
    *,
    contact_name: str = "",
    company: str,
    role_title: str = "",
    detail: str = "",
    looking_for: str = "",
    sender_name: str = "",
    signature: str = "",
    to: str = "",
) -> Draft:
    """The thank-you a few hours after an interview: the detail they will remember, and the
    fit restated in their words (001, 003)."""
    thanks = f"Thank you for taking the time to speak with me about {_role(role_title, company)}."
    detail = " ".join(
        filter(None, [positive_detail(detail=detail), restated_fit(looking_for=looking_for)])
    )
    interest = (
        f"I came away even more enthusiastic about joining {company}. If there is "
        "anything else I can share to help with your decision, I would be glad to."
    )
    return Draft(
        kind=FollowUp.Kind.INTERVIEW_THANKS,
        subject=f"Thank you for your time: {role_title} interview"
        if role_title
        else "Thank you for your time",
        body=_message(
            _greeting(contact_name),
            thanks,
            detail,
            interest,
            "I look forward to hearing from you.",
            _sign_off(sender_name, signature),
        ),
        to=to,
    )


def feedback_nudge(
    *,
    contact_name: str = "",
    company: str,
    role_title: str = "",
    sender_name: str = "",
    signature: str = "",
    to: str = "",
) -> Draft:
    """The one polite follow-up when a feedback request went unanswered (003: only one)."""
    return Draft(
        kind=FollowUp.Kind.FEEDBACK_NUDGE,
        subject="Following up on my feedback request",
        body=_message(
            _greeting(contact_name),
            "I hope you are well. I wanted to follow up on my earlier note asking for "
            f"feedback on my application for {_role(role_title, company)}.",
            "I understand how busy things get, so please don't worry if it isn't possible. "
            "If you do have a moment, any insight would be much appreciated as I keep "
            "improving.",
            "Thank you for your time.",
            _sign_off(sender_name, signature),
        ),
        to=to,
    )


def linkedin_note(
    *,
    contact_name: str = "",
    company: str,
    role_title: str = "",
    interviewed: bool = True,
    detail: str = "",
    sender_name: str = "",
    linkedin_url: str = "",
) -> Draft:
    """A connection note of at most 300 characters, whatever the names' lengths.

    Optional parts are dropped one by one (the detail, the role, the full name) until the note
    fits; only then are long names clipped, and a last cut at a word boundary guarantees it.
    """
    who = greeting_name(contact_name)
    topic = _phrase(detail) if interviewed else ""
    sender = (sender_name or "").strip()

    def compose(*, name: str, role: str, topic: str, sender: str) -> str:
        hello = f"Hi {name}," if name else "Hello,"
        what = _end(
            f"thank you again for your time during my interviews for {role}"
            if interviewed
            else f"thank you again for considering me for {role}"
        )
        detail = f" {_end(f'I enjoyed our conversation about {topic}')}" if topic else ""
        sign = f" Best, {sender}" if sender else ""
        return f"{hello} {what}{detail} I'd be glad to stay in touch.{sign}"

    first_sender = sender.split()[0] if sender else ""
    attempts = [
        {"name": who, "role": _role(role_title, company), "topic": topic, "sender": sender},
        {"name": who, "role": _role(role_title, company), "topic": "", "sender": sender},
        {"name": who, "role": _role("", company), "topic": "", "sender": sender},
        {"name": who, "role": _role("", company), "topic": "", "sender": first_sender},
        {
            "name": _clip(who, 40),
            "role": _role("", _clip(company, 60)),
            "topic": "",
            "sender": _clip(first_sender, 40),
        },
    ]
    for parts in attempts:
        body = compose(**parts)
        if len(body) <= LINKEDIN_CHAR_LIMIT:
            break
    body = _clip(body, LINKEDIN_CHAR_LIMIT)
    return Draft(kind=FollowUp.Kind.LINKEDIN, subject="", body=body, linkedin_url=linkedin_url)


def check_in(
    *,
    contact_name: str = "",
    company: str,
    role_title: str = "",
    sender_name: str = "",
    signature: str = "",
    to: str = "",
) -> Draft:
    """Ninety days on, a typical probation period: has anything opened up? (002)"""
    return Draft(
        kind=FollowUp.Kind.CHECK_IN,
        subject=f"Checking in: any openings at {company}?",
        body=_message(
            _greeting(contact_name),
            f"I hope all is well at {company}. It has been about three months since we were "
            f"in touch about {_role(role_title)}, and I wanted to check in: has anything "
            "opened up that might suit my background?",
            f"I remain very interested in {company}, including the role I applied for, and "
            "would be glad to hear about any opening.",
            "Thank you again for your time, and I hope to hear from you.",
            _sign_off(sender_name, signature),
        ),
        to=to,
    )


def keep_in_touch(
    *,
    contact_name: str = "",
    company: str,
    completed_goals: Sequence[str] = (),
    sender_name: str = "",
    signature: str = "",
    to: str = "",
) -> Draft:
    """Every few months: a short hello that keeps the person on their radar (003)."""
    since = ""
    if completed_goals:
        since = f"Since we last spoke, I have completed a goal I set myself: {completed_goals[0]}."
    return Draft(
        kind=FollowUp.Kind.KEEP_IN_TOUCH,
        subject=f"Keeping in touch: {company}",
        body=_message(
            _greeting(contact_name),
            "I hope you are doing well. It has been a few months since we were last in "
            "touch, and I wanted to say hello.",
            since,
            f"I am still very interested in {company}, so if a role opens up that fits my "
            "background, I would love to hear about it.",
            "Thank you, and all the best to you and the team.",
            _sign_off(sender_name, signature),
        ),
        to=to,
    )


# What the person did about each kind of feedback, said as something done (never the
# diagnosis: a hiring manager does not want to read back "nerves"). 003's feedback themes.
THEME_ACTIONS: dict[str, str] = {
    Feedback.Theme.EXPERIENCE_FIT: "shaped how I present my experience around each role",
    Feedback.Theme.COMMUNICATION: "practised explaining my work clearly and concisely",
    Feedback.Theme.NERVES: "practised presenting my work",
    Feedback.Theme.ENTHUSIASM: "made a point of saying what draws me to a team and its work",
    Feedback.Theme.TECHNICAL_SKILLS: "deepened my technical skills",
    Feedback.Theme.CULTURE_FIT: "thought hard about the teams where I do my best work",
}


def recruiter_note(
    *,
    contact_name: str = "",
    company: str,
    role_title: str = "",
    previous_role_title: str = "",
    last_spoke: dt.date | None = None,
    interviewed: bool = True,
    why_this_role: str = "",
    feedback_themes: Sequence[str] = (),
    had_feedback: bool = False,
    completed_goals: Sequence[str] = (),
    sender_name: str = "",
    signature: str = "",
    to: str = "",
    opening_title: str = "",
    opening_url: str = "",
) -> Draft:
    """On applying again: how you know each other, what you did since, why this role, and how
    you acted on their feedback, naming the goals you completed (004).

    `last_spoke`: the day of the last interview (or of the rejection), in the person's zone;
    `feedback_themes`: Feedback.Theme values; `why_this_role`: the person's own sentence.
    """
    when = f" in {last_spoke:%B %Y}" if last_spoke else ""
    previous = _role(previous_role_title, company)
    if interviewed:
        how_we_know = f"We spoke{when} when I interviewed for {previous}."
    else:
        how_we_know = f"We were in touch{when} about my application for {previous}."
    how_we_know += (
        " It wasn't the right fit at the time, and I was grateful for your time and openness."
    )

    new_role = _role(role_title) if role_title else f"a new role at {company}"
    applied = f"I have just applied for {new_role} and wanted you to hear it from me directly."
    if opening_title and not role_title:
        # An opening found on the company's board (the watch): the person has not applied yet.
        role_title = opening_title
        where = f" ({opening_url})" if opening_url else ""
        applied = (
            f"I saw that you are hiring for {_role(opening_title)}{where}, and I am applying: "
            "I wanted you to hear it from me directly."
        )
    why = _end(" ".join(why_this_role.split())) if why_this_role.strip() else ""

    actions = [THEME_ACTIONS[t] for t in dict.fromkeys(feedback_themes) if t in THEME_ACTIONS]
    parts = []
    if had_feedback:
        parts.append("Your feedback last time was really helpful.")
        if actions:
            parts.append(f"Since then I have {_join(actions)}.")
    elif actions:
        parts.append(f"Since we spoke, I have {_join(actions)}.")
    if completed_goals:
        one = len(completed_goals) == 1
        goal_words = "a concrete goal" if one else "concrete goals"
        lead = (
            "I also set myself"
            if actions
            else ("I set myself" if had_feedback else "Since we spoke, I set myself")
        )
        parts.append(f"{lead} {goal_words} and have completed {'it' if one else 'them'}:")
    elif had_feedback and not actions:
        parts.append("I have been working on it since.")
    elif not parts:
        parts.append("Since we spoke, I have kept developing my skills.")
    since = " ".join(parts)
    if completed_goals:
        since += "\n" + "\n".join(f"- {g}" for g in completed_goals)

    return Draft(
        kind=FollowUp.Kind.RECRUITER_NOTE,
        subject=f"Applying again: {role_title} at {company}"
        if role_title
        else f"Applying again at {company}",
        body=_message(
            _greeting(contact_name),
            how_we_know,
            f"{applied} {why}".strip(),
            since,
            "I would be glad to talk whenever suits you. Thank you for reading, and I hope "
            "we speak again soon.",
            _sign_off(sender_name, signature),
        ),
        to=to,
    )


# --- from a FollowUp ------------------------------------------------------------------------

# Enough for draft_for to issue no query of its own (except the recruiter note's goals, unless
# the caller passes `completed_goals`). The dashboard and the email engine use this.
DRAFT_SELECT_RELATED = (
    "owner__profile",
    "company",
    "contact",
    "application",
    "interview",
    "rejection__application",
    "rejection__contact",
)
# Columns of those rows that no draft reads (nor a reminder email, nor a dashboard row):
# bookkeeping timestamps, notes (never in a message anyway), what only other pages show. A
# load for drafts leaves them out, so they are not turned into Python values; reading one
# would cost a query per row, never a wrong draft (the dashboard's query-count test and the
# email engine's no-further-query test would catch it). The owner's own columns are the
# caller's: the dashboard has the person already.
_BOOKKEEPING = ("created_at", "updated_at")
DRAFT_UNREAD = (
    *_BOOKKEEPING,
    "anchor_at",
    "done_at",
    "sent_text",
    "ended_note",
    *(f"company__{name}" for name in (*_BOOKKEEPING, "notes", "website", "door_closed_at")),
    *(
        f"{contact}__{name}"
        for contact in ("contact", "rejection__contact")
        for name in (*_BOOKKEEPING, "notes", "phone", "last_touch_at")
    ),
    *(
        f"{application}__{name}"
        for application in ("application", "rejection__application")
        for name in (*_BOOKKEEPING, "notes")
    ),
    *(f"interview__{name}" for name in (*_BOOKKEEPING, "notes")),
    *(f"rejection__{name}" for name in (*_BOOKKEEPING, "reason_given", "open_door_signals")),
)
DRAFT_PREFETCH_RELATED = (
    "application__interviews",
    "rejection__application__interviews",
    "rejection__feedback",
    "interview__interviewers",
)

_INTERVIEW_STAGES = {Rejection.Stage.INTERVIEW, Rejection.Stage.FINAL, Rejection.Stage.OFFER}
_MAX_GOALS = 3


def with_draft_data(queryset: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    """The follow-ups with everything their drafts read, in a constant number of queries."""
    return queryset.select_related(*DRAFT_SELECT_RELATED).prefetch_related(*DRAFT_PREFETCH_RELATED)


# DRAFT_PREFETCH_RELATED, loaded by queries written once (followups.reused): on every
# dashboard visit and every batch of reminder emails the ORM's prefetch machinery wrote and
# compiled the same three queries again, and built a queryset per row, which together took
# longer than running them.
_INTERVIEWS_OF = ReusedQuery(
    lambda ids: Interview.objects.filter(application_id__in=ids), instances=True, ids=list
)
_FEEDBACK_OF = ReusedQuery(
    lambda ids: Feedback.objects.filter(rejection_id__in=ids), instances=True, ids=list
)
# The interviewers of every interview of the applications the rows reach (the rows'
# interviews are among them), not only of the rows' own interviews: asked whenever the
# interviews are, so a page or a batch makes the same queries whether or not one of its
# follow-ups comes from an interview.
_INTERVIEWERS_OF = ReusedQuery(
    lambda ids: Contact.objects.filter(interviews__application_id__in=ids).annotate(
        interview_pk=F("interviews__pk")
    ),
    instances=True,
    ids=list,
)


# What each related manager reads: its rows' query, the owner a row belongs to, and the rows'
# foreign key back to that owner (filled too), if they have one.
_DRAFT_RELATED = (
    ("interviews", Interview, _INTERVIEWS_OF, lambda row: row.application_id, "application"),
    ("feedback", Feedback, _FEEDBACK_OF, lambda row: row.rejection_id, "rejection"),
    ("interviewers", Contact, _INTERVIEWERS_OF, lambda row: row.interview_pk, None),
)


def attach_draft_related(followups: Sequence[FollowUp]) -> None:
    """What `prefetch_related(*DRAFT_PREFETCH_RELATED)` loads, for follow-ups that came with
    DRAFT_SELECT_RELATED: one query per related model (the interviews of every application
    the rows reach, by either path; the rejections' feedback; the interviews' interviewers),
    each row put where the ORM's prefetch puts it (the interviewers are asked by application:
    see _INTERVIEWERS_OF)."""
    owners = {
        "interviews": [f.application for f in followups if f.application_id]
        + [f.rejection.application for f in followups if f.rejection_id],
        "feedback": [f.rejection for f in followups if f.rejection_id],
        "interviewers": [f.interview for f in followups if f.interview_id],
    }
    applications = {owner.pk for owner in owners["interviews"]}
    asked = {
        "interviews": applications,
        "feedback": {owner.pk for owner in owners["feedback"]},
        "interviewers": applications | {i.application_id for i in owners["interviewers"]},
    }
    for name, model, query, owner_pk, back in _DRAFT_RELATED:
        rows = query(ids=sorted(asked[name]))
        back_field = model._meta.get_field(back) if back else None
        _put_related(owners[name], name, model, rows, owner_pk, back=back_field)


def _put_related(owners: list, name: str, model: type, rows: list, owner_pk, back=None) -> None:
    """Give each owner its rows where the ORM's prefetch puts them (`owner.<name>.all()`
    reads them without a query); `back`: the rows' foreign key to the owner, filled too."""
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(owner_pk(row), []).append(row)
    # One queryset is built; each owner's is a copy of its attributes with its own rows and
    # dicts (a QuerySet and its Query cost tens of microseconds to build, for every owner of
    # every email). They share the Query, which a loaded queryset never changes: filtering
    # or chaining one clones it first.
    template = QuerySet(model)
    template._prefetch_done = True
    for owner in owners:
        loaded = QuerySet.__new__(QuerySet)
        loaded.__dict__.update(template.__dict__, _hints={}, _known_related_objects={})
        loaded._result_cache = grouped.get(owner.pk, [])
        if back is not None:
            for row in loaded._result_cache:
                back.set_cached_value(row, owner)
        owner.__dict__.setdefault("_prefetched_objects_cache", {})[name] = loaded


def load_completed_goals(owner) -> list[ImprovementGoal]:
    """The person's (a user or their id) completed improvement goals, newest first."""
    owner_id = getattr(owner, "pk", owner)
    return completed_goals_by_owner([owner_id]).get(owner_id, [])


def completed_goals_by_owner(owner_ids: Iterable[int]) -> dict[int, list[ImprovementGoal]]:
    """Several people's completed goals, newest first, in one query (the email engine loads
    them once per batch of reminders)."""
    goals: dict[int, list[ImprovementGoal]] = {}
    owner_ids = list(owner_ids)
    if not owner_ids:
        return goals
    for goal in (
        ImprovementGoal.objects.filter(owner_id__in=owner_ids, completed_on__isnull=False)
        .select_related("feedback__rejection__application")
        .order_by("-completed_on", "-pk")
    ):
        goals.setdefault(goal.owner_id, []).append(goal)
    return goals


def reads_goals(followup: FollowUp) -> bool:
    """Whether the follow-up's draft mentions completed goals (the rule's `mentions_goals`)."""
    return RULES[followup.kind].mentions_goals


@dataclass(frozen=True)
class _Facts:
    """What a FollowUp knows, flattened for the builders."""

    company: str
    contact_name: str
    to: str
    linkedin_url: str
    role_title: str
    interviewed: bool
    detail: str  # the interview's "a detail to mention", written for the thank-you
    looking_for: str
    sender_name: str
    signature: str


def _sender(followup: FollowUp) -> tuple[str, str]:
    user = followup.owner
    # The profile's name, else the account's; never the username, which is rarely a name.
    name = user.profile.full_name or user.get_full_name()
    return name.strip(), user.profile.signature


def _latest_interview(interviews: Iterable[Interview]) -> Interview | None:
    return max(interviews, key=lambda i: (i.when, i.pk), default=None)


def _facts(followup: FollowUp) -> _Facts:
    rejection = followup.rejection
    application = followup.application or (rejection.application if rejection else None)
    interview = followup.interview
    if interview is None and application is not None:
        interview = _latest_interview(application.interviews.all())
    contact = followup.contact or (rejection.contact if rejection else None)
    if contact is None and followup.interview is not None:
        contact = next(iter(followup.interview.interviewers.all()), None)
    interviewed = interview is not None or bool(
        rejection and rejection.stage_reached in _INTERVIEW_STAGES
    )
    sender_name, signature = _sender(followup)
    return _Facts(
        company=followup.company.name,
        contact_name=contact.name if contact else "",
        to=(contact.email if contact else "") or (rejection.reply_to if rejection else ""),
        linkedin_url=contact.linkedin_url if contact else "",
        role_title=application.role_title if application else "",
        interviewed=interviewed,
        detail=interview.detail_to_mention if interview else "",
        looking_for=interview.looking_for if interview else "",
        sender_name=sender_name,
        signature=signature,
    )


def _common(f: _Facts) -> dict:
    return {
        "contact_name": f.contact_name,
        "company": f.company,
        "sender_name": f.sender_name,
        "signature": f.signature,
        "to": f.to,
    }


def _draft_rejection_thanks(followup: FollowUp, f: _Facts, goals) -> Draft:
    rejection = followup.rejection
    has_feedback = bool(rejection and list(rejection.feedback.all()))
    situation = Situation.of(rejection, None) if rejection else None
    early = bool(situation and situation.early)
    return rejection_thanks(
        **_common(f),
        role_title=f.role_title,
        interviewed=f.interviewed,
        detail=f.detail,
        # The advice asks for feedback in the thank-you (from a recruiter screen on); once it
        # has arrived, no need. After a CV screen only if the person said they asked.
        ask_feedback=followup.asked_for_feedback or (not early and not has_feedback),
        early=early,
        final_round=bool(rejection)
        and rejection.stage_reached in (Rejection.Stage.FINAL, Rejection.Stage.OFFER),
        by_phone=bool(rejection) and rejection.channel == Rejection.Channel.PHONE,
    )


def _draft_close_the_loop(followup: FollowUp, f: _Facts, goals) -> Draft:
    application = followup.application
    return close_the_loop(
        **_common(f),
        role_title=f.role_title,
        applied_on=application.applied_on if application else None,
    )


def _draft_interview_thanks(followup: FollowUp, f: _Facts, goals) -> Draft:
    return interview_thanks(
        **_common(f), role_title=f.role_title, detail=f.detail, looking_for=f.looking_for
    )


def _draft_feedback_nudge(followup: FollowUp, f: _Facts, goals) -> Draft:
    return feedback_nudge(**_common(f), role_title=f.role_title)


def _draft_check_in(followup: FollowUp, f: _Facts, goals) -> Draft:
    return check_in(**_common(f), role_title=f.role_title)


def _draft_keep_in_touch(followup: FollowUp, f: _Facts, goals) -> Draft:
    since = followup.rejection.received_at.date() if followup.rejection else None
    done = [g for g in _goals(followup, goals) if since is None or g.completed_on >= since]
    return keep_in_touch(**_common(f), completed_goals=[g.what for g in done[:1]])


def _draft_linkedin(followup: FollowUp, f: _Facts, goals) -> Draft:
    return linkedin_note(
        contact_name=f.contact_name,
        company=f.company,
        role_title=f.role_title,
        interviewed=f.interviewed,
        detail=f.detail,
        sender_name=f.sender_name,
        linkedin_url=f.linkedin_url,
    )


def _previous_rejection(followup: FollowUp) -> Rejection | None:
    """The rejection the recruiter note refers back to: the row's own, else the latest one at
    the company for another application."""
    if followup.rejection is not None and (
        followup.application_id is None
        or followup.rejection.application_id != followup.application_id
    ):
        return followup.rejection
    return (
        Rejection.objects.filter(
            owner_id=followup.owner_id, application__company=followup.company_id
        )
        .exclude(application_id=followup.application_id)
        .select_related("application", "contact")
        .prefetch_related("feedback", "application__interviews")
        .order_by("-received_at", "-pk")
        .first()
    )


def _draft_recruiter_note(followup: FollowUp, f: _Facts, goals) -> Draft:
    previous = _previous_rejection(followup)
    application = followup.application
    contact = followup.contact or (previous.contact if previous else None)
    feedback: list[Feedback] = list(previous.feedback.all()) if previous else []
    themes = [theme for item in feedback for theme in item.themes]
    since = previous.received_at.date() if previous else None
    feedback_ids = {item.pk for item in feedback}
    # Goals from their feedback first, then others completed since the rejection.
    done = _goals(followup, goals)
    chosen = [g for g in done if g.feedback_id in feedback_ids] + [
        g
        for g in done
        if g.feedback_id not in feedback_ids and (since is None or g.completed_on >= since)
    ]
    interviews = list(previous.application.interviews.all()) if previous else []
    interviewed = bool(previous) and (
        previous.stage_reached in _INTERVIEW_STAGES or bool(interviews)
    )
    # "We spoke in November": the last interview, else the rejection, on the person's calendar.
    zone = _zone(followup)
    last = _latest_interview(interviews)
    spoke_at = last.when if last else (previous.received_at if previous else None)
    return recruiter_note(
        contact_name=contact.name if contact else "",
        to=contact.email if contact else "",
        company=f.company,
        role_title=application.role_title if application else "",
        previous_role_title=previous.application.role_title if previous else "",
        last_spoke=spoke_at.astimezone(zone).date() if spoke_at else None,
        interviewed=interviewed,
        why_this_role=application.why_this_role if application else "",
        feedback_themes=themes,
        had_feedback=bool(feedback),
        completed_goals=[g.what for g in chosen[:_MAX_GOALS]],
        sender_name=f.sender_name,
        signature=f.signature,
        opening_title=followup.opening_title,
        opening_url=followup.opening_url,
    )


def _zone(followup: FollowUp):
    return followup.owner.profile.zone


def _goals(followup: FollowUp, goals: Sequence[ImprovementGoal] | None) -> list[ImprovementGoal]:
    completed = load_completed_goals(followup.owner_id) if goals is None else goals
    return [g for g in completed if g.completed_on is not None]


_Builder = Callable[[FollowUp, _Facts, "Sequence[ImprovementGoal] | None"], Draft]

Kind = FollowUp.Kind

# One builder per kind of the rule table (followups/rules.py).
DRAFTS: dict[str, _Builder] = {
    Kind.REJECTION_THANKS: _draft_rejection_thanks,
    Kind.INTERVIEW_THANKS: _draft_interview_thanks,
    Kind.FEEDBACK_NUDGE: _draft_feedback_nudge,
    Kind.CHECK_IN: _draft_check_in,
    Kind.KEEP_IN_TOUCH: _draft_keep_in_touch,
    Kind.LINKEDIN: _draft_linkedin,
    Kind.RECRUITER_NOTE: _draft_recruiter_note,
    Kind.CLOSE_THE_LOOP: _draft_close_the_loop,
}


def draft_for(
    followup: FollowUp, *, completed_goals: Sequence[ImprovementGoal] | None = None
) -> Draft:
    """The message to send for `followup`, from what the person recorded.

    Load follow-ups with `with_draft_data()` and this issues no queries, except that the
    keep-in-touch and recruiter notes read the person's completed goals (one query) unless
    `completed_goals` (from `load_completed_goals(owner)`) is passed in.

    Once the person edited the draft (saved as they type), the edited text is the draft: the
    page, the dashboard, the reminder email, copy and mailto all show it.
    """
    if followup.draft_body.strip():
        f = _facts(followup)
        return Draft(
            kind=followup.kind,
            subject=followup.draft_subject,
            body=followup.draft_body,
            to=f.to,
            linkedin_url=f.linkedin_url,
        )
    build = DRAFTS[followup.kind]
    return build(followup, _facts(followup), completed_goals)


def text_to_send(draft: Draft) -> str:
    """The draft as one text, for "what was sent": the subject line, then the body."""
    body = draft.body.strip()
    return f"Subject: {draft.subject.strip()}\n\n{body}" if draft.subject.strip() else body
