"""The tone check catches comparing oneself with the person they hired, and deadlines or
ultimatums on a reply (issue #11), without flagging the friendly sentences that look alike.

Every case is a whole short message with a thank-you, so the only thing that can stop it
being "Ready to send" is the phrase under test.
"""

import pytest

from followups.tone import Category, check_tone

THANKS = "Thank you for letting me know. "


def assert_flagged(text: str, category: Category, phrase: str) -> None:
    report = check_tone(THANKS + text)
    assert not report.ready
    assert report.summary != "Ready to send"
    found = [(f.category, f.phrase) for f in report.flags]
    assert (category, phrase) in found, found
    # Only the phrase under test is flagged: the rest of the message is fine.
    assert {f.category for f in report.flags} == {category}, found
    for flag in report.flags:
        assert flag.why.endswith(".") and flag.suggestion
        assert flag.category_label


# --- comparing oneself with the chosen candidate ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # the three phrasings named in the issue
        ("I was the better fit.", "I was the better fit"),
        (
            "The person you hired can't be as qualified.",
            "The person you hired can't be as qualified",
        ),
        (
            "I'm sure I'm more experienced than whoever got it.",
            "I'm more experienced than whoever got it",
        ),
        # our own phrasings
        (
            "Frankly, I have far more experience than the candidate you chose.",
            "I have far more experience than the candidate you chose",
        ),
        ("I doubt your new hire has my background in logistics.", "I doubt your new hire"),
        ("You went with someone less qualified.", "went with someone less qualified"),
        ("I would have been the stronger candidate.", "I would have been the stronger candidate"),
        (
            "Whoever got the job can't possibly know the product as well as me.",
            "Whoever got the job can't possibly know the product as well as me",
        ),
        (
            "No one else on your shortlist could do this job as well as I could.",
            "No one else on your shortlist could do this job as well as I",
        ),
        ("It should have been me, not the other applicant.", "It should have been me"),
        (
            "I bring much more to the table than the other finalists.",
            "I bring much more to the table than the other finalists",
        ),
        (
            "Your new hire is nowhere near as experienced as I am.",
            "Your new hire is nowhere near as experienced as I am",
        ),
        ("You picked the wrong person for the job.", "picked the wrong person"),
        ("I'm clearly the strongest applicant you saw.", "I'm clearly the strongest applicant"),
        (
            "My skills are superior to those of the chosen candidate.",
            "superior to those of the chosen candidate",
        ),
        (
            "There's no way the successful candidate has my track record.",
            "There's no way the successful candidate",
        ),
        (
            "I'd have done a better job than whoever you picked.",
            "I'd have done a better job than whoever you picked",
        ),
        (
            "Nobody you interviewed knows this field better than I do.",
            "Nobody you interviewed knows this field better than I",
        ),
        (
            "The other candidate doesn't have half my experience.",
            "The other candidate doesn't have half my",
        ),
        (
            "I'm at least as qualified as the person who got the offer.",
            "at least as qualified as the person who got the offer",
        ),
        ("I outshine the other applicants on every count.", "outshine the other applicants"),
        ("You chose a weaker candidate.", "chose a weaker candidate"),
        ("I deserved this role more than anyone.", "I deserved this role more than anyone"),
        ("The man you hired can't hold a candle to me.", "hold a candle to me"),
        (
            "Honestly, I am a much better match for this role than the person you chose.",
            "I am a much better match for this role than the person you chose",
        ),
        # pasted from a phone: curly apostrophes
        (
            "I’m sure the person you hired can’t be as skilled as me.",
            "the person you hired can’t be as skilled as me",
        ),
    ],
)
def test_it_flags_comparing_yourself_with_the_person_they_hired(text, phrase):
    assert_flagged(text, Category.COMPARING, phrase)


# --- deadlines and ultimatums -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        # the phrasings named in the issue
        ("I expect a detailed response by Friday.", "I expect a detailed response by Friday"),
        ("Please reply within 48 hours.", "Please reply within 48 hours"),
        (
            "If I don't hear back by Monday, I will follow up with your manager.",
            "If I don't hear back by Monday",
        ),
        # our own phrasings
        ("I need an answer by end of day.", "I need an answer by end of day"),
        (
            "Kindly get back to me no later than Wednesday.",
            "Kindly get back to me no later than Wednesday",
        ),
        ("You have until Thursday to respond.", "You have until Thursday to"),
        (
            "Please let me know your decision by tomorrow morning.",
            "Please let me know your decision by tomorrow morning",
        ),
        (
            "If you do not reply within three business days, I would like to know why.",
            "If you do not reply within three business days",
        ),
        ("I'm giving you 24 hours to explain.", "giving you 24 hours"),
        ("Get back to me by 5pm today.", "Get back to me by 5pm"),
        (
            "I look forward to your reply before the weekend.",
            "I look forward to your reply before the weekend",
        ),
        (
            "Unless I hear from you by the 15th, I will look elsewhere.",
            "Unless I hear from you by the 15th",
        ),
        ("This is my final request for feedback.", "This is my final request"),
        ("Otherwise I'll have to take this further.", "Otherwise I'll have to take this"),
        (
            "I must receive your feedback within the week.",
            "I must receive your feedback within the week",
        ),
        (
            "Could you send me the reasons by close of business?",
            "Could you send me the reasons by close of business",
        ),
        ("Respond immediately, please.", "Respond immediately"),
        (
            "I'd appreciate an update by Tuesday at the latest.",
            "I'd appreciate an update by Tuesday",
        ),
        ("I want your explanation today.", "I want your explanation today"),
        ("Please confirm by Fri 4 Dec.", "Please confirm by Fri 4 Dec"),
        ("I expect to hear back within 2 days.", "I expect to hear back within 2 days"),
        ("I really need to hear back by Monday.", "I really need to hear back by Monday"),
        ("A reply within 24 hours is expected.", "reply within 24 hours is expected"),
        ("I will escalate this to your CEO.", "I will escalate this"),
        ("Reply to this email by Monday or else.", "or else"),
        # curly apostrophes
        (
            "If I don’t hear back by Monday, I’ll assume the worst.",
            "If I don’t hear back by Monday",
        ),
    ],
)
def test_it_flags_deadlines_and_ultimatums(text, phrase):
    assert_flagged(text, Category.DEADLINE, phrase)


def test_it_explains_a_deadline_and_offers_a_gentler_way():
    report = check_tone(THANKS + "I expect a detailed response by Friday.")
    (flag,) = report.flags
    assert flag.category_label == "A deadline or an ultimatum"
    assert "pressure" in flag.why
    assert "Whenever you have a moment" in flag.suggestion
    assert report.summary == "1 thing to look at before sending"


def test_it_explains_a_comparison_and_offers_a_gentler_way():
    report = check_tone(THANKS + "I was the better fit.")
    (flag,) = report.flags
    assert flag.category_label == "Comparing yourself with the other candidate"
    assert "the person they chose" in flag.why
    assert "what you bring" in flag.suggestion


def test_it_flags_an_ultimatum_and_its_threat_each_in_place():
    text = THANKS + "If I don't hear back by Monday, I will escalate this."
    phrases = [f.phrase for f in check_tone(text).flags]
    assert phrases == ["If I don't hear back by Monday", "I will escalate this"]


# --- friendly sentences that look alike -------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # the brief's near misses
        "I look forward to hearing from you.",
        "I'd welcome feedback whenever convenient.",
        "I'm available Friday if that helps.",
        "Congratulations to whoever joined the team.",
        "I hope the new hire is a great fit.",
        "By the way, I enjoyed meeting the whole team.",
        "Please let me know if there is anything else I can share.",
        # 000_d137bdb0f9bd072e.txt, a question the article says some interviewers answer.
        "Can you please elaborate on why another candidate was better suited for the position?",
        # growth over time, not a comparison with anyone
        "I'm more confident in interviews now than I was in the spring.",
        "I'm better prepared than last time, thanks to your feedback.",
        "I enjoyed this interview more than any other this year.",
        "My manager said I was the most improved engineer on the team.",
        "I know you met many strong candidates, and I'm glad I was one of them.",
        "I'm sure the successful candidate will do a wonderful job.",
        "I hope the person you hired enjoys the role as much as I would have.",
        "I hope whoever you chose settles in quickly.",
        # times and dates that are not a deadline on their reply
        "Thank you for replying so quickly on Monday.",
        "I'll send over my portfolio by Friday, as we discussed.",
        "If you have a moment in the coming weeks, I'd be grateful for any feedback.",
        "There's no rush at all; whenever suits you is perfect.",
        "I finished the SQL course within two weeks of our interview.",
        "If you don't have time to reply, I completely understand.",
        "I'd be glad to hear about openings by next spring.",
        "Otherwise, I'll keep an eye on your careers page.",
        "I start a new course on Monday, so I'll have more to share soon.",
        "I can start immediately if a similar role opens.",
        "Thank you for getting back to me by Friday as promised.",
        "Please let me know if you'd like to meet tomorrow.",
        "I hope to hear from you soon.",
        "I'd be happy to talk whenever suits you; Tuesday or Wednesday both work for me.",
        "I got your reply within an hour, which I appreciated.",
        "I'm happy to wait until the new team is in place.",
        "I would like to confirm my availability by Friday.",
        "I hope to have an update on my certificate by Friday.",
        "Even if I don't receive feedback immediately, I'm glad I asked.",
        # acknowledging the other person's strengths is gracious
        "I realise the other candidate had more experience than I did.",
        "I understand you needed someone with more experience than me.",
        "I hope the other candidates were as impressed with the team as I was.",
    ],
)
def test_it_does_not_flag_friendly_sentences_that_look_alike(text):
    report = check_tone(THANKS + text)
    assert report.ready, [(f.rule_id, f.phrase) for f in report.flags]
    assert report.summary == "Ready to send"


@pytest.mark.parametrize(
    "sample",
    [
        # 003_9bb60b33349fcefa.txt, "How Soon Should I Respond": a reply sent within 24-48 h.
        "Dear [Hiring Manager’s Name],\n\nThank you for informing me about your decision "
        "regarding the [Job Title] position. While I am disappointed to learn that I was not "
        "selected, I appreciate the opportunity to interview and learn more about [Company "
        "Name].\n\nI would be grateful if you could provide any feedback on my interview "
        "performance, as I am always looking to improve. Additionally, I would love to stay in "
        "touch and be considered for any future openings that may align with my skills and "
        "experience.\n\nThank you once again for your time and consideration.\n\nBest regards,"
        "\n[Your Name]",
        # 000_d137bdb0f9bd072e.txt: restate how you would be an asset, without comparing.
        "Thank you for considering me for the position. Please keep me in mind for future "
        "opportunities; I believe my knowledge and experience would be an asset to your "
        "company.",
    ],
)
def test_it_still_finds_the_advice_friendly_samples_ready(sample):
    report = check_tone(sample)
    assert report.ready, [(f.rule_id, f.phrase) for f in report.flags]


def test_it_reads_a_long_message_quickly():
    # The patterns have bounded gaps: a long paste is checked in well under a second.
    import time

    text = THANKS + ("I look forward to hearing from you about the role, by the way. " * 400)
    started = time.perf_counter()
    check_tone(text)
    assert time.perf_counter() - started < 1.0
