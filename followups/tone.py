"""The tone check: what the advice warns against, as one table of rules.

Every rule has an id, a category, why it hurts and a gentler way to say it. Most rules are
word-bounded regular expressions; a few look at the whole message (capitals, exclamation
marks, a missing thank-you, length) and are the same kind of row with a `check` function
instead of patterns. `check_tone` runs the table and returns a `ToneReport`.

Sources (shared/advice): 000 (don't confront, fight back or trash-talk), 002 (never send a
nasty or abusive note; it's fine to say you're disappointed), 003 (overly emotional replies,
being too persistent or aggressive, demanding answers, "I believe I was a better fit than the
selected candidate", keep it concise, always say thank you; allow a week or two for a reply),
004 (don't reply in the heat of the moment; short friendly replies).
"""

from __future__ import annotations

import functools
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
    DEADLINE = "deadline"
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
    Category.DEADLINE: "A deadline or an ultimatum",
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


# --- phrase pieces the comparing and deadline rules share ----------------------------------
# Plain strings, joined into the rules' patterns below. A "'" in them also matches "’" (see
# Rule), so none of them puts an apostrophe inside a [character class].

_GAP_WORD = r"(?:\w|'|-)+"
# "Up to n words" before the next piece, as few as will do.
_GAP2, _GAP3, _GAP4, _GAP8 = (rf"(?:{_GAP_WORD} ){{0,{n}}}?" for n in (2, 3, 4, 8))
# Up to n words of one clause: the gap never crosses "if", "when", "and"..., so "let me know
# if you'd like to meet tomorrow" is not read as "let me know ... tomorrow".
_CLAUSE_WORD = (
    r"(?:(?!(?:if|whether|when|whenever|what|how|about|who|which|and|or|but|so)\b)"
    rf"{_GAP_WORD},? )"
)
_CLAUSE4, _CLAUSE5 = (rf"{_CLAUSE_WORD}{{0,{n}}}?" for n in (4, 5))

# Who the person might measure themselves against: the candidate they chose, or everyone.
_CAND_NOUN = (
    r"(?:candidates?|applicants?|hires?|recruits?|person|people|one|guy|girl|woman|man|lady"
    r"|finalists?|individuals?|contenders?|pick|choice|employee|starter|team member)"
)
# "the person you hired", "whoever got it": the verb belongs to the phrase that is flagged.
_CHOSE = (
    r"(?: (?:hired|chose|chosen|picked|selected|preferred|took|appointed|interviewed|went with"
    r"|ended up with|decided on|got(?: (?:it|the (?:job|role|offer|position)))?)\b)"
)
_THE_OTHER = (
    r"(?:(?:the|your|that|this|their|whichever) (?:(?:other|selected|successful|chosen|winning"
    rf"|new|final|eventual|preferred|lucky|external|internal|actual) )+{_CAND_NOUN}\b"
    r"|(?:the|your|that) (?:person|candidate|applicant|one|guy|girl|woman|man|individual"
    rf"|people|candidates|applicants) (?:you|who|that|whom|they|she|he)\b{_CHOSE}?"
    rf"|(?:the|your) (?:new )?hire\b|(?:whoever|whomever)(?: (?:you|they)\b)?{_CHOSE}?"
    r"|someone else\b|somebody else\b|other (?:candidates|applicants|finalists)\b"
    r"|the rest of the (?:candidates|applicants|shortlist|field)\b)"
)
# ... and in a "than ..." also pronouns and "anyone": "better than them", "than anyone".
_OTHER = (
    rf"(?:{_THE_OTHER}|them\b|him\b|her\b|they\b|anyone(?: else)?\b|anybody(?: else)?\b"
    r"|everyone(?: else)?\b|everybody(?: else)?\b|any other (?:candidate|applicant|person)\b"
    r"|most (?:other )?(?:candidates|applicants|people)\b)"
)
# What one claims to have more of. Not "prepared" or "confident": "better prepared than last
# time" is growth, not a comparison.
_MERIT = (
    r"(?:qualified|experienced|skilled|capable|competent|suited|suitable|talented|knowledgeable"
    r"|accomplished|seasoned|deserving|worthy|committed|dedicated|passionate|good|strong|smart"
    r"|able|fit|right for)"
)
_NOT = (
    r"(?:can't|cannot|can not|couldn't|could not|isn't|is not|wasn't|was not|won't|will not"
    r"|doesn't|does not|didn't|did not|hasn't|has not|haven't|have not|aren't|are not|never"
    r"|is hardly|can hardly|could hardly|(?:is |was |are )?nowhere near|(?:is |was )?not nearly)"
)
_BETTER_ONE = (
    r"(?:better|stronger|best|strongest|superior|obvious|clear|(?:more|most) "
    rf"{_MERIT}) (?:\w+ )?(?:candidate|fit|person|choice|applicant|match|option|hire|pick|one)\b"
)

# A reply, and the ways of asking for one.
_REPLY_NOUN = r"(?:response|reply|answer|explanation|decision|feedback|update|reasons?|word)"
# What the reader is asked to do ("please reply", "could you let me know") ...
_REPLY_VERB = (
    r"(?:reply|respond|answer|get back(?: to me)?|write back|come back to me|revert"
    r"|let me know|confirm|decide|explain(?: yourselves| yourself)?|call me|contact me"
    rf"|e-?mail me|(?:send|provide|give)(?: me)?(?: with)? {_GAP3}{_REPLY_NOUN})"
)
_ASKING = (
    r"(?:please|kindly|pls|you (?:must|need to|have to|should|will need to|'ll need to"
    r"|are (?:expected|required) to|had better)|I(?: \w+ly| still| just| do)? (?:expect|need"
    r"|want|ask|require|would like|'d like) you to|(?:could|can|would|will) you(?: please"
    r"| kindly)?|(?:if )?you (?:could|can|would)|make sure (?:you |to )|be sure to)"
)
# ... and what the writer wants to get ("I need to hear back", "I expect to know"); not "I'd
# like to confirm my availability by Friday", which is the writer's own doing.
_HEARING = (
    r"(?:hear(?:ing)? (?:back|from you|anything|something|a word)(?: from you)?|know"
    rf"|(?:get|receive|have) (?:a|an|your|some|the) {_GAP2}{_REPLY_NOUN})"
)
_WANTING = (
    r"(?:I(?: \w+ly| still| just| do)? (?:need|want|expect|hope|would like|'d like|must"
    r"|'ll need|will need|have) to|I(?:'m| am)? look(?:ing)? forward to)"
)
_AWAITING = (
    r"(?:I(?:'ll| will| shall)? (?:expect|need|want|require|await|demand)|I(?:'m| am)"
    r" (?:expecting|awaiting)|I(?:'ll| will) be (?:expecting|awaiting|waiting for|looking for)"
    r"|I(?:'d| would) (?:like|appreciate|need|want)|I must (?:have|receive|get)"
    r"|I(?:'m| am)? look(?:ing)? forward to|(?:please|kindly) (?:send|provide|give|share)"
    r"(?: me)?(?: with)?|(?:can|could|would|will) (?:you|I) (?:please )?(?:have|get|send|give"
    r"|provide)(?: me)?)"
)
_DAY = (
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat"
    r"|sun)\b\.?)"
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_AMOUNT = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|ten|fourteen|a few|a couple of"
    r"|twenty-four|forty-eight|seventy-two)"
)
_SPAN = r"(?:hours?|hrs?|h|days?|business days?|working days?|weeks?)"
_CLOCK = r"\d{1,2}(?::\d\d)? ?(?:[ap]\.?m\b\.?|o'clock)|\d{1,2}:\d\d"
_MOMENT = (
    rf"(?:(?:this |next |the coming |coming )?{_DAY}(?: \d{{1,2}}(?: {_MONTH})?)?"
    rf"(?: (?:morning|afternoon|evening|night|noon|at (?:{_CLOCK}|\d{{1,2}})))?"
    r"|(?:the )?end of (?:the |this |next )?(?:day|week|business day|working day|month|today"
    r"|tomorrow)|close of (?:business|play|day)|eod|cob|eow|noon|midday|midnight|tonight|today"
    r"|tomorrow(?: (?:morning|afternoon|evening|night))?|this (?:week|afternoon|evening)"
    rf"|next week|the weekend|{_CLOCK}|(?:the )?\d{{1,2}}(?:st|nd|rd|th)(?: of {_MONTH})?"
    rf"|\d{{1,2}} {_MONTH}\b|{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?\b)"
)
# "by Friday", "within 48 hours", "before the weekend" ...
_BY_WHEN = (
    rf"(?:(?:by|before|until|till|no later than|not later than) {_MOMENT}(?!\w|')"
    rf"|(?:within|in|in the next|inside of|over the next) (?:the next )?{_AMOUNT} ?{_SPAN}\b"
    r"|within the (?:week|day|hour)\b)"
)
# ... or "today", "immediately".
_DEADLINE = (
    rf"(?:{_BY_WHEN}|(?:today|tonight|tomorrow)\b|asap\b|immediately\b|right away\b"
    r"|straight away\b|urgently\b|without (?:further )?delay\b|at once\b)"
)
_SENTENCE_START = r"(?:^|(?<=[.!?;:\n])|(?<=[.!?;:\n] )|(?<=[.!?;:\n]  ))"
_I_WILL = r"I(?:'ll| will| shall|'m going to| am going to)"
_FORCED = r"(?:have (?:no choice but )?to |be forced to |need to )?"


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
    # the selected candidate" as what not to send; 000: don't argue with their reasoning.
    # "the successful candidate" alone is gracious (002), and so are "better prepared than last
    # time" and 000's own question "why another candidate was better suited", so not here.
    Rule(
        id="comparing",
        category=Category.COMPARING,
        patterns=(
            # "I was the better fit", "I'd have been a stronger candidate than ...".
            r"\bI(?: was|'d have been| would have been|'d have made| would have made"
            r"| could have been| should have been)(?: \w+ly| by far| still| so)* (?:a|the)"
            rf" (?:much |far |way |so much )?{_BETTER_ONE}(?: (?:for (?:the|this|that)"
            rf" (?:role|job|position|team) )?than {_OTHER})?",
            # "I'm clearly the strongest applicant": the present needs "the".
            rf"\bI(?:'m| am)(?: \w+ly| by far| still)* the {_BETTER_ONE}",
            # "more experienced than whoever got it", "a better match for this role than the
            # person you chose", "I have far more experience than them".
            r"\b(?:I(?:'m| am| was|'d be| would be|'d have been| would have been| have| had"
            r"|'ve|'d have done| would have done| could do| can do| know| bring)(?: \w+ly)? )?"
            r"(?:an? )?(?:(?:far|much|way|a lot|vastly|significantly|clearly|obviously|easily"
            rf"|miles|even|considerably) )?(?:(?:more|less) {_GAP3}{_GAP_WORD}"
            rf"|better(?: {_GAP_WORD}){{0,4}}?|stronger(?: \w+)?|smarter|sharper|superior)"
            rf" than {_OTHER}",
            # "more qualified than required" claims too much, even with no one named.
            r"\bmore qualified than\b",
            rf"\bsuperior to (?:those of |that of )?{_OTHER}",
            rf"\b(?:twice|three times|ten times|just|every bit|at least|equally) as {_MERIT}"
            rf" as {_OTHER}",
            r"\b(?:hired|chose|picked|selected|preferred|went with) (?:\w+ ){0,3}over me\b",
            rf"\bout(?:perform|shine|class|rank|match|do|qualif\w*|smart)\w* {_THE_OTHER}",
            # "no one you interviewed knows this better than I do".
            r"\b(?:no one|nobody|no other (?:candidate|applicant|person)|none of (?:the|your)"
            rf" other (?:candidates|applicants))(?: else)? {_GAP8}(?:better|as well"
            rf"|as {_MERIT}) (?:than|as) (?:me|myself|I)\b",
            # "it should have been me", "I deserved the role more than anyone".
            r"\b(?:it|the (?:job|role|position|offer)) should(?:'ve| have) (?:been|gone to"
            r"|come to) me\b",
            r"\bI should(?:'ve| have) (?:been (?:hired|chosen|picked|selected|the one)"
            r"|got(?:ten)? (?:the|this|that) (?:job|role|position|offer))\b",
            r"\bI deserved (?:the|this|that) (?:job|role|position|offer)"
            rf"(?: more(?: than {_OTHER})?)?",
        ),
        why="Comparing yourself with the person they chose reads as arguing with the decision, "
        "and you can't know how the two of you compared.",
        suggestion='Talk about what you bring, not about them: "I believe my experience in … '
        "would be an asset to your team, and I'd be glad to be considered again.\"",
    ),
    Rule(
        id="doubting-the-hire",
        category=Category.COMPARING,
        patterns=(
            # "the person you hired can't be as qualified", "your new hire is nowhere near as
            # experienced as I am".
            rf"\b{_THE_OTHER} {_GAP4}{_NOT} {_GAP3}(?:as|so|half as|anywhere near as"
            rf"|remotely as) (?:\w+ )?{_MERIT}\b(?: as (?:me|myself|I am|I was|I)\b)?",
            # "whoever got the job can't know the product as well as me".
            rf"\b{_THE_OTHER} {_GAP4}{_NOT} {_GAP4}(?:as well as|better than)"
            r" (?:me|myself|I)\b",
            # "the other candidate doesn't have half my experience".
            rf"\b{_THE_OTHER} {_GAP4}{_NOT} (?:even )?(?:have|bring|offer)"
            r" (?:(?:half|nearly|anywhere near|even) )?(?:my|what I"
            r"|as much (?:experience|knowledge|expertise))\b",
            r"\b(?:has|have|had) nothing on me\b",
            r"\bno match for me\b",
            r"\b(?:can't|cannot|can not|couldn't) (?:compete|compare) with me\b",
            r"\bhold a candle to me\b",
            rf"\bI doubt (?:that )?{_THE_OTHER}",
            rf"\b(?:there's |there is )?no way {_THE_OTHER}",
            # "you hired someone less qualified", "you picked the wrong person".
            r"\b(?:hired|chose|chosen|picked|selected|went with|settled for|preferred) (?:the"
            r" wrong (?:person|candidate|applicant|one|guy|woman|man|hire|people)|(?:a |an"
            r" |someone |somebody )?(?:(?:far|much|way|clearly|obviously) )?(?:less|worse"
            r"|weaker|inferior|lesser) (?:\w+ )?(?:candidate|applicant|person|hire|one"
            r"|qualified|experienced|skilled|capable)\b|second[- ]best)",
            rf"\b(?:less|worse|weaker|not as|not nearly as|nowhere near as|half as) {_MERIT}"
            r" (?:than|as) (?:me|myself|I am|I was)\b",
        ),
        why="Doubting the person they hired sounds bitter, and the team will hear it as a "
        "judgement of their own choice, and of a new colleague.",
        suggestion="Wish them well instead: \"I hope the new person settles in well; I'd love "
        'to be considered if another opening comes up."',
    ),
    # Deadlines and ultimatums. 003: "Being Too Persistent or Aggressive"; allow a week or two
    # for a reply, then one polite follow-up. 000: never demand answers.
    Rule(
        id="reply-deadline",
        category=Category.DEADLINE,
        patterns=(
            # "please reply within 48 hours", "could you let me know your decision today".
            rf"\b{_ASKING} (?:\w+ ){{0,2}}?{_REPLY_VERB},? {_CLAUSE5}{_DEADLINE}",
            # "I need to hear back by Monday". The gap is only "from you": "I hope to have an
            # update on my course by Friday" is news the writer will bring.
            rf"\b{_WANTING} (?:\w+ )?{_HEARING}(?: from \w+)?,? {_DEADLINE}",
            # "Get back to me by Monday." as a sentence of its own.
            rf"{_SENTENCE_START}{_REPLY_VERB},? {_CLAUSE5}{_DEADLINE}",
            # "I expect a detailed response by Friday", "I look forward to your reply today".
            rf"\b{_AWAITING} {_GAP3}{_REPLY_NOUN},? {_CLAUSE4}{_DEADLINE}",
            # "a reply within 24 hours is expected".
            rf"\b{_REPLY_NOUN} {_DEADLINE} (?:is|would be|will be) (?:expected|required|needed"
            r"|necessary)\b",
            rf"\byou have (?:until|till|{_AMOUNT} (?:more )?{_SPAN}\b)(?: \w+)? to\b",
            rf"\bgiv(?:e|ing) you (?:until|till|{_AMOUNT} (?:more )?{_SPAN}\b)",
            r"\b(?:this|it) is (?:urgent|time[- ]sensitive)\b",
        ),
        why="A deadline on a reply pressures people who owe you nothing further and may not "
        "be allowed to share reasons; it reads as aggressive, and often gets no answer at all.",
        suggestion="Leave the timing to them: \"Whenever you have a moment, I'd be grateful "
        'for any feedback." If nothing comes, one friendly follow-up after a week or two.',
    ),
    Rule(
        id="ultimatum",
        category=Category.DEADLINE,
        patterns=(
            # "if I don't hear back by Monday", "unless you reply within two days"; not "even if
            # you don't receive feedback immediately".
            rf"\b(?:if|unless|should) (?:I|you|there)(?: {_GAP_WORD}){{0,3}}? (?:hear|heard|get"
            r"|got|receive|received|reply|respond|answer|get back|write back|response|word|news"
            rf"|let me know|contact me|call me|explain)\b,? {_CLAUSE4}{_BY_WHEN}",
            # "otherwise I'll have to take this further".
            r"\b(?:otherwise|if not|failing (?:that|which|this)|or),? I(?:'ll| will| shall"
            r"|'m going to| am going to| have to| must| may have to| will have to|'ll have to)"
            rf" {_FORCED}(?:escalate|take (?:this|it|the matter|things|legal|further|action)"
            r"|go (?:over your head|to your|public)|contact (?:your|the) \w+|report|complain"
            r"|file|post|publish|assume|withdraw|involve|pursue|tell|speak to (?:your|a|my) \w+"
            r"|get (?:a|my) lawyer)\b",
            r"\bor else\b",
            rf"\b{_I_WILL} {_FORCED}(?:escalate (?:this|it|the matter)|take (?:this|it"
            r"|the matter) (?:further|higher|up|elsewhere)|take legal|go over your head"
            r"|contact (?:your|the) (?:manager|boss|ceo|director|supervisor|superior|legal team"
            r"|board|head of \w+))\b",
            r"\b(?:leaves?|leaving) me no (?:other )?choice\b",
            r"\bI have no (?:other )?choice but\b",
            r"\b(?:this is|consider this)(?: my| your| a| the)? (?:final|last) (?:warning|notice"
            r"|chance|request|reminder|attempt)\b",
        ),
        why='An "or else" turns a polite note into a confrontation; the decision is made, and '
        "a threat can rule you out of future roles there.",
        suggestion="Drop the condition and the consequence. Thank them, ask once, and leave "
        "the door open: that is the message they will remember.",
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
    """Run every rule over `text`; `kind` is a FollowUp kind ("linkedin" limits characters).

    The report depends on nothing but the text and the kind, and is immutable: the reports of
    the last texts checked are kept, so a draft is checked again only when its text changes
    (the dashboard shows the same drafts on every visit)."""
    return _checked(text or "", kind)


@functools.lru_cache(maxsize=512)
def _checked(text: str, kind: str | None) -> ToneReport:
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
