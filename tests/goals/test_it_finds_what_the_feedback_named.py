"""The thing feedback named, in the person's own words, for the goal proposed from it."""

import pytest

from goals.topics import named_topic


@pytest.mark.parametrize(
    ("said", "topic"),
    [
        ("needs more Kafka experience", "Kafka"),
        ("Strong technically; another candidate had more payments experience.", "payments"),
        ("We wanted more experience with distributed systems and on-call.", "distributed systems"),
        ("You lacked depth in SQL window functions, which the role needs.", "SQL window functions"),
        ("Not enough exposure to Kubernetes in production.", "Kubernetes"),
        ("We hired someone with more React Native experience", "React Native"),
        ("Please improve your system design", "system design"),
        ("You seemed nervous during the live coding exercise.", "live coding exercise"),
        ("There were gaps in TypeScript", "TypeScript"),
    ],
)
def test_it_takes_the_noun_phrase_the_person_wrote(said, topic):
    assert named_topic(said) == topic


@pytest.mark.parametrize(
    "said",
    [
        "",
        "The other candidate had more experience.",
        "Strong overall, but could be more confident.",
        "Could be more enthusiastic about the product",
        "It needs more of it",
        "Seemed a little nervous",
        "We went with someone with more technical depth",
        "Lovely to meet you, we went another way",
        "needs more experience with the kind of large-scale multi-region event streaming "
        "platforms we run",
    ],
)
def test_it_names_nothing_when_the_feedback_names_no_clear_thing(said):
    assert named_topic(said) == ""
