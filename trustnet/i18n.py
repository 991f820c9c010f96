"""French and English: the reader's language, localised dates and prices, translated
domain errors, and mail in the recipient's language.

The catalogs live in translations/ (see scripts/translations.py); the compiled .mo files
are committed, and tests/web/test_translations.py fails when one is stale or incomplete.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from babel import Locale, dates, numbers
from babel.support import NullTranslations, Translations
from flask import Flask, current_app, request
from flask_babel import (
    Babel,
    force_locale,
    get_locale,
    get_translations,
)
from flask_babel.speaklater import LazyString
from flask_login import current_user

from graph.errors import DomainError

LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"

# The catalog of each locale met, for the life of the process (the .mo files do not change
# while it runs); None (no request) has Flask-Babel's empty catalog.
_catalogs: dict[Locale | None, Translations | NullTranslations] = {}
# The last locale object met and its catalog: a request's locale is one object, met ~200
# times on a feed page, and a dict look-up by a Locale hashes it and compares it attribute
# by attribute (a new object each request), a fifth of the look-up's time.
_last: tuple[Locale | None, Translations | NullTranslations] | None = None


def translations() -> Translations | NullTranslations:
    """The catalog of the current locale (the reader's, or the one force_locale sets).

    Flask-Babel's own get_translations() walks its request context four times and formats
    the locale's name on every call: with some 130 strings on a feed page, that was a third
    of the page's Python time. Here, after get_locale(), it is one identity check, or one
    dict look-up when the locale object changed (another request, force_locale).
    """
    global _last
    locale = get_locale()
    last = _last  # one read: another thread may replace it meanwhile
    if last is not None and last[0] is locale:
        return last[1]
    catalog = _catalogs.get(locale)
    if catalog is None:
        catalog = _catalogs[locale] = get_translations()
    _last = (locale, catalog)
    return catalog


def gettext(string: str, **variables: Any) -> str:
    """Flask-Babel's gettext, on the cached catalog."""
    text = translations().ugettext(string)
    return text % variables if variables else text


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """A string translated when it is shown (form labels, choices): gettext, lazily."""
    return LazyString(gettext, string, **variables)


_l = lazy_gettext

# Member statuses as members read them; templates use member_status(status).
MEMBER_STATUSES = {
    "active": _l("active"),
    "pending": _l("pending"),
    "suspended": _l("suspended"),
    "banned": _l("banned"),
    "departed": _l("departed"),
}


def init_i18n(app: Flask) -> None:
    """Install Flask-Babel on the repository's catalogs, and the Jinja helpers."""
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(TRANSLATIONS_DIR)
    app.config["BABEL_DEFAULT_LOCALE"] = app.config["TRUSTNET_DEFAULT_LOCALE"]
    Babel(app, locale_selector=select_locale)
    # In place of Flask-Babel's (see translations()); jinja2.ext.i18n adds the method.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda string: translations().ugettext(string),
        ngettext=lambda singular, plural, num: translations().ungettext(singular, plural, num),
        pgettext=lambda context, string: translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, num: translations().unpgettext(
            context, singular, plural, num),
        newstyle=True,
    )
    # `_` is an alias that looks gettext up again on every call: point it at gettext itself.
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"]
    app.jinja_env.filters["date"] = format_timestamp_date
    app.jinja_env.filters["datetime"] = format_timestamp_datetime
    app.jinja_env.filters["money"] = format_money
    app.jinja_env.filters["day"] = format_iso_date
    app.jinja_env.globals["member_status"] = member_status

    @app.context_processor
    def locale_context() -> dict[str, Any]:
        return {"current_locale": str(get_locale() or DEFAULT_LANGUAGE)}


def select_locale() -> str:
    """The member's chosen language, else the browser's best match."""
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return str(current_user.locale)
    return browser_locale()


def browser_locale() -> str:
    """The language of ours that the browser prefers (Accept-Language), else the
    community's (TRUSTNET_DEFAULT_LOCALE)."""
    return request.accept_languages.best_match(
        LANGUAGES, default=current_app.config["BABEL_DEFAULT_LOCALE"])


def format_timestamp_date(timestamp: float) -> str:
    """A stored epoch time as a date (of UTC, the app's time zone) in the reader's language."""
    return _iso_date(datetime.fromtimestamp(timestamp, UTC).date().isoformat(), get_locale())


def format_timestamp_datetime(timestamp: float) -> str:
    """A stored epoch time as a date and time in the reader's language, in UTC, which it says
    (the app does not know the reader's time zone): "December 6, 2026, 2:42:16 AM UTC"."""
    moment = datetime.fromtimestamp(timestamp, UTC)
    return str(dates.format_datetime(moment, "long", tzinfo=UTC, locale=get_locale()))


def format_money(amount: int | float | Decimal | str, currency: str | None = None) -> str:
    """An amount in currency units (not cents) as the reader writes it: 1 234,50 € or €1,234.50.

    The currency is TRUSTNET_CURRENCY unless given.
    """
    currency = currency or current_app.config["TRUSTNET_CURRENCY"]
    return _money(Decimal(str(amount)), currency, get_locale())


def format_iso_date(day: str) -> str:
    """A stored YYYY-MM-DD date in the reader's language (Flask-Babel's format_date)."""
    return _iso_date(day, get_locale())


# Babel takes about 0.1 ms to format a price or a date, and a feed page shows up to 40 of
# them (a publication date on every card), mostly repeated: both are pure functions of
# their arguments, so memoise them.
@lru_cache(maxsize=4096)
def _money(amount: Decimal, currency: str, locale: Locale | None) -> str:
    return str(numbers.format_currency(amount, currency, locale=locale))


@lru_cache(maxsize=4096)
def _iso_date(day: str, locale: Locale | None) -> str:
    return str(dates.format_date(date.fromisoformat(day), "medium", locale=locale))


def member_status(status: str) -> str:
    """A member status (active, pending, suspended, banned) in the reader's language."""
    label = MEMBER_STATUSES.get(status)
    return str(label) if label is not None else status


def error_message(error: DomainError) -> str:
    """A domain error's message in the reader's language.

    graph/ writes its messages in English with %(name)s placeholders; the catalog has them
    because scripts/translations.py extracts the arguments of the error classes.
    """
    if not error.message:
        return str(error)
    return str(gettext(error.message, **error.params))


def member_locale(saved_locale: str | None) -> str:
    """The language of a mail to a member: the one they chose, else the community's
    (TRUSTNET_DEFAULT_LOCALE), never the language of whoever caused the mail."""
    if saved_locale in LANGUAGES:
        return str(saved_locale)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def locale_for_mail(saved_locale: str | None) -> str:
    """The language of a mail: the recipient's saved choice, else the current request's."""
    if saved_locale in LANGUAGES:
        return str(saved_locale)
    return str(get_locale() or DEFAULT_LANGUAGE)


@contextmanager
def mail_language(saved_locale: str | None = None) -> Iterator[None]:
    """Render a mail's subject and body in the recipient's language (see locale_for_mail)."""
    with force_locale(locale_for_mail(saved_locale)):
        yield
