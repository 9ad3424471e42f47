"""Helpers for the job-search tests: forms posted as a browser would, what the page shows."""

import html
import re
import uuid

from django.test import Client


def fresh_token() -> str:
    return str(uuid.uuid4())


def post_form(client: Client, url: str, data: dict, **extra):
    """Post a create form as the browser would: with the one-time token it rendered."""
    return client.post(url, {"form_token": fresh_token(), **data}, **extra)


def field_errors(response, field: str) -> list[str]:
    """The messages shown next to one field (crispy's invalid-feedback block)."""
    content = response.content.decode()
    pattern = rf'id="error_\d+_id_{re.escape(field)}"><strong>(.*?)</strong>'
    return [html.unescape(message) for message in re.findall(pattern, content, re.S)]


def page_errors(response) -> list[str]:
    """Messages at the top of a form (not tied to one field)."""
    content = response.content.decode()
    block = re.search(
        r'alert-danger">\s*(?:<h4.*?</h4>)?\s*<ul class="m-0">(.*?)</ul>', content, re.S
    )
    if not block:
        return []
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", block.group(1), re.S)]


def page_text(response) -> str:
    """The visible text of a page's <main>, tags removed and spaces collapsed."""
    content = response.content.decode()
    start = content.find("<main")
    main = content[start : content.find("</main>")] if start >= 0 else content
    main = re.sub(r"<(script|datalist)\b.*?</\1>", " ", main, flags=re.S)
    main = re.sub(r"</?(a|span|strong|em|b|i|abbr)\b[^>]*>", "", main)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", main)).split())
