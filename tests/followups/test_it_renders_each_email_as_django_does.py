"""Email templates are rendered once per shape and then filled in (followups.prerender): every
email comes out exactly as render_to_string would write it, escaping and line breaks
included, and a template that does more with a value than print it is left to Django."""

import pytest
from django.template.loader import render_to_string
from django.test import override_settings

from followups import prerender
from followups.emails import Item

HOSTILE = 'Dana <script>alert("x")</script> & "Co"\nSecond line\r\nThird'


def item(**changes) -> Item:
    fields = {
        "followup": object(),
        "action": "Thank Dana at Acme & Sons",
        "why": "The advice says so <b>now</b>.",
        "deadline": None,
        "by": "Wed 4 Mar, 17:00",
        "overdue": False,
        "draft_subject": "Thank you for the update",
        "draft_body": "Dear Dana,\n\nThank you.\n\nBest regards,\nSam",
        "done_url": "https://od.example/e/done/abc:def/",
        "snooze_url": "https://od.example/e/snooze/abc:def/",
        "skip_url": "https://od.example/e/skip/abc:def/",
        "replied_url": "https://od.example/e/replied/abc:def/",
        "open_url": "https://od.example/followups/1/",
        "to_name": "Dana Whitfield",
        "to_address": "dana@acme.example",
        "mailto": "mailto:dana@acme.example?subject=Thanks&body=Dear%20Dana",
    }
    return Item(**{**fields, **changes})


NAMES = ["emails/reminder-subject.txt", "emails/reminder-body.txt", "emails/reminder-body.html"]


def context(**changes) -> dict:
    return {
        "site_name": "Open Doors",
        "site_url": "https://od.example",
        "item": item(**changes),
        "person": "Sam",
        "settings_url": "https://od.example/settings/",
        "unsubscribe_url": "https://od.example/u/xyz/",
    }


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"overdue": True, "draft_body": HOSTILE, "action": HOSTILE, "why": HOSTILE},
        {"to_name": "", "to_address": "", "add_address_url": "https://od.example/c/1/"},
        {"linkedin_url": "https://linkedin.example/in/dana", "mailto": "", "to_name": ""},
        {"draft_subject": "", "draft_body": ""},
    ],
)
def test_every_email_of_a_shape_matches_djangos_rendering(changes):
    first = context(**changes)
    # The same shape with every string changed (none emptied): newlines, markup, ampersands.
    second = context(**changes)
    second["person"] = "Ada"
    second["item"] = item(**{name: _other(value) for name, value in vars(first["item"]).items()})
    for ctx in (first, second, first):  # the first of a shape compiles it; the others fill it in
        assert prerender.render(NAMES, ctx) == [render_to_string(name, ctx) for name in NAMES]


def _other(value):
    return value + " — again & <again>\nand again" if isinstance(value, str) and value else value


LOCMEM = {
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "OPTIONS": {
        "loaders": [
            (
                "django.template.loaders.locmem.Loader",
                {
                    "upper.txt": "Hi {{ name|upper }}!",
                    "compare.txt": "{% if name == 'Sam' %}you{% else %}{{ name }}{% endif %}",
                    "object.txt": "{{ item.followup }} {{ item.action }}",
                    "loop.txt": "{% for n in names %}{{ n }},{% endfor %}",
                },
            )
        ]
    },
}


@override_settings(TEMPLATES=[LOCMEM])
def test_a_template_that_transforms_or_compares_a_value_is_left_to_django():
    for name, ctx_a, ctx_b in [
        ("upper.txt", {"name": "sam"}, {"name": "ada"}),
        ("compare.txt", {"name": "Sam"}, {"name": "Ada"}),
        ("object.txt", {"item": item()}, {"item": item(followup="another")}),
        ("loop.txt", {"names": ["a", "b"]}, {"names": ["c"]}),
    ]:
        for ctx in (ctx_a, ctx_b, ctx_a):
            assert prerender.render([name], ctx) == [render_to_string(name, ctx)]
