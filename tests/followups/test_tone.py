"""The tone check: each rule catches what the advice warns against, and good messages pass.

Short quotes from shared/advice are test inputs; each names its file.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from followups.tone import (
    EMAIL_WORD_LIMIT,
    LINKEDIN_CHAR_LIMIT,
    RULES,
    Category,
    check_tone,
)
from followups.tone_views import tone_check

THANKS = "Thank you for letting me know. "


def flagged(text: str, **kwargs) -> dict[str, list[str]]:
    """rule id -> phrases, as the person would see them."""
    result: dict[str, list[str]] = {}
    for flag in check_tone(text, **kwargs).flags:
        result.setdefault(flag.rule_id, []).append(flag.phrase)
    return result


# --- what the advice says not to send -------------------------------------------------------


def test_it_flags_the_emotional_reply_from_the_advice():
    # 003_9bb60b33349fcefa.txt, "Overly Emotional Responses".
    text = "I can’t believe I wasn’t chosen! I thought I was the best candidate. This is so unfair!"
    flags = flagged(text)
    assert flags["cant-believe"] == ["I can’t believe"]
    assert flags["comparing"] == ["I was the best candidate"]
    assert flags["unfair"] == ["unfair"]
    assert "no-thanks" in flags


def test_it_flags_the_aggressive_follow_up_from_the_advice():
    # 003_9bb60b33349fcefa.txt, "Being Too Persistent or Aggressive".
    text = (
        "I don’t understand why I wasn’t chosen. Can you please provide me with specific "
        "reasons? I believe I was a better fit than the selected candidate."
    )
    flags = flagged(text)
    assert flags["demanding"] == [
        "I don’t understand why I wasn’t chosen",
        "provide me with specific reasons",
    ]
    assert flags["comparing"] == ["I was a better fit than the selected candidate"]


def test_it_flags_the_masked_swearing_the_advice_quotes():
    # 002_415a15f6726579d9.txt: a rejected applicant replied "F*** you."
    assert flagged("F*** you.")["profanity"] == ["F***"]


@pytest.mark.parametrize(
    ("text", "rule_id", "phrase"),
    [
        # emotional outbursts
        ("I'm absolutely furious about this.", "strong-feelings", "I'm absolutely furious"),
        ("Honestly I am so devastated.", "strong-feelings", "I am so devastated"),
        ("I'm sick of this process.", "strong-feelings", "sick of"),
        ("What a ridiculous outcome.", "ridiculous", "ridiculous"),
        ("How could you do this?", "ridiculous", "How could you"),
        ("Well, your loss.", "ridiculous", "your loss"),
        # accusing or arguing with the decision
        ("It's not fair.", "unfair", "not fair"),
        ("You made a mistake.", "you-made-a-mistake", "You made a mistake"),
        ("You have made a huge mistake.", "you-made-a-mistake", "You have made a huge mistake"),
        ("This was the wrong decision.", "you-made-a-mistake", "wrong decision"),
        ("Please reconsider your decision.", "you-made-a-mistake", "reconsider your decision"),
        ("Did you even read my CV?", "you-made-a-mistake", "Did you even read"),
        ("You'll regret this.", "you-made-a-mistake", "You'll regret"),
        # demanding reasons
        ("I demand an answer.", "demanding", "I demand"),
        ("You owe me an explanation.", "demanding", "You owe me"),
        ("I deserve an explanation.", "demanding", "I deserve an explanation"),
        ("Explain why I wasn't hired.", "demanding", "Explain why I wasn't"),
        ("Why wasn't I picked?", "demanding", "Why wasn't I"),
        # comparing with the chosen candidate
        ("I am more qualified than them.", "comparing", "I am more qualified than them"),
        ("I was more qualified than anyone.", "comparing", "I was more qualified than anyone"),
        ("Far more qualified than required.", "comparing", "more qualified than"),
        (
            "I'm clearly better than the person you hired.",
            "comparing",
            "I'm clearly better than the person you hired",
        ),
        ("You picked someone else over me.", "comparing", "picked someone else over me"),
        # trash-talking
        ("Your recruiter was incompetent.", "trash-talk", "incompetent"),
        ("That was the worst interview of my life.", "trash-talk", "worst interview"),
        ("What a waste of my time.", "trash-talk", "waste of my time"),
        ("I will be posting a review.", "public-threat", "posting a review"),
        # profanity
        ("This is bullshit.", "profanity", "bullshit"),
        ("What the hell happened?", "profanity", "What the hell"),
        ("Screw this.", "profanity", "Screw this"),
        ("That was sh*t.", "profanity", "sh*t"),
        # shouting
        ("I AM SO ANGRY about it.", "all-caps", "I AM SO ANGRY"),
        ("NOT FAIR at all.", "all-caps", "NOT FAIR"),
        ("Really?!", "exclamation-run", "Really?!"),
        ("Unbelievable!!!", "exclamation-run", "Unbelievable!!!"),
    ],
)
def test_it_flags_each_rule_with_the_phrase_as_written(text, rule_id, phrase):
    assert phrase in flagged(THANKS + text).get(rule_id, []), flagged(THANKS + text)


def test_it_reports_where_the_phrase_is():
    text = THANKS + "This is UNFAIR."
    (flag,) = [f for f in check_tone(text).flags if f.rule_id == "unfair"]
    assert text[flag.start : flag.end] == flag.phrase == "UNFAIR"


def test_it_gives_every_flag_a_reason_and_a_gentler_way():
    report = check_tone("YOU made a mistake!!! This is unfair and I demand answers, damn it.")
    assert {f.category for f in report.flags} >= {
        Category.ACCUSING,
        Category.DEMANDING,
        Category.PROFANITY,
        Category.SHOUTING,
        Category.MISSING_THANKS,
    }
    for flag in report.flags:
        assert flag.why and flag.suggestion and flag.category_label
    assert not report.ready
    assert report.summary == f"{len(report.flags)} things to look at before sending"


def test_it_keeps_one_table_with_unique_ids_and_advice_for_each_rule():
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert {rule.category for rule in RULES} == set(Category)
    for rule in RULES:
        assert rule.why.endswith(".") and rule.suggestion
        assert rule.patterns or rule.check


def test_it_flags_a_message_without_a_thank_you():
    report = check_tone("Please keep me in mind for future roles.")
    (flag,) = report.flags
    assert flag.rule_id == "no-thanks" and flag.phrase == ""


def test_it_counts_many_separate_exclamation_marks():
    assert "many-exclamations" in flagged("Thanks! Great news! Loved it! See you!")
    assert "many-exclamations" not in flagged("Thanks! I hope to stay in touch!")


def test_it_flags_an_email_too_long_to_be_read():
    text = THANKS + " ".join(["word"] * EMAIL_WORD_LIMIT)
    (flag,) = check_tone(text).flags
    assert flag.rule_id == "too-long"
    assert flag.detail == f"{EMAIL_WORD_LIMIT + 6} words; aim for under {EMAIL_WORD_LIMIT}"
    assert check_tone(THANKS + " ".join(["word"] * (EMAIL_WORD_LIMIT - 6))).ready


def test_it_limits_a_linkedin_note_to_its_characters():
    text = "Thank you for your time. " + "x" * LINKEDIN_CHAR_LIMIT
    assert flagged(text, kind="linkedin").keys() == {"too-long"}
    assert check_tone(text).ready  # as an email, that's only a few words
    assert check_tone("Thank you for your time.", kind="linkedin").ready


# --- what must not be flagged ---------------------------------------------------------------


@pytest.mark.parametrize(
    "sample",
    [
        # 003_9bb60b33349fcefa.txt, "Ignoring the Rejection Altogether": the better reply.
        "Thank you for informing me about your decision. While I am disappointed, I appreciate "
        "the opportunity to interview and learn more about your team. I hope to stay in touch "
        "and would welcome any future opportunities that may arise.",
        # 003_9bb60b33349fcefa.txt, the reply to send instead of the aggressive one.
        "Thank you for considering my application. I appreciate the opportunity to interview "
        "for the position. If you have any feedback on my interview or application, I would be "
        "grateful to hear it as I continue to improve my skills.",
        # 004_8a069ece5158a530.txt, the friendly options.
        "Thank you so much for letting me know. Of course, I’m disappointed, but I appreciate "
        "your time speaking with me.",
        "Thanks [NAME]! Bummed it didn’t work out this time, but it was great to meet you and "
        "learn more about the company.",
        "Thank you for telling me; I really enjoyed meeting the team and will keep an eye on "
        "[COMPANY] in case there’s a better match in the future.",
        # 003_9bb60b33349fcefa.txt, "Thank You and Future Opportunities" (one "!").
        "Dear [Hiring Manager’s Name],\n\nThank you for the update regarding the [Job Title] "
        "position. While I am disappointed not to have been selected, I truly enjoyed the "
        "interview process and learning more about [Company Name].\n\nI would love to be "
        "considered for any future openings that may arise, as I believe my skills in "
        "[specific skills or experiences] would be a great fit for your team. Please keep me "
        "in mind for any upcoming opportunities.\n\nThank you once again for your time and "
        "consideration. I hope to stay in touch!\n\nBest regards,\n[Your Name]",
        # 003_9bb60b33349fcefa.txt, "Follow-Up on Feedback Request".
        "Dear [Hiring Manager’s Name],\n\nI hope this message finds you well. I wanted to "
        "follow up on my previous email regarding feedback on my interview for the [Job "
        "Title] position. I understand that you have many responsibilities, but any insights "
        "you could provide would be greatly appreciated as I strive to improve my candidacy "
        "for future opportunities.\n\nThank you for your time, and I look forward to hearing "
        "from you.\n\nBest regards,\n[Your Name]",
    ],
)
def test_it_finds_the_advice_good_samples_ready_to_send(sample):
    report = check_tone(sample)
    assert report.ready, report.flags
    assert report.summary == "Ready to send"


@pytest.mark.parametrize(
    "text",
    [
        "Thank you. I took a class to assess my passion for Scunthorpe's assessment centre.",
        "Thanks. I read Dickens, scrapped the draft, and said hello to Mr. Cockburn.",
        "Thank you. I hate to bother you, and I'm sure the successful candidate will do well.",
        "Thank you. I'm happy you found the right person for the role.",  # 002 suggests this
        "Thank you. I'm now more experienced than when we spoke.",
        "Thank you. I have worked with SQL, AWS, GCP and a CV parser at IBM.",
        "Thank you. We moved our HTML CSS JSON stack to AWS.",
        "Thank you. I admire NVIDIA and I'm AWS CERTIFIED now.",
        "Thank you. I made a mistake in my answer on caching and have studied it since.",
        "Thank you. I would appreciate any feedback about my interview.",
    ],
)
def test_it_does_not_flag_ordinary_words(text):
    assert check_tone(text).ready, check_tone(text).flags


def test_it_accepts_curly_and_straight_apostrophes_alike():
    assert flagged(THANKS + "I can't believe it.")["cant-believe"] == ["I can't believe"]
    assert flagged(THANKS + "I can’t believe it.")["cant-believe"] == ["I can’t believe"]


# --- the live check view --------------------------------------------------------------------


def post(user, data):
    request = RequestFactory().post("/followups/tone-check/", data)
    request.user = user
    return tone_check(request)


def test_it_renders_ready_to_send_for_a_clean_draft(user):
    response = post(user, {"text": "Thank you for your time, Dana. I hope we stay in touch."})
    assert response.status_code == 200
    assert "Ready to send" in response.content.decode()


def test_it_renders_each_flag_with_its_phrase_why_and_gentler_way(user):
    response = post(user, {"text": "This is unfair and rude.", "kind": "rejection_thanks"})
    html = response.content.decode()
    assert "<mark>unfair</mark>" in html
    assert "<mark>rude</mark>" in html
    assert "Gentler:" in html and "Ready to send" not in html
    assert "No thank-you" in html


def test_it_escapes_what_the_person_typed(user):
    html = post(user, {"text": "<script>alert(1)</script> damn"}).content.decode()
    assert "<script>" not in html
    assert "<mark>damn</mark>" in html


def test_it_uses_the_linkedin_limit_only_for_the_linkedin_kind(user):
    text = "Thank you for your time. " + "word " * 70
    assert "Ready to send" in post(user, {"text": text, "kind": "nonsense"}).content.decode()
    assert "LinkedIn allows 300" in post(user, {"text": text, "kind": "linkedin"}).content.decode()


def test_it_invites_typing_when_the_text_is_blank(user):
    html = post(user, {"text": "   "}).content.decode()
    assert "Write your message" in html and "Ready to send" not in html


def test_it_needs_a_login_and_a_post(user):
    request = RequestFactory().post("/followups/tone-check/", {"text": "hi"})
    request.user = AnonymousUser()
    assert tone_check(request).status_code == 302

    request = RequestFactory().get("/followups/tone-check/")
    request.user = user
    assert tone_check(request).status_code == 405
