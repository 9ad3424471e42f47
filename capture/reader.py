"""Read one email and say whether it is a rejection, and what it says.

Pure functions over bytes or text: no database, no Django views, no network. The rules are
ordered and precision-first, so a person can follow why an email was (or was not) taken:

1. Mail the person sent (their own address in From) is never a rejection.
2. Strong rejection phrases ("we have decided to move forward with other candidates") decide
   on their own. They are checked before the "positive" phrases, and their text is blanked
   out before those are looked for, so "unable to offer you the position" never reads as
   an offer.
3. Weak phrases ("unfortunately", "leider", "after careful consideration") count only in
   pairs, and only when nothing in the email invites, offers or reschedules.
4. Quoted text (a reply's "> ..." lines, "On ... wrote:", a forwarded header block) is cut
   before any of this: a reply that quotes a rejection is not one.

Everything read from the email is data: the caller escapes it when it is shown and never
follows a link in it.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email
import email.policy
import re
from dataclasses import dataclass, field
from email.message import Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from html.parser import HTMLParser

# Limits that keep one hostile message cheap to read.
MAX_EMAIL_BYTES = 5 * 1024 * 1024
MAX_PARTS = 100
MAX_DEPTH = 8
MAX_TEXT_CHARS = 200_000
# Boundary-looking lines counted before parsing: far above any real email's parts.
MAX_BOUNDARY_LINES = 1_000
EXCERPT_CHARS = 300


class UnreadableEmail(ValueError):
    """The input cannot be read as an email; `str()` says why, in words for the person."""


# --- Phrases ----------------------------------------------------------------------------------
# Each rule is (label shown to the person, compiled pattern). Patterns are case-insensitive and
# match on text whose runs of white space were collapsed to one space.


def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


_OTHER = r"(?:other|another|a different|different|(?:an)?other|more suitable|stronger)"
_CANDIDATES = r"(?:candidates?|applicants?|profiles?|individuals?|people|person|finalists?)"
_ROLE_WORD = r"(?:position|role|job|post|opportunity|vacancy|opening)"

STRONG_REJECTION: tuple[re.Pattern, ...] = (
    _rx(
        rf"\b(?:decided|chosen|opted|elected|going)\b[^.!?]{{0,40}}\b(?:move|moving|go|going|proceed|proceeding|continue|continuing|pursue|pursuing)\b(?: forward)? with {_OTHER}[^.!?]{{0,30}}?{_CANDIDATES}"
    ),
    _rx(
        rf"\b(?:move|moving|go|going|proceed|proceeding|continue|continuing) forward with (?:{_OTHER} )?{_CANDIDATES} (?:whose|who|that)"
    ),
    _rx(
        r"\b(?:not|won't|will not|unable to|not able to|cannot|can't|decided not to|chosen not to|n't) (?:be )?(?:moving|move|going|go|proceeding|proceed|progressing|progress|taking|take|continuing|continue)\b[^.!?]{0,15}\b(?:forward |further )?(?:with )?(?:your|you|the|this)\b[^.!?]{0,25}\b(?:application|candidacy|process|profile|next (?:stage|step|round))"
    ),
    _rx(
        rf"\b(?:unable|not able|cannot|can't|won't be able|will not be able|not in a position) to (?:make you an offer|offer you (?:the|a|this|an?) (?:{_ROLE_WORD}|offer|employment))"
    ),
    _rx(r"\b(?:decided|chosen) not to (?:extend|make) (?:you )?an offer"),
    _rx(r"\bwill not be (?:extending|making) (?:you )?an offer"),
    _rx(
        r"\byour application (?:was|has been|is) (?:unsuccessful|declined|not successful|rejected)"
    ),
    _rx(
        r"\b(?:you were|you have been|you've been|you have not been|you were not) (?:not )?(?:unsuccessful|selected|shortlisted)\b"
    ),
    _rx(
        r"\b(?:not|n't) (?:been )?(?:selected|shortlisted) (?:you )?for (?:the |this |an? |further |next )"
    ),
    _rx(
        rf"\b(?:decided|chosen|opted|elected|going) to (?:pursue|consider|select|hire|go with|continue with|proceed with) {_OTHER}[^.!?]{{0,30}}?{_CANDIDATES}"
    ),
    _rx(
        r"\b(?:extended|made|make|extend) (?:an|the|our|a) (?:job )?offer to (?:another|a different|an ?other|the other|a stronger) (?:candidate|applicant|person)"
    ),
    _rx(r"\banother (?:candidate|applicant) (?:has )?accepted (?:our|the|an) offer"),
    _rx(
        r"\b(?:not|won't|will not|unable to|not able to) (?:be )?invit\w* you (?:to|for) (?:an? |the )?(?:interview|next|further|assessment)"
    ),
    _rx(r"\b(?:position|role|vacancy|opening) (?:has been|was|had been|has now been) filled\b"),
    _rx(
        r"\b(?:Stelle|Position) (?:wurde |ist )?(?:bereits |inzwischen |leider )?(?:anderweitig )?besetzt"
    ),
    _rx(r"\bdecided to (?:go|proceed) (?:in )?(?:a )?different direction"),
    _rx(r"\b(?:decided|chosen) to (?:fill|close) the (?:position|role) (?:with|internally)"),
    _rx(r"\bwe (?:have )?(?:filled|closed) the (?:position|role)\b"),
    # German
    _rx(
        r"\b(?:uns|wir haben uns|haben uns) (?:\w+ ){0,3}f(?:ü|ue)r (?:eine?n? )?(?:anderen?|andere) (?:Kandidat|Bewerber|Person)"
    ),
    _rx(
        r"\b(?:für|fuer) (?:eine?n? )?(?:anderen?|andere) (?:Kandidat(?:in|en)?|Bewerber(?:in|innen)?) entschieden"
    ),
    _rx(
        r"\bIhre Bewerbung (?:\w+ ){0,3}nicht (?:weiter )?(?:berücksichtigen|berücksichtigt|verfolgen|weiterverfolgen|in Betracht)"
    ),
    _rx(
        r"\bIhnen (?:\w+ ){0,2}(?:eine Absage|keine Zusage|kein Angebot|keine positive Rückmeldung)"
    ),
    _rx(
        r"\b(?:müssen|möchten) (?:wir )?Ihnen (?:\w+ ){0,2}(?:absagen|mitteilen, dass wir (?:Sie|Ihre Bewerbung) nicht)"
    ),
    _rx(r"\bnicht in (?:die|der) engere(?:n)? Auswahl"),
    _rx(r"\bIhnen (?:\w+ ){0,2}keine (?:Stelle|Position) anbieten"),
)

WEAK_REJECTION: tuple[re.Pattern, ...] = (
    _rx(r"\bunfortunately\b"),
    _rx(r"\b(?:we )?regret(?:fully)?\b"),
    _rx(r"\bafter (?:careful|much|thorough|long) (?:consideration|review|deliberation)"),
    _rx(r"\b(?:difficult|tough|hard) decision\b"),
    _rx(
        r"\b(?:many|large number of|high number of|number of) (?:highly )?(?:qualified|strong|talented|excellent) (?:candidates|applicants|applications)"
    ),
    _rx(r"\b(?:very|highly|extremely) competitive\b"),
    _rx(
        r"\bwish(?:ing)? you (?:the )?(?:best of |all the |every )?(?:luck|success)\b[^.!?]{0,20}(?:search|future|career|endeavou?rs)"
    ),
    _rx(r"\bnot (?:the right|a) (?:fit|match)\b"),
    _rx(r"\b(?:more|most) closely (?:match|matches|aligned|align)"),
    _rx(r"\bleider\b"),
    _rx(r"\bbedauer(?:n|lich(?:erweise)?)\b"),
    _rx(
        r"\bnach (?:sorgfältiger|eingehender|reiflicher|gründlicher) (?:Prüfung|Überlegung|Abwägung)"
    ),
    _rx(r"\b(?:viel Erfolg|alles Gute)\b[^.!?]{0,40}(?:Zukunft|Suche|Weg|beruflich)"),
    _rx(r"\b(?:Zukunft|Suche|Weg)\b[^.!?]{0,30}(?:viel Erfolg|alles Gute)"),
)

# What makes an email something other than a rejection. Looked for only in text that no
# strong rejection phrase covers.
NOT_REJECTION: tuple[re.Pattern, ...] = (
    _rx(r"\b(?:pleased|happy|delighted|excited|thrilled) to (?:offer|extend|make)\b"),
    _rx(r"\b(?:offer letter|job offer|formal offer|written offer)\b"),
    _rx(
        r"\b(?:like|love|want) to (?:invite|schedule|set up|arrange|book|move forward|proceed|continue)\b"
    ),
    _rx(r"\binvit(?:e|ing|ation) you (?:to|for)\b"),
    _rx(
        r"\b(?:schedule|reschedul\w*|move|moved|book|pick) (?:an? |the |your |our )?(?:interview|call|chat|meeting|time|slot)"
    ),
    _rx(r"\b(?:time slot|availability|calendar link|booking link)\b"),
    _rx(r"\b(?:next round|next stage|next step)\b(?![^.!?]{0,40}\b(?:not|won't)\b)"),
    _rx(
        r"\b(?:we (?:have )?received your application|thank you for applying|thanks for applying)\b[^.!?]{0,80}\b(?:review|get back|be in touch|contact you|reach out)"
    ),
    _rx(r"\bunsubscribe\b"),
    _rx(
        r"\b(?:Einladung|einladen|laden Sie\b[^.!?]{0,30}ein|Vorstellungsgespräch vereinbaren|Terminvorschlag)"
    ),
    _rx(r"\b(?:freuen uns,? Ihnen\b[^.!?]{0,40}(?:anbieten|Angebot)|Vertragsangebot)"),
    _rx(r"\b(?:Eingang Ihrer Bewerbung|Ihre Bewerbung (?:ist|sind) (?:bei uns )?eingegangen)"),
)

OPEN_DOOR: tuple[tuple[str, re.Pattern], ...] = (
    (
        "keeps your résumé on file",
        _rx(
            r"\bkeep (?:your|you)\b[^.!?]{0,40}\b(?:on file|in (?:our|mind)|in our (?:talent|candidate) (?:pool|database|community))"
        ),
    ),
    (
        "keeps your résumé on file",
        _rx(r"\b(?:résumé|resume|CV|details|profile|application) on file\b"),
    ),
    (
        "keeps your résumé on file",
        _rx(
            r"\b(?:in unserem|in unseren|in unsere) (?:Talentpool|Talent-Pool|Bewerberpool|Kandidatenpool)"
        ),
    ),
    (
        "keeps your résumé on file",
        _rx(r"\bUnterlagen\b[^.!?]{0,60}\b(?:aufbewahren|speichern|in Evidenz)"),
    ),
    (
        "encourages you to apply again",
        _rx(
            r"\b(?:encourage|invite|welcome) you to (?:re-?apply|apply (?:again|for (?:future|other|open))|keep an eye)"
        ),
    ),
    (
        "encourages you to apply again",
        _rx(r"\b(?:feel free|don't hesitate|do not hesitate) to (?:re-?apply|apply (?:again|for))"),
    ),
    (
        "encourages you to apply again",
        _rx(r"\b(?:erneut|wieder|gerne wieder) (?:bei uns )?(?:bewerben|bewirbst)"),
    ),
    ("asks to stay in touch", _rx(r"\b(?:stay|keep) in (?:touch|contact)\b")),
    (
        "asks to stay in touch",
        _rx(
            r"\b(?:in Kontakt bleiben|in Verbindung bleiben|bleiben (?:wir |Sie )?(?:gerne |gern )?in Kontakt)\b"
        ),
    ),
    (
        "role on hold / hiring freeze",
        _rx(
            r"\b(?:on hold|hiring freeze|paused (?:hiring|the (?:role|position|search))|freeze on hiring)\b"
        ),
    ),
    (
        "role on hold / hiring freeze",
        _rx(r"\b(?:Einstellungsstopp|auf Eis gelegt|vorerst nicht besetzt)\b"),
    ),
    (
        "position has been filled",
        _rx(r"\b(?:position|role|vacancy|opening) (?:has been|was|is now|had been) filled\b"),
    ),
    (
        "position has been filled",
        _rx(
            r"\b(?:Stelle|Position) (?:wurde |ist )?(?:bereits |inzwischen )?(?:anderweitig )?besetzt"
        ),
    ),
)

REASON_CUES = _rx(
    r"\b(?:because|as we|since we|due to|looking for (?:someone|a candidate|more)|more (?:\w+ ){0,2}experience (?:in|with)|"
    r"stronger (?:background|experience)|lacked|lack of|did not demonstrate|didn't demonstrate|"
    r"the (?:panel|team) felt|feedback (?:from|was)|requires? (?:more|deeper|a stronger)|"
    r"weil|da wir|mehr Erfahrung|fehlende|zu wenig Erfahrung|suchen jemanden)"
)

# A reply the person wrote starts with thanks for the news, not with the news.
OWN_REPLY_OPENING = _rx(
    r"^(?:hi|hello|dear|hallo|liebe|lieber|guten tag)?[^.!?\n]{0,40}?[,!]?\s*"
    r"(?:thank you|thanks|many thanks|vielen dank|danke)\b[^.!?]{0,30}\b(?:letting me know|for the update|for getting back|for your (?:reply|message|email|note)|für (?:die|Ihre) (?:Rückmeldung|Nachricht))"
)

# --- Senders --------------------------------------------------------------------------------

# Applicant-tracking systems send on behalf of the company: the company is in the display name
# or the body, never the domain.
ATS_DOMAINS: dict[str, str] = {
    "greenhouse.io": "Greenhouse",
    "greenhouse-mail.io": "Greenhouse",
    "lever.co": "Lever",
    "hire.lever.co": "Lever",
    "myworkday.com": "Workday",
    "myworkdayjobs.com": "Workday",
    "workday.com": "Workday",
    "ashbyhq.com": "Ashby",
    "smartrecruiters.com": "SmartRecruiters",
    "icims.com": "iCIMS",
    "personio.de": "Personio",
    "personio.com": "Personio",
    "teamtailor.com": "Teamtailor",
    "teamtailor-mail.com": "Teamtailor",
    "recruitee.com": "Recruitee",
    "workable.com": "Workable",
    "workablemail.com": "Workable",
    "jobvite.com": "Jobvite",
    "bamboohr.com": "BambooHR",
    "successfactors.com": "SuccessFactors",
    "successfactors.eu": "SuccessFactors",
    "taleo.net": "Taleo",
    "breezy.hr": "Breezy HR",
    "jazzhr.com": "JazzHR",
    "applytojob.com": "JazzHR",
    "join.com": "JOIN",
    "softgarden.io": "softgarden",
    "softgarden.de": "softgarden",
    "rippling.com": "Rippling",
}

FREEMAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "me.com",
        "gmx.de",
        "gmx.net",
        "web.de",
        "posteo.de",
        "proton.me",
        "protonmail.com",
        "fastmail.com",
        "aol.com",
        "t-online.de",
    }
)

ROLE_ADDRESS = _rx(
    r"^(?:no-?reply|do-?not-?reply|donotreply|notifications?|jobs|careers|recruiting|recruitment|talent|hr|hiring|bewerbung|karriere|info|team|people|mailer-daemon|postmaster)\b"
)

# Words that make a display name a team, not a person; stripped to leave the company.
TEAM_WORDS = (
    r"(?:Talent Acquisition|Talent Team|Talent|Recruiting(?:-| )Team|Recruiting|Recruitment(?: Team)?|"
    r"Hiring Team|Hiring|Careers|Career|Jobs|HR(?: Team)?|People(?: Team| Ops| Operations)?|Team|"
    r"Personalabteilung|Karriere|Bewerbermanagement)"
)
TEAM_SUFFIX = _rx(rf"(?:\s*[-–|@,]\s*|\s+)(?:the\s+)?{TEAM_WORDS}(?:\s+{TEAM_WORDS})*\s*$")
TEAM_PREFIX = _rx(rf"^(?:the\s+)?{TEAM_WORDS}(?:\s+{TEAM_WORDS})*\s*(?:at|@|bei|-|–|\|)\s+")
VIA_ATS = _rx(r"\s+(?:via|through|über)\s+\S.*$")

SIGN_OFF = _rx(
    r"^(?:(?:with )?best(?: regards| wishes)?|with kind regards|kind regards|warm regards|regards|many thanks|thanks(?: again)?|thank you|cheers|sincerely|all the best|"
    r"yours sincerely|mit freundlichen grüßen|mit freundlichen grüssen|freundliche grüße|viele grüße|beste grüße|herzliche grüße|liebe grüße|mfg)\s*[,!.]?\s*$"
)
PERSON_NAME = re.compile(
    r"^(?:Dr\.? |Prof\.? )?[A-ZÄÖÜÉÈ][a-zäöüßéèáíóúñç'’-]+(?: (?:van |von |de |der |da |di |le )?[A-ZÄÖÜÉÈ][a-zäöüßéèáíóúñç'’-]+){1,3}$"
)

# --- Company and role in the text -----------------------------------------------------------

_NAME = r"([A-Z0-9ÄÖÜ][\w&'’-]*(?: (?:&|and|und|of|de|\+) ?[A-Z0-9ÄÖÜ][\w&'’-]*| [A-Z0-9ÄÖÜ][\w&'’-]*){0,4})"
LEGAL_FORM = r"(?: (?:GmbH(?: & Co\. KG)?|AG|SE|KG|Inc\.?|Ltd\.?|LLC|plc|Corp\.?|B\.V\.|S\.A\.|Oy|AB|ApS|NV))?"
LEGAL_FORM_AT = re.compile(LEGAL_FORM)
COMPANY_IN_TEXT: tuple[re.Pattern, ...] = (
    re.compile(
        rf"\b(?:interest in|applying to|applied to|apply to|application to|applying at|applied at|application at) (?:joining |working (?:at|for) )?(?:the team at )?{_NAME}{LEGAL_FORM}",
        re.UNICODE,
    ),
    re.compile(
        rf"\b(?:position|role|job|opening|vacancy) (?:here )?(?:at|with) {_NAME}{LEGAL_FORM}",
        re.UNICODE,
    ),
    re.compile(
        rf"\b(?:everyone|all of us|the team|the hiring team|the recruiting team|us) (?:here )?at {_NAME}{LEGAL_FORM}",
        re.UNICODE,
    ),
    re.compile(
        rf"\b(?:heard back|feedback|news|an update|a decision) from {_NAME}{LEGAL_FORM}", re.UNICODE
    ),
    re.compile(
        rf"\b(?:interview|interviewing|interviewed) with {_NAME}{LEGAL_FORM} for\b", re.UNICODE
    ),
    re.compile(
        rf"^(?:[A-Z][A-Za-z]+ ){{0,3}}(?:Manager|Engineer|Partner|Lead|Director|Recruiter|Specialist|Officer|CEO|CTO|COO|Founder|Head of [A-Z]\w+|VP [A-Z]\w+)\s*[,|@–-]\s*{_NAME}{LEGAL_FORM}\s*$",
        re.UNICODE | re.MULTILINE,
    ),
    re.compile(
        rf"\b(?:Interesse an|Bewerbung bei|bewerben bei|Bewerbung an) (?:der |die |das |einer Tätigkeit bei )?{_NAME}{LEGAL_FORM}",
        re.UNICODE,
    ),
    re.compile(
        rf"\b(?:Stelle|Position|Tätigkeit) (?:als [^.,\n]{{2,60}} )?(?:bei|in der|in der Firma) (?:der |die |uns, der )?{_NAME}{LEGAL_FORM}",
        re.UNICODE,
    ),
    re.compile(
        rf"^(?:the |your |ihr |dein )?{_NAME}{LEGAL_FORM} (?:{TEAM_WORDS})(?: {TEAM_WORDS})*\s*$",
        re.UNICODE | re.MULTILINE | re.IGNORECASE,
    ),
)
COMPANY_IN_SUBJECT: tuple[re.Pattern, ...] = (
    re.compile(
        rf"\b(?:application (?:to|at|with)|applying to|Bewerbung bei|interest in) {_NAME}{LEGAL_FORM}",
        re.UNICODE,
    ),
    re.compile(rf"\bat {_NAME}{LEGAL_FORM}\s*$", re.UNICODE),
    re.compile(rf"^{_NAME}{LEGAL_FORM}\s*[:|–-]\s", re.UNICODE),
)
NOT_A_COMPANY = frozenset(
    {
        "the",
        "this",
        "our",
        "your",
        "us",
        "we",
        "you",
        "a",
        "an",
        "it",
        "that",
        "thank",
        "thanks",
        "unfortunately",
        "leider",
        "re",
        "fwd",
        "aw",
        "wg",
        "update",
        "application",
        "dear",
        "hi",
        "hello",
        "regarding",
        "ihre",
        "ihrer",
        "unsere",
        "unser",
        "uns",
        "the position",
        "position",
        "role",
        "team",
        "careers",
        "jobs",
        "recruiting",
        "talent",
        "hr",
    }
)

_ROLE = r"([A-Z][\w/&()+#’'-]*(?:[ -](?:[A-Z(][\w/&()+#’'-]*|of|for|and|und|in|für|im|\(m/w/d\)|\(w/m/d\)|\(f/m/d\)|\(m/f/d\))){0,7})"
ROLE_IN_TEXT: tuple[re.Pattern, ...] = (
    re.compile(
        rf"\b(?:for|to) the (?:position|role|post|job|vacancy|opening) (?:of |as )?(?:an? )?{_ROLE}",
        re.UNICODE,
    ),
    re.compile(rf"\bappl\w+ (?:to [^.,\n]{{1,40}} )?as (?:an? |the )?{_ROLE}", re.UNICODE),
    re.compile(
        rf"\b(?:for|to|in|about) (?:the|our|your) {_ROLE} (?:position|role|opening|vacancy|job|post)\b",
        re.UNICODE,
    ),
    re.compile(
        rf"\b(?:application|candidacy|interview|interviews|applying) (?:for|as) (?:the |our |a |an )?{_ROLE}",
        re.UNICODE,
    ),
    re.compile(
        rf"\b(?:als|Position|Stelle|Tätigkeit|Bewerbung) (?:als |zum |zur |für die Position (?:als )?|für die Stelle (?:als )?)?{_ROLE}",
        re.UNICODE,
    ),
)
ROLE_IN_SUBJECT: tuple[re.Pattern, ...] = (
    re.compile(
        rf"\b(?:application|Bewerbung|candidacy) (?:for|as|als|für) (?:the |die |a |an )?(?:Position |Stelle )?(?:als )?{_ROLE}",
        re.UNICODE,
    ),
    re.compile(
        rf"^(?:(?:re|aw|fwd|wg):\s*)*{_ROLE}\s*(?:[–|-]|:)\s*(?:application|your application|update|Bewerbung)",
        re.UNICODE | re.IGNORECASE,
    ),
    re.compile(rf"[–|:-]\s*{_ROLE}\s*$", re.UNICODE),
)
ROLE_TAIL = re.compile(
    r"\s+(?:at|with|bei|in|here|position|role|opening|vacancy|job|post|and|und|we|I|Position|Stelle)(?:\s.*)?$"
)
ROLE_STOPWORDS = frozenset(
    {
        "the",
        "a",
        "an",
        "this",
        "our",
        "your",
        "you",
        "it",
        "we",
        "us",
        "position",
        "role",
        "job",
        "interest",
        "time",
        "application",
        "Sie",
        "Ihre",
        "Ihr",
        "uns",
        "Stelle",
        "Position",
        "Bewerbung",
        "Interview",
        "Thank",
        "Unfortunately",
        "Leider",
        "Update",
    }
)


# --- The result -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """What one email says, and why the reader thinks so."""

    is_rejection: bool
    confidence: float
    decided_by: tuple[str, ...]
    company: str = ""
    role: str = ""
    contact_name: str = ""
    contact_email: str = ""
    received_at: dt.datetime | None = None
    reason: str = ""
    open_door_phrases: tuple[str, ...] = ()
    open_door_signals: tuple[str, ...] = ()
    subject: str = ""
    sender: str = ""
    sender_domain: str = ""
    message_id: str = ""
    ats: str = ""
    excerpt: str = ""
    verdict: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def open_door(self) -> bool:
        return bool(self.open_door_phrases)

    @property
    def has_headers(self) -> bool:
        return bool(self.sender or self.subject or self.message_id)


@dataclass
class _Parsed:
    headers: dict[str, str]
    from_name: str
    from_address: str
    reply_to: str
    text: str
    notes: list[str]


# --- Entry point --------------------------------------------------------------------------


def read_email(raw: bytes | str, *, own_addresses: tuple[str, ...] | list[str] = ()) -> Reading:
    """Read raw email bytes, or pasted text with or without headers.

    Raises UnreadableEmail (with a message for the person) when it is too big, empty, binary,
    or built to be expensive (too many or too deeply nested parts).
    """
    parsed = _parse(raw)
    own = {address.strip().lower() for address in own_addresses if address and address.strip()}
    body = _strip_quoted(parsed.text)
    flat = " ".join(body.split())
    subject = parsed.headers.get("subject", "")
    domain = parsed.from_address.rpartition("@")[2]
    ats = _ats_name(domain)
    common = dict(
        subject=subject,
        sender=parsed.from_address,
        sender_domain=domain,
        message_id=parsed.headers.get("message-id", "").strip(),
        ats=ats,
        received_at=_received_at(parsed.headers, parsed.notes) if parsed.headers else None,
        notes=tuple(parsed.notes),
    )
    if parsed.from_address and parsed.from_address in own:
        return Reading(
            is_rejection=False,
            confidence=0.99,
            decided_by=(),
            verdict="This is mail you sent, not one you received.",
            excerpt=_excerpt(flat, None),
            **common,
        )
    if OWN_REPLY_OPENING.search(body.lstrip()[:200]):
        return Reading(
            is_rejection=False,
            confidence=0.8,
            decided_by=(),
            verdict="This reads like your reply to them, not their message to you.",
            excerpt=_excerpt(flat, None),
            **common,
        )

    strong = _matches(STRONG_REJECTION, flat)
    masked = _mask(flat, strong)
    weak = _matches(WEAK_REJECTION, masked)
    not_rejection = _matches(NOT_REJECTION, masked)
    subject_weak = [m for m in _matches(WEAK_REJECTION + STRONG_REJECTION, subject)]

    if strong:
        is_rejection = True
        extra = len(strong) - 1 + len(weak)
        confidence = min(0.9 + 0.03 * extra, 0.99)
        decided_by = [m.group(0) for m in strong] + [m.group(0) for m in weak]
        verdict = "A rejection."
    elif len(weak) + len(subject_weak) >= 2 and not not_rejection:
        is_rejection = True
        confidence = min(0.6 + 0.05 * (len(weak) + len(subject_weak) - 2), 0.75)
        decided_by = [m.group(0) for m in weak] + [m.group(0) for m in subject_weak]
        verdict = (
            "Probably a rejection: no clear sentence says so, but several phrases point that way."
        )
    else:
        is_rejection = False
        decided_by = [m.group(0) for m in not_rejection]
        confidence = 0.9 if not_rejection else 0.7
        if not_rejection:
            verdict = "Not a rejection: it " + _not_rejection_kind(not_rejection[0].group(0)) + "."
        else:
            verdict = "Not a rejection: nothing in it says no."

    open_phrases: list[str] = []
    open_labels: list[str] = []
    if is_rejection:
        for label, pattern in OPEN_DOOR:
            match = pattern.search(flat)
            if match and match.group(0) not in open_phrases:
                open_phrases.append(match.group(0))
                if label not in open_labels:
                    open_labels.append(label)

    company = _company(parsed, body, subject, ats, domain)
    role = _role(body, subject, company)
    contact_name, contact_email = _contact(parsed, body, ats, company)
    return Reading(
        is_rejection=is_rejection,
        confidence=round(confidence, 2),
        decided_by=tuple(_dedupe(p.strip() for p in decided_by)),
        company=company,
        role=role,
        contact_name=contact_name,
        contact_email=contact_email,
        reason=_reason(body) if is_rejection else "",
        open_door_phrases=tuple(open_phrases),
        open_door_signals=tuple(open_labels),
        excerpt=_excerpt(flat, strong[0] if strong else (weak[0] if weak else None)),
        verdict=verdict,
        **common,
    )


# --- Parsing --------------------------------------------------------------------------------

_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{0,60}:[ \t]?")
_KNOWN_HEADERS = re.compile(
    rb"^(?:from|to|subject|date|message-id|received|return-path|delivered-to|mime-version|content-type|reply-to|cc|x-[a-z0-9-]+):",
    re.IGNORECASE,
)


def _looks_like_headers(data: bytes) -> bool:
    """Pasted text starts with a header block ("From: ...", "Subject: ...") or it doesn't."""
    lines = data.lstrip(b"\r\n").splitlines()[:40]
    known = 0
    for line in lines:
        if not line.strip():
            break
        if line[:1] in (b" ", b"\t"):
            continue
        if not _HEADER_LINE.match(line):
            return False
        known += bool(_KNOWN_HEADERS.match(line))
    return known >= 2


def _parse(raw: bytes | str) -> _Parsed:
    data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else bytes(raw)
    if len(data) > MAX_EMAIL_BYTES:
        raise UnreadableEmail(
            f"That email is {len(data) / 1024 / 1024:.1f} MB; Open Doors reads emails up to "
            f"{MAX_EMAIL_BYTES // 1024 // 1024} MB. Paste only its text instead."
        )
    if not data.strip():
        raise UnreadableEmail("There is nothing to read: paste the email's text or choose a file.")
    if b"\x00" in data[:65536]:
        raise UnreadableEmail(
            "That is not an email: it contains binary data. Choose the .eml file your mail "
            "program saves, or paste the email's text."
        )
    if data.count(b"\n--") > MAX_BOUNDARY_LINES:
        raise UnreadableEmail(_too_many_parts())
    notes: list[str] = []
    if not _looks_like_headers(data):
        text = _decode_bytes(data, "utf-8", notes)
        if "<html" in text[:2000].lower() or "<body" in text[:4000].lower():
            text = html_to_text(text)
        return _Parsed({}, "", "", "", _limit(text), notes)
    message = email.message_from_bytes(data.lstrip(b"\r\n"), policy=email.policy.compat32)
    if message.defects and not message.keys():
        raise UnreadableEmail("That does not look like an email: its headers can't be read.")
    headers = {
        name: _header_text(message, name)
        for name in ("from", "reply-to", "subject", "date", "message-id", "in-reply-to")
        if message.get(name) is not None
    }
    from_name, from_address = parseaddr(headers.get("from", ""))
    _, reply_to = parseaddr(headers.get("reply-to", ""))
    text = _body_text(message, notes)
    if not text.strip() and not headers.get("subject"):
        raise UnreadableEmail("That email has no text in it to read.")
    return _Parsed(
        headers, from_name.strip(' "'), from_address.lower(), reply_to.lower(), _limit(text), notes
    )


def _too_many_parts() -> str:
    return (
        f"That email has more than {MAX_PARTS} parts or is nested too deeply to be a real "
        "rejection. Paste only its text instead."
    )


def _limit(text: str) -> str:
    return text[:MAX_TEXT_CHARS]


def _header_text(message: Message, name: str) -> str:
    """A header as text, whatever its encoded words or charset."""
    value = message.get(name, "")
    try:
        pieces = email.header.decode_header(str(value))
    except Exception:
        return " ".join(str(value).split())
    out = []
    for chunk, charset in pieces:
        if isinstance(chunk, bytes):
            out.append(_decode_bytes(chunk, charset or "ascii", None))
        else:
            out.append(chunk)
    return " ".join("".join(out).split())


def _decode_bytes(data: bytes, charset: str, notes: list[str] | None) -> str:
    charset = (charset or "utf-8").strip().strip('"').lower()
    try:
        codecs.lookup(charset)
    except LookupError:
        if notes is not None:
            notes.append(
                f"Part of the email is in a character set Open Doors doesn't know "
                f"(“{charset[:40]}”): some letters may look wrong. Check the fields."
            )
        charset = "utf-8"
    try:
        return data.decode(charset)
    except UnicodeDecodeError:
        if charset in ("utf-8", "ascii", "us-ascii"):
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:
                pass
        return data.decode(charset, errors="replace")


def _body_text(message: Message, notes: list[str]) -> str:
    """The readable text: plain parts first, HTML parts stripped when there is no plain one."""
    plain: list[str] = []
    html: list[str] = []
    count = 0

    def walk(part: Message, depth: int) -> None:
        nonlocal count
        count += 1
        if count > MAX_PARTS or depth > MAX_DEPTH:
            raise UnreadableEmail(_too_many_parts())
        if part.is_multipart():
            payload = part.get_payload()
            if not isinstance(payload, list):
                return
            for sub in payload:
                walk(sub, depth + 1)
            return
        content_type = part.get_content_type()
        disposition = (part.get("content-disposition") or "").lower()
        if "attachment" in disposition or not content_type.startswith("text/"):
            return
        try:
            payload = part.get_payload(decode=True)
        except Exception:
            payload = None
        if payload is None:
            raw = part.get_payload()
            payload = raw.encode("utf-8", "replace") if isinstance(raw, str) else b""
        text = _decode_bytes(payload, part.get_content_charset() or "utf-8", notes)
        if content_type == "text/html":
            html.append(html_to_text(text))
        elif content_type == "text/plain":
            plain.append(text)

    walk(message, 0)
    return "\n\n".join(plain) if any(p.strip() for p in plain) else "\n\n".join(html)


def _received_at(headers: dict[str, str], notes: list[str]) -> dt.datetime | None:
    value = headers.get("date", "")
    if not value:
        notes.append("The email has no Date: set when it arrived yourself.")
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        moment = None
    if moment is None:
        notes.append("The email's Date can't be read: set when it arrived yourself.")
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


# --- HTML -----------------------------------------------------------------------------------


class _TextExtractor(HTMLParser):
    """Text and line breaks only: no scripts, styles, links followed or attributes kept."""

    SKIP = frozenset({"script", "style", "head", "title", "template", "noscript", "svg"})
    BREAK = frozenset(
        {
            "p",
            "div",
            "br",
            "tr",
            "li",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "table",
            "blockquote",
            "hr",
            "section",
            "td",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0
        self.quote_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag == "blockquote":
            self.quote_depth += 1
        if tag in self.BREAK:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag == "blockquote" and self.quote_depth:
            self.quote_depth -= 1
        if tag in self.BREAK:
            self.out.append("\n")

    def handle_data(self, data):
        if self.skipping:
            return
        if self.quote_depth:
            # Quoted mail in HTML becomes "> " lines, cut like plain-text quotes.
            data = "\n".join("> " + line for line in data.splitlines() if line.strip())
        self.out.append(data)


def html_to_text(markup: str) -> str:
    parser = _TextExtractor()
    try:
        parser.feed(markup[: MAX_TEXT_CHARS * 4])
        parser.close()
    except Exception:  # the stdlib parser is lenient; this is a last resort
        return re.sub(r"<[^>]{0,2000}>", " ", markup)
    text = "".join(parser.out).replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- Quotes ---------------------------------------------------------------------------------

_QUOTE_START = _rx(
    r"^(?:On .{0,200}wrote:|Am .{0,200}schrieb .{0,200}:|-{2,} ?(?:Original Message|Ursprüngliche Nachricht|Forwarded message|Weitergeleitete Nachricht) ?-{2,}|"
    r"Begin forwarded message:|_{10,}|From: .{0,200}(?:Sent|Date|Gesendet): .*|Von: .{0,200})\s*$"
)


def _strip_quoted(text: str) -> str:
    kept = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for index, line in enumerate(lines):
        stripped = line.strip()
        if _QUOTE_START.match(stripped):
            break
        # Outlook's reply header: a "From:" line followed by "Sent:"/"Date:" a line or two later.
        if re.match(r"^(?:From|Von):\s", stripped) and any(
            re.match(r"^(?:Sent|Date|Gesendet|Datum):\s", nxt.strip())
            for nxt in lines[index + 1 : index + 3]
        ):
            break
        if stripped.startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


# --- Fields ---------------------------------------------------------------------------------


def _matches(patterns: tuple[re.Pattern, ...], text: str) -> list[re.Match]:
    """The first match of each pattern, in rule order, leaving out any that overlap one kept."""
    found: list[re.Match] = []
    for pattern in patterns:
        match = pattern.search(text)
        if match and not any(match.start() < m.end() and m.start() < match.end() for m in found):
            found.append(match)
    return found


def _mask(text: str, matches: list[re.Match]) -> str:
    chars = list(text)
    for match in matches:
        for index in range(match.start(), match.end()):
            chars[index] = " "
    return "".join(chars)


def _dedupe(items) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item and item.lower() not in (s.lower() for s in seen):
            seen.append(item)
    return seen


def _not_rejection_kind(phrase: str) -> str:
    lower = phrase.lower()
    if "offer" in lower or "angebot" in lower or "anbieten" in lower:
        return "reads like an offer"
    if "reschedul" in lower or "slot" in lower or "availability" in lower or "termin" in lower:
        return "is about scheduling"
    if "invit" in lower or "einlad" in lower or "schedule" in lower or "next" in lower:
        return "invites you to a next step"
    if "unsubscribe" in lower:
        return "is a newsletter or a notification"
    if "received" in lower or "applying" in lower or "eingang" in lower or "eingegangen" in lower:
        return "confirms your application arrived"
    return "asks you to go on"


def _ats_name(domain: str) -> str:
    domain = domain.lower()
    for ats_domain, name in ATS_DOMAINS.items():
        if domain == ats_domain or domain.endswith("." + ats_domain):
            return name
    return ""


def _clean_company(value: str) -> str:
    value = " ".join(value.replace("\u200b", "").split()).strip(" .,:;-–|\"'’")
    value = VIA_ATS.sub("", value)
    for _ in range(2):
        value = TEAM_PREFIX.sub("", value).strip()
        value = TEAM_SUFFIX.sub("", value).strip(" .,:;-–|")
    if value.lower() in NOT_A_COMPANY or len(value) < 2 or len(value) > 80:
        return ""
    return value


def _looks_like_person(name: str) -> bool:
    return bool(PERSON_NAME.match(name)) and not re.search(TEAM_WORDS, name, re.IGNORECASE)


def _is_team_sender(parsed: _Parsed, ats: str) -> bool:
    """Mail from an applicant-tracking system or a role address speaks for the company."""
    return bool(ats) or bool(ROLE_ADDRESS.match(parsed.from_address.partition("@")[0]))


def _person_in_display_name(name: str) -> str:
    if _looks_like_person(name):
        return name
    # "Dana Whitfield | Fabrikam" or "Dana Whitfield at Fabrikam"
    split = re.split(r"\s+(?:at|@|bei|from|von|\||–|-)\s+", name, maxsplit=1)
    if len(split) == 2 and _looks_like_person(split[0]):
        return split[0]
    return ""


def _company(parsed: _Parsed, body: str, subject: str, ats: str, domain: str) -> str:
    """Company: a team's display name, then the body's wording, then the subject, then the domain."""
    name = parsed.from_name
    ats_name = (ats or "").lower()
    if name:
        person = "" if _is_team_sender(parsed, ats) else _person_in_display_name(name)
        rest = name if not person else name[len(person) :]
        rest = re.sub(r"^\s*(?:at|@|bei|from|von|\||–|-)\s+", "", rest)
        cleaned = _clean_company(rest) if rest.strip() else ""
        if cleaned and cleaned.lower() != ats_name:
            return cleaned
    for pattern in COMPANY_IN_TEXT:
        for match in pattern.finditer(body):
            legal = LEGAL_FORM_AT.match(body, match.end(1))
            cleaned = _clean_company(body[match.start(1) : legal.end() if legal else match.end(1)])
            if cleaned and cleaned.lower() != ats_name:
                return cleaned
    for pattern in COMPANY_IN_SUBJECT:
        match = pattern.search(subject)
        if match:
            cleaned = _clean_company(subject[match.start(1) : match.end()])
            if cleaned and cleaned.lower() != ats_name:
                return cleaned
    if domain and not ats and domain not in FREEMAIL_DOMAINS:
        labels = domain.split(".")
        # mail.fabrikam.co.uk -> fabrikam: the label before the public suffix.
        if len(labels) >= 3 and labels[-2] in ("co", "com", "org", "ac", "gv"):
            core = labels[-3]
        else:
            core = labels[-2] if len(labels) >= 2 else labels[0]
        if core and core not in ("mail", "email", "jobs", "careers"):
            return core[:1].upper() + core[1:]
    return ""


def _clean_role(value: str) -> str:
    value = " ".join(value.split()).strip(" .,:;-–|\"'“”")
    value = ROLE_TAIL.sub("", value).strip(" .,:;-–|")
    # A requisition number is the posting's, not the role's: "(R-10293)", "REQ-77".
    value = re.sub(r"\s*\(?\b(?:R|REQ|JR|ID|Job ID)[-_ #]?\d{2,}\)?\s*$", "", value).strip()
    if value.endswith(")") and value.count("(") < value.count(")"):
        value = value[:-1].strip()
    if not value or value in ROLE_STOPWORDS or value.split()[0] in ROLE_STOPWORDS:
        return ""
    if len(value) > 100 or len(value) < 2:
        return ""
    return value


def _role(body: str, subject: str, company: str) -> str:
    key = _key(company)
    for pattern in ROLE_IN_SUBJECT:
        match = pattern.search(subject)
        if match:
            role = _clean_role(match.group(1))
            if role and _key(role) != key:
                return role
    flat = " ".join(body.split())
    for pattern in ROLE_IN_TEXT:
        for match in pattern.finditer(flat):
            role = _clean_role(match.group(1))
            if role and _key(role) != key:
                return role
    return ""


def _key(value: str) -> str:
    return re.sub(r"[\W_]+", "", value.lower())


def _contact(parsed: _Parsed, body: str, ats: str, company: str) -> tuple[str, str]:
    """Who sent it: a person's display name, else the name that signs the text."""
    team_sender = _is_team_sender(parsed, ats)
    person = "" if team_sender else _person_in_display_name(parsed.from_name)
    if _key(person) == _key(company):
        person = ""
    if not person:
        person = _signature_name(body, company)
    email_address = ""
    if parsed.from_address and not team_sender:
        email_address = parsed.from_address
    elif (
        parsed.reply_to
        and not ROLE_ADDRESS.match(parsed.reply_to.partition("@")[0])
        and not _ats_name(parsed.reply_to.rpartition("@")[2])
    ):
        email_address = parsed.reply_to
    return person, email_address


def _signature_name(body: str, company: str) -> str:
    """The name under a sign-off ("Best regards," / "Viele Grüße"), else on the last lines."""
    lines = [line.strip() for line in body.splitlines()]

    def person_on(line: str) -> str:
        candidate = line.split(",")[0].split("|")[0].strip()
        candidate = re.sub(r"\s+[-–]\s+.*$", "", candidate)
        if _looks_like_person(candidate) and _key(candidate) != _key(company):
            return candidate
        return ""

    for index, line in enumerate(lines):
        if SIGN_OFF.match(line):
            for following in lines[index + 1 : index + 3]:
                if following:
                    return person_on(following)
            return ""
    last = [line for line in lines if line][-3:]
    for line in last:
        found = person_on(line)
        if found:
            return found
    return ""


_SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?]|$)")


def _reason(body: str) -> str:
    flat = " ".join(body.split())
    for sentence in _SENTENCE.findall(flat):
        if REASON_CUES.search(sentence):
            sentence = sentence.strip()
            if 15 <= len(sentence) <= 400:
                return sentence
    return ""


def _excerpt(flat: str, match: re.Match | None) -> str:
    if match is None:
        return flat[:EXCERPT_CHARS].strip()
    start = max(match.start() - EXCERPT_CHARS // 3, 0)
    piece = flat[start : start + EXCERPT_CHARS].strip()
    return ("…" if start else "") + piece


def addresses_in(value: str) -> list[str]:
    """Every address in a header value such as To or Cc, lower case."""
    return [address.lower() for _, address in getaddresses([value]) if "@" in address]
