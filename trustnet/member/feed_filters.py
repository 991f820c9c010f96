"""The feed's filter form as HTML, rendered once per language while no filter is set."""

from __future__ import annotations

from flask import current_app, get_template_attribute
from flask_babel import get_locale
from markupsafe import Markup

from trustnet.offers.forms import FeedFilterForm

_FIELDS = ("q", "category", "degree", "within", "kind")
_CACHE_KEY = "trustnet.feed_filter_fields"


def filter_fields(form: FeedFilterForm) -> Markup:
    """The filter form's fields, as macros/forms.html's `field` renders them.

    While no filter is set (most feed pages) they are the same for every member who reads
    the same language: rendered once per language and maximum degree, then reused. They
    were a seventh of the feed page's Python (docs/benchmarks.md, fourth round).
    """
    if any(field.raw_data for field in form) or form.errors:
        return _rendered(form)
    cache: dict[tuple[str, int], Markup] = current_app.extensions.setdefault(_CACHE_KEY, {})
    key = (str(get_locale()), int(current_app.config["TRUSTNET_MAX_DEGREE"]))
    html = cache.get(key)
    if html is None:
        html = cache[key] = _rendered(form)
    return html


def _rendered(form: FeedFilterForm) -> Markup:
    field = get_template_attribute("macros/forms.html", "field")
    return Markup("\n    ").join(field(form[name]) for name in _FIELDS)
