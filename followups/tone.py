"""The tone check: what the advice warns against, as one table of rules.

Every rule has an id, a category, why it hurts and a gentler way to say it. Most rules are
word-bounded regular expressions; a few look at the whole message (capitals, exclamation
marks, a missing thank-you, length) and are the same kind of row with a `check` function
instead of patterns. `check_tone` runs the table and returns a `ToneReport`.

Sources (shared/advice): 000 (don't confront, fight back or trash-talk), 002 (never send a
nasty or abusive note; it's fine to say you're disappointed), 003 (overly emotional replies,
being too persistent or aggressive, demanding answers, keep it concise, always say thank
you), 004 (don't reply in the heat of the moment; short friendly replies).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from followups import rules as followup_rules
from followups.rules import LINKEDIN_NOTE_MAX_CHARS

# LinkedIn refuses connection notes longer than this; the number lives in the rule table.
LINKEDIN_CHAR_LIMIT = LINKEDIN_NOTE_MAX_CHARS
# "Keep it concise: a few short paragraphs" (003). 250 words is about a minute's reading.
EMAIL_WORD_LIMIT = 250
# One "!" is friendly ("I hope to stay in touch!" is in 003's samples); three read as shouting.
EXCLAMATION_LIMIT = 2

# Short all-caps words that are names of things, not shouting. Words of two or three letters
# are skipped anyway unless a longer capital word shouts next to them.
ACRONYMS = frozenset(
    {
        "AI",
        "API",
        "APIS",
        "AWS",
        "AZURE",
        "B2B",
        "B2C",
        "BA",
        "BI",
        "BSC",
        "CAD",
        "CCNA",
        "CEO",
        "CFO",
        "CISSP",
        "CMO",
        "COO",
        "CPA",
        "CRM",
        "CSS",
        "CTO",
        "CV",
        "CVS",
        "DBA",
        "DEI",
        "DEVOPS",
        "DNS",
        "EU",
        "EMEA",
        "ERP",
        "ETL",
        "FAQ",
        "GCP",
        "GDPR",
        "GIS",
        "GPU",
        "HR",
        "HTML",
        "HTTP",
        "HTTPS",
        "IBM",
        "ID",
        "IOS",
        "IP",
        "IT",
        "JSON",
        "JS",
        "KPI",
        "KPIS",
        "LLC",
        "LLM",
        "LTD",
        "MBA",
        "ML",
        "MSC",
        "MVP",
        "NASA",
        "NHS",
        "NLP",
        "NYC",
        "OKR",
        "OKRS",
        "PDF",
        "PHD",
        "PHP",
        "PM",
        "PMP",
        "PR",
        "QA",
        "REST",
        "ROI",
        "SAAS",
        "SAP",
        "SDK",
        "SEO",
        "SLA",
        "SQL",
        "SRE",
        "SSO",
        "TCP",
        "UI",
        "UK",
        "UN",
        "UNIX",
        "URL",
        "US",
        "USA",
        "UX",
        "VP",
        "VPN",
        "XML",
    }
)


class Category(StrEnum):
    EMOTIONAL = "emotional"
    ACCUSING = "accusing"
    DEMANDING = "demanding"
    COMPARING = "comparing"
    TRASH_TALK = "trash_talk"
    PROFANITY = "profanity"
    SHOUTING = "shouting"
    MISSING_THANKS = "missing_thanks"
    TOO_LONG = "too_long"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS = {
    Category.EMOTIONAL: "Emotional outburst",
    Category.ACCUSING: "Arguing with the decision",
    Category.DEMANDING: "Demanding reasons",
    Category.COMPARING: "Comparing yourself with the other candidate",
    Category.TRASH_TALK: "Trash-talking",
    Category.PROFANITY: "Profanity",
    Category.SHOUTING: "Shouting",
    Category.MISSING_THANKS: "No thank-you",
    Category.TOO_LONG: "Too long to be read",
}


@dataclass(frozen=True)
class Hit:
    """Where a rule matched: a span of the text, or the whole message (start is None)."""

    phrase: str = ""
    start: int | None = None
    end: int | None = None
    detail: str = ""


@dataclass(frozen=True)
class Rule:
    id: str
    category: Category
    why: str
    suggestion: str
    patterns: tuple[str, ...] = ()
    # Whole-message rules: (text, kind) -> where it hurts.
    check: Callable[[str, str | None], list[Hit]] | None = None
    compiled: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Curly apostrophes are common in pasted and phone-typed text ("can’t").
        sources = tuple(p.replace("'", "['’]") for p in self.patterns)
        object.__setattr__(self, "compiled", tuple(re.compile(s, re.IGNORECASE) for s in sources))

    def hits(self, text: str, kind: str | None) -> Iterator[Hit]:
        for pattern in self.compiled:
            for match in pattern.finditer(text):
                yield Hit(match.group(0), match.start(), match.end())
        if self.check is not None:
            yield from self.check(text, kind)


@dataclass(frozen=True)
class ToneFlag:
    rule_id: str
    category: Category
    phrase: str  # exactly as written in the text; empty for whole-message rules
    why: str
    suggestion: str
    start: int | None = None
    end: int | None = None
    detail: str = ""  # for whole-message rules: what was measured ("312 words")

    @property
    def category_label(self) -> str:
        return self.category.label


@dataclass(frozen=True)
class ToneReport:
    text: str
    kind: str | None
    flags: tuple[ToneFlag, ...]

    @property
    def ready(self) -> bool:
        return not self.flags

    @property
    def summary(self) -> str:
        if self.ready:
            return "Ready to send"
        n = len(self.flags)
        return f"{n} thing{'s' if n != 1 else ''} to look at before sending"


# --- whole-message checks -------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# What may stand between two capital words of one run: spaces, commas, dashes; a sentence
# end (. ! ? or a new line) ends the run, so each shouted sentence is its own flag.
_RUN_GAP = re.compile(r"[^\w.!?\n]*")


def count_words(text: str) -> int:
    return len(re.findall(r"\S+", text))


def _is_acronym(word: str) -> bool:
    return word.replace("’", "'").split("'")[0].upper() in ACRONYMS


def _shouting(text: str, kind: str | None) -> list[Hit]:
    """Runs of capital words with at least two loud words, one of them four letters or more.

    "I AM SO ANGRY" and "NOT FAIR" shout; "SQL, AWS and a CV" and a lone "NVIDIA" do not.
    """
    hits: list[Hit] = []
    run: list[re.Match[str]] = []

    def close_run() -> None:
        loud = [m.group(0) for m in run if len(m.group(0)) >= 2 and not _is_acronym(m.group(0))]
        if len(loud) >= 2 and any(len(w) >= 4 for w in loud):
            # Report the shouted words, not an acronym that happens to sit at either end.
            words = list(run)
            while _is_acronym(words[0].group(0)):
                words.pop(0)
            while _is_acronym(words[-1].group(0)):
                words.pop()
            start, end = words[0].start(), words[-1].end()
            hits.append(Hit(text[start:end], start, end))
        run.clear()

    for match in _WORD.finditer(text):
        word = match.group(0)
        is_caps = word.isupper() and (len(word) >= 2 or word in ("I", "A"))
        if is_caps and run and not _RUN_GAP.fullmatch(text[run[-1].end() : match.start()]):
            close_run()
        if is_caps:
            run.append(match)
        elif run:
            close_run()
    if run:
        close_run()
    return hits


_MARKS = re.compile(r"[!?]*![!?]*")
_WORD_BEFORE = re.compile(r"[^\W_]*$")


def _exclamation_runs(text: str, kind: str | None) -> list[Hit]:
    """More than one mark in a row, with at least one "!": "!!", "?!", "!!!".

    The phrase includes the word before the marks ("unfair!!!" rather than "!!!"). The word
    is found by looking back from each run, not by the pattern itself: a pattern starting
    with "any letters" would rescan a long word from every position.
    """
    hits = []
    for match in _MARKS.finditer(text):
        if len(match.group(0)) < 2:
            continue
        start = match.start()
        word = _WORD_BEFORE.search(text[max(0, start - 60) : start])
        start -= len(word.group(0)) if word else 0
        hits.append(Hit(text[start : match.end()], start, match.end()))
    return hits


def _many_exclamations(text: str, kind: str | None) -> list[Hit]:
    # A run ("!!!") counts once here; the run itself is the rule above.
    n = len(re.findall(r"[!?]*![!?]*", text))
    if n <= EXCLAMATION_LIMIT:
        return []
    return [Hit(detail=f"{n} exclamation marks")]


_THANKS = re.compile(
    r"\b(?:thanks?|thanked|thankful|thanking|thank-you|grateful|gratitude|appreciate[sd]?"
    r"|appreciating|appreciation|appreciative)\b",
    re.IGNORECASE,
)


def _missing_thanks(text: str, kind: str | None) -> list[Hit]:
    return [] if _THANKS.search(text) else [Hit(detail="no thank-you")]


def _too_long(text: str, kind: str | None) -> list[Hit]:
    rule = followup_rules.RULES.get(kind or "")
    if rule is not None and rule.linkedin:
        n = len(text.strip())
        if n > LINKEDIN_CHAR_LIMIT:
            return [Hit(detail=f"{n} characters; LinkedIn allows {LINKEDIN_CHAR_LIMIT}")]
        return []
    n = count_words(text)
    if n > EMAIL_WORD_LIMIT:
        return [Hit(detail=f"{n} words; aim for under {EMAIL_WORD_LIMIT}")]
    return []


# --- the table ------------------------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    # Emotional outbursts. 003: "Overly emotional responses"; 004: "don't reply in the heat
    # of the moment". Disappointment is fine (002, 003), so "disappointed" is not here.
    Rule(
        id="cant-believe",
        category=Category.EMOTIONAL,
        patterns=(r"\bI (?:just |really |still )?(?:can't|cannot|can not) believe\b",),
        why="Disbelief reads as shock and frustration, written in the heat of the moment.",
        suggestion="I was disappointed to hear the news, and I appreciate you letting me know.",
    ),
    Rule(
        id="strong-feelings",
        category=Category.EMOTIONAL,
        patterns=(
            r"\b(?:I'm|I am|I was|I feel|I felt|I'm feeling)\s+(?:so |really |very |absolutely"
            r" |completely |totally |just )?(?:furious|livid|outraged|angry|enraged|disgusted"
            r"|devastated|heartbroken|crushed|gutted|humiliated|insulted|offended|frustrated)\b",
            r"\bsick of\b",
            r"\bfed up\b",
            # Not "I hate to bother you", which is a polite idiom.
            r"\bI hate (?:you|this|that|it|your|the way)\b",
        ),
        why="Strong feelings put the reader on the defensive; they can't change the decision.",
        suggestion='Name it gently, if at all: "While I\'m disappointed, I enjoyed the process."',
    ),
    Rule(
        id="ridiculous",
        category=Category.EMOTIONAL,
        patterns=(
            r"\b(?:ridiculous|absurd|outrageous|a disgrace|a farce)\b",
            # "unbelievable" alone can be praise ("an unbelievable team").
            r"\b(?:this|that|it) (?:is|was|'s) (?:so |just |absolutely |completely |totally )?"
            r"(?:insane|unbelievable|a joke)\b",
            r"\bhow could you\b",
            r"\byour loss\b",
        ),
        why="An outburst about the decision leaves a lasting bad impression with the reader.",
        suggestion="Thank you for letting me know. I hope we stay in touch.",
    ),
    # Accusing or arguing with the decision. 000: "never argue with them about their
    # reasoning"; 003: "This is so unfair!" as what not to send.
    Rule(
        id="unfair",
        category=Category.ACCUSING,
        patterns=(r"\bunfair(?:ly)?\b", r"\bnot fair\b", r"\bunjust(?:ified)?\b"),
        why="Calling the decision unfair argues with it; the hiring team has already decided.",
        suggestion="I respect your decision, and I'd welcome the chance to be considered again.",
    ),
    Rule(
        id="you-made-a-mistake",
        category=Category.ACCUSING,
        patterns=(
            r"\byou(?:'ve| have|'re| are)?(?: (?:clearly|obviously|really|definitely|just))?"
            r" (?:made|making) a (?:big |huge |serious |terrible"
            r" |grave )?mistake\b",
            r"\b(?:wrong|bad|poor|terrible) (?:decision|choice|call)\b",
            r"\byou(?:'ll| will) regret\b",
            r"\byou(?:'re| are) (?:wrong|mistaken)\b",
            r"\breconsider (?:your|the|this) decision\b",
            r"\byou (?:should|ought to) have (?:hired|chosen|picked|selected) me\b",
            r"\bdid you (?:even|actually) (?:read|look at|listen)\b",
            r"\byou (?:clearly |obviously )?(?:didn't|did not|never) (?:even )?"
            r"(?:read|look at|listen|bother)\b",
        ),
        why="Telling them they got it wrong argues with a decision they won't reopen, and "
        "closes the door for later.",
        suggestion="I understand, and I'd be glad to be considered for future openings.",
    ),
    # Demanding reasons. 000: "never demand answers"; 003: "Instead of demanding answers,
    # approach the situation with humility".
    Rule(
        id="demanding",
        category=Category.DEMANDING,
        patterns=(
            r"\bI (?:demand|insist)\b",
            r"\byou owe me\b",
            r"\bI deserve (?:an? |some )?(?:explanation|answer|reason|response|better)\b",
            r"\bI expect (?:an? |some )?(?:explanation|answer|reason|response|reply)\b",
            r"\b(?:explain|tell me|justify) (?:exactly )?why I (?:wasn't|was not|didn't|did not)\b",
            r"\bI (?:don't|do not) understand why I (?:wasn't|was not|didn't|did not)(?: \w+)?",
            r"\b(?:provide|give) me (?:with )?(?:the |specific |exact |a |your )?"
            r"(?:reasons?|explanation|justification)\b",
            r"\bwhy (?:wasn't I|was I not|didn't I get|did I not get)\b",
        ),
        why="Many employers can't share reasons; demanding them pressures the reader and can "
        "get you ruled out of future roles.",
        suggestion="If you're able to share any feedback, I'd be grateful: it would help me "
        "improve.",
    ),
    # Comparing oneself with the chosen candidate. 003: "I believe I was a better fit than
    # the selected candidate." "the successful candidate" alone is gracious, so not here.
    Rule(
        id="comparing",
        category=Category.COMPARING,
        patterns=(
            r"\bmore qualified than\b",
            # "more experienced than when we spoke" is fine; than *someone* is comparing.
            r"\b(?:more|better) (?:experienced|skilled|capable|competent|suited|qualified) than"
            r" (?:the|whoever|them|him|her|they|anyone|any|other|your|those)\b",
            r"\bbetter (?:fit|candidate|choice|match|person) than\b",
            r"\b(?:I was|I'm|I am) (?:clearly |obviously |definitely |by far |easily )?"
            r"the (?:best|strongest|most qualified) (?:candidate|fit|person|choice"
            r"|applicant)\b",
            r"\b(?:I was|I'm|I am) (?:clearly |obviously |far |much |way )?"
            r"(?:better|stronger|smarter) than\b",
            r"\b(?:hired|chose|picked|selected|preferred) (?:\w+ ){0,3}over me\b",
        ),
        why="Comparing yourself with the person they chose reads as arguing, and you can't "
        "know how they compared.",
        suggestion='Talk about what you bring: "I believe my experience in … would be an '
        'asset to your team."',
    ),
    # Trash-talking the company or the interviewer. 000: "Trash Talk The Company".
    Rule(
        id="trash-talk",
        category=Category.TRASH_TALK,
        patterns=(
            r"\b(?:incompetent|clueless|unprofessional|rude|arrogant|idiots?|idiotic|morons?"
            r"|stupid|useless|pathetic|amateurs?|amateurish|toxic|disrespectful)\b",
            r"\b(?:terrible|awful|horrible|worst|disorganized|disorganised|chaotic|sloppy"
            r"|shambolic|broken) (?:interview|process|company|experience|team|recruiter"
            r"|recruiting|hiring|manager|interviewer|culture)s?\b",
            r"\bwaste of (?:my |our |everyone's )?time\b",
            r"\bwasted (?:my|so much|a lot of|all my) time\b",
            r"\byou people\b",
        ),
        why="Running down the company or the people you met is remembered, and people talk "
        "to each other across companies.",
        suggestion="Keep criticism private, and mention one thing you did appreciate.",
    ),
    Rule(
        id="public-threat",
        category=Category.TRASH_TALK,
        patterns=(
            r"\b(?:leave|leaving|write|writing|post|posting) (?:a |an )?(?:bad |negative "
            r"|scathing |honest )?review\b",
            r"\b(?:post|write|share)\w* (?:about )?(?:this|it|you|your company) (?:on|to)"
            r" (?:glassdoor|reddit|twitter|social media)\b",
            r"\b(?:tell|warn) (?:everyone|everybody|people|others)\b",
        ),
        why="A threat to go public ends the relationship and can follow you in your field.",
        suggestion="Leave it out; if something was truly wrong, raise it calmly with HR.",
    ),
    # Profanity: a short list, whole words only (no "class", "assess" or "Scunthorpe").
    # 002 quotes an applicant who replied "F*** you." as what never to do.
    Rule(
        id="profanity",
        category=Category.PROFANITY,
        patterns=(
            r"\b(?:fuck|fucks|fucked|fucker|fucking|motherfucker|shit|shits|shitty|bullshit"
            r"|crap|crappy|damn|damned|dammit|goddamn|asshole|assholes|bitch|bitches|bitchy"
            r"|bastard|bastards|cunt|cunts|wtf|ffs|piss|pissed)\b",
            r"\bscrew (?:you|this|that|it|them)\b",
            r"\bwhat the hell\b",
            # Masked swearing still reads as swearing: "F*** you", "sh*t", "f**king".
            r"\b(?:f|s|sh)[*#@$%]+(?:k|ck|t|ing|king|ed)?(?![\w*#@$%])",
        ),
        why="Swearing in a message to an employer is remembered long after the job is filled.",
        suggestion="Take it out. If you need to vent, write it somewhere private first.",
    ),
    # Shouting. 003: keep a positive, professional tone; capitals and "!!!" read as anger.
    Rule(
        id="all-caps",
        category=Category.SHOUTING,
        check=_shouting,
        why="Words in capitals read as shouting.",
        suggestion="Write it in ordinary case; let the words carry the meaning.",
    ),
    Rule(
        id="exclamation-run",
        category=Category.SHOUTING,
        check=_exclamation_runs,
        why="Several exclamation marks in a row read as shouting or exasperation.",
        suggestion="One full stop, or at most one exclamation mark.",
    ),
    Rule(
        id="many-exclamations",
        category=Category.SHOUTING,
        check=_many_exclamations,
        why="A message full of exclamation marks sounds breathless and over the top.",
        suggestion=f"Keep at most {EXCLAMATION_LIMIT} exclamation marks; full stops read calm.",
    ),
    # 001: say thank you; 003: "Always thank the employer for the opportunity."
    Rule(
        id="no-thanks",
        category=Category.MISSING_THANKS,
        check=_missing_thanks,
        why="A message without a thank-you reads as cold; gratitude is what keeps the door open.",
        suggestion='Start with it: "Thank you for letting me know, and for your time."',
    ),
    # 003: "Keep It Concise: a few well-crafted paragraphs are sufficient."
    Rule(
        id="too-long",
        category=Category.TOO_LONG,
        check=_too_long,
        why="A long message is skimmed or left for later; busy people read a few lines.",
        suggestion="Keep a thank-you, one detail, and the door left open; cut the rest.",
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
assert len(RULES_BY_ID) == len(RULES), "rule ids must be unique"


def _without_overlaps(hits: Iterator[Hit]) -> list[Hit]:
    """One flag per place: when a rule's patterns overlap, keep the earliest, longest match."""
    all_hits = list(hits)
    spans = sorted(
        (h for h in all_hits if h.start is not None), key=lambda h: (h.start, -(h.end or 0))
    )
    kept: list[Hit] = []
    for hit in spans:
        if kept and hit.start < (kept[-1].end or 0):
            continue
        kept.append(hit)
    return kept + [h for h in all_hits if h.start is None]


def check_tone(text: str, *, kind: str | None = None) -> ToneReport:
    """Run every rule over `text`; `kind` is a FollowUp kind ("linkedin" limits characters)."""
    text = text or ""
    flags: list[ToneFlag] = []
    for rule in RULES:
        for hit in _without_overlaps(rule.hits(text, kind)):
            flags.append(
                ToneFlag(
                    rule_id=rule.id,
                    category=rule.category,
                    phrase=hit.phrase,
                    why=rule.why,
                    suggestion=rule.suggestion,
                    start=hit.start,
                    end=hit.end,
                    detail=hit.detail,
                )
            )
    # In reading order; whole-message flags after the phrases.
    flags.sort(key=lambda f: (f.start is None, f.start or 0))
    return ToneReport(text=text, kind=kind, flags=tuple(flags))
