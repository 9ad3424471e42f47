"""`{% load row_urls %}`: `{% pk_url "dashboard:followup-done" row.pk %}` is
`{% url "dashboard:followup-done" row.pk %}` for the links a card repeats on every row, with
the route resolved once (accounts.routes)."""

from django import template

from accounts.routes import pk_url

register = template.Library()


@register.simple_tag(name="pk_url")
def pk_url_tag(name: str, pk: int) -> str:
    return pk_url(name, pk)
