"""Email templates rendered once per shape, then filled in: what `render_to_string` returns,
for a fraction of its cost.

A reminder email renders three templates, and Django walks every node and resolves every
variable of each, for every email; during a backlog that costs as much as the SMTP
conversation. Yet the templates only place the context's strings, escaped or not, between
fixed text. So each template is rendered once per *shape* of context (which strings are
empty, which flags are true) with a marker in place of every non-empty string; the output,
cut at the markers, says where each string goes and how it was written:

- as it is (autoescape off), escaped (`conditional_escape`), or through `linebreaksbr`
  (escaped or not): a marker holds "&" and a newline, so the form it came out in tells;
- anything else (another filter, a comparison, a value printed that is not a string) leaves
  a marker the cut does not recognise, and that shape is rendered by Django every time.

The first email of each shape is rendered by Django as well and must come out identical, or
the shape is rendered by Django from then on (and a warning logged). Only contexts of
strings, booleans, None and dataclasses of them are handled; anything else (a list, as in the
digest) is rendered by Django.
"""

import dataclasses
import functools
import html
import logging
import re
import threading
from collections.abc import Generator

from django.template.loader import get_template
from django.utils.safestring import SafeData

from followups.reused import finish

log = logging.getLogger(__name__)

_OPEN, _CLOSE, _OPAQUE = "\ue000", "\ue001", "\ue002"
_MARKER = re.compile("\ue000(\\d+)(&amp;|&)(<br>|\n)\ue001")
_NEWLINES = re.compile(r"\r\n|\r")  # django.utils.text.normalize_newlines()'s


# What Django's `conditional_escape` and `linebreaksbr` (escaped or not) make of a plain str
# (the values are never SafeData), without their wrappers for lazy and safe values. Each
# shape's first email checks the result against Django's own rendering anyway.
def _escaped(value: str) -> str:
    return html.escape(value)


def _breaks(value: str) -> str:
    return _NEWLINES.sub("\n", value).replace("\n", "<br>")


def _escaped_breaks(value: str) -> str:
    return html.escape(_NEWLINES.sub("\n", value)).replace("\n", "<br>")


_FORMS = {
    ("&", "\n"): str,
    ("&amp;", "\n"): _escaped,
    ("&", "<br>"): _breaks,
    ("&amp;", "<br>"): _escaped_breaks,
}


class _Opaque:
    """A value the template may carry but must not print (a model, a datetime): printed, it
    leaves a marker no form matches, so the shape goes to Django."""

    def __str__(self) -> str:
        return _OPAQUE

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return self


class _Unhandled(Exception):
    pass


@functools.cache
def _init_fields(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind) if f.init)


def _stand_ins(context: dict, *, markers: bool = True) -> tuple[dict | None, list[str], tuple]:
    """The context with a marker for each non-empty string (None without `markers`: only a
    shape not seen before needs them), the strings in marker order, and the shape (the value
    of everything that is not a non-empty string)."""
    values: list[str] = []
    shape: list = []

    def stand_in(value, *, inside: bool):
        if type(value) is str:
            if not value:
                shape.append("")
                return value
            values.append(value)
            shape.append("s")
            return f"{_OPEN}{len(values) - 1}&\n{_CLOSE}"
        if value is None or type(value) is bool:
            shape.append(value)
            return value
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            shape.append(type(value))
            fields = {
                name: stand_in(getattr(value, name), inside=True)
                for name in _init_fields(type(value))
            }
            return dataclasses.replace(value, **fields) if markers else None
        if inside and not isinstance(value, (SafeData, list, tuple, dict, set)):
            shape.append("opaque")
            return _Opaque()
        raise _Unhandled(type(value).__name__)

    context_markers = {}
    for key in sorted(context):
        shape.append(key)
        context_markers[key] = stand_in(context[key], inside=False)
    return (context_markers if markers else None), values, tuple(shape)


def _cut(rendered: str) -> tuple | None:
    """(fixed text, index, form) for each marker, and the fixed text after the last; None if
    a marker came out in a form not known."""
    parts = []
    position = 0
    for match in _MARKER.finditer(rendered):
        parts.append(
            (
                rendered[position : match.start()],
                int(match.group(1)),
                _FORMS[(match.group(2), match.group(3))],
            )
        )
        position = match.end()
    tail = rendered[position:]
    fixed = "".join(text for text, _index, _form in parts) + tail
    if _OPEN in fixed or _CLOSE in fixed or _OPAQUE in fixed:
        return None
    return tuple(parts), tail


def _fill(compiled: tuple, values: list[str]) -> str:
    parts, tail = compiled
    return "".join([text + form(values[index]) for text, index, form in parts]) + tail


_MAX_SHAPES = 1_000
_shapes: dict[tuple, tuple | None] = {}
_lock = threading.Lock()


def render(template_names: list[str], context: dict) -> list[str]:
    """`[render_to_string(name, context) for name in template_names]`, by filling in each
    template's shape."""
    return finish(render_steps(template_names, context))


def render_steps(template_names: list[str], context: dict) -> Generator[None, None, list[str]]:
    """`render()` with a pause (`yield`) between one template and the next."""
    try:
        _markers, values, shape = _stand_ins(context, markers=False)
    except _Unhandled:
        return [get_template(name).render(context) for name in template_names]
    rendered: list[str] = []
    for name in template_names:
        if rendered:
            yield
        rendered.append(_render(get_template(name), context, values, shape))
    return rendered


def _render(template, context: dict, values: list[str], shape: tuple) -> str:
    # The compiled template itself is part of the key: a template reloaded after a change
    # (runserver) is a new object, with shapes of its own.
    key = (template.template, shape)
    compiled = _shapes.get(key, False)
    if compiled is False:
        real = template.render(context)
        try:
            compiled = _cut(template.render(_stand_ins(context)[0]))
        except Exception:  # a marker the template could not take (a filter that needs a date)
            compiled = None
        if compiled is not None and _fill(compiled, values) != real:
            log.warning(
                "%s: rendering once per shape differs from Django's, not used",
                template.template.origin.template_name,
            )
            compiled = None
        with _lock:
            if len(_shapes) >= _MAX_SHAPES:  # templates reloaded again and again
                _shapes.clear()
            _shapes[key] = compiled
        return real
    if compiled is None:
        return template.render(context)
    return _fill(compiled, values)
