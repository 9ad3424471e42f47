"""The thing feedback named, in the words the person wrote down: "needs more Kafka experience"
gives "Kafka".

A few cue phrases say where the named thing starts ("more …", "experience with …", "lacked
…", "work on …"); the phrase then runs to the end of its clause, and the words around it that
only say *how much* ("more", "the", "experience", "skills") are trimmed. Nothing is guessed:
when no cue matches, or what is left is not a short noun phrase, there is no topic and the
theme's plain goal is proposed. The person's own spelling and capitals are kept.
"""

import re

# Where a named thing starts; the first cue in the text wins.
CUES = re.compile(
    r"""\b(?:
        (?:experience|familiarity|exposure|knowledge|skills?|background|expertise|depth)
            \s+(?:with|in|of|on|around|to)
      | (?:more|deeper|stronger|better|further|additional|hands-on|broader)
      | lack(?:ed|s|ing)?(?:\s+of|\s+in)?
      | (?:not\s+enough|too\s+little|limited|weak(?:er)?\s+(?:in|on|at)|gaps?\s+in)
      | (?:improve|work\s+on|brush\s+up\s+on|practi[sc]e|learn|study|strengthen)
      | (?:nervous|anxious|uncomfortable|hesitant)\s+(?:during|in|about|with|when)
    )\s+(?P<rest>.+)""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
# A clause ends at punctuation or at a word that starts another thought.
CLAUSE_END = re.compile(
    r"[,.;:!?()\[\]\n\"“”]|\s(?:and|but|or|which|who|that|than|because|so|for|to|when|if|as|"
    r"compared|though|although|while|since|about|in|at|during|within)\s",
    re.IGNORECASE,
)
# Words that only say how much, or whose; trimmed from the front of the phrase.
LEADING = {
    "a", "an", "the", "your", "his", "her", "their", "our", "my", "more", "some", "any",
    "much", "real", "solid", "deeper", "stronger", "better", "further", "additional",
    "hands-on", "broader", "of", "with", "in", "on", "around", "at", "experience", "skills",
    "skill", "knowledge", "exposure", "familiarity", "background", "expertise", "depth",
    "practical", "professional", "production", "commercial", "relevant", "direct",
}  # fmt: skip
# Words that say what kind of having it is; trimmed from the end.
TRAILING = {
    "experience", "skills", "skill", "knowledge", "exposure", "background", "expertise",
    "yet", "too", "though", "really", "here", "there", "overall", "depth",
}  # fmt: skip
# What is left must be a thing, not a pointer back to something else.
NOT_A_TOPIC = {"it", "this", "that", "them", "these", "those", "things", "stuff", "one"}
# "more confident", "more enthusiastic": the cue was followed by how the person seemed, not a
# thing. A lower-case last word with an adjective's ending is not a topic (a name like
# "Elastic" keeps its capital and passes).
ADJECTIVE_ENDINGS = ("ic", "ous", "ful", "ive", "ly", "able", "ible", "al")
ADJECTIVES = {
    "clear", "concise", "structured", "prepared", "senior", "junior", "calm", "open",
    "confident", "fluent", "independent", "patient", "relaxed", "engaged", "excited",
}  # fmt: skip
MAX_WORDS = 5
MAX_LENGTH = 60


def named_topic(text: str) -> str:
    """The short noun phrase the feedback names, or "" when it names none clearly."""
    text, start = text or "", 0
    # Cues may overlap ("not enough exposure to Kafka"): try each one, left to right.
    while (match := CUES.search(text, start)) is not None:
        topic = _trim(match.group("rest"))
        if topic:
            return topic
        start = match.start() + 1
    return ""


def _trim(rest: str) -> str:
    clause = CLAUSE_END.split(" " + rest, maxsplit=1)[0]
    words = clause.split()
    while words and words[0].lower() in LEADING:
        words.pop(0)
    while words and words[-1].lower() in TRAILING:
        words.pop()
    topic = " ".join(words)
    if (
        not words
        or len(words) > MAX_WORDS
        or len(topic) > MAX_LENGTH
        or topic.lower() in NOT_A_TOPIC
        or _is_adjective(words[-1])
        or not any(ch.isalpha() for ch in topic)
    ):
        return ""
    return topic


def _is_adjective(word: str) -> bool:
    return word.islower() and (word in ADJECTIVES or word.endswith(ADJECTIVE_ENDINGS))
