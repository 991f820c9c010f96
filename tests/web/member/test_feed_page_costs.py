"""What the feed page costs in Python, counted, not timed: the work done once per string or
card, which a page of 20 cards repeats (scripts/profile_pages.py, docs/benchmarks.md)."""

from __future__ import annotations

import re

import pytest
from babel import dates
from babel.core import Locale
from conftest import text
from factories import sponsor_chain
from offer_factories import offer

from graph import members

DAY = 86_400
PUBLISHED = 1_764_979_200 + 3600  # 2025-12-06, 01:00 UTC


@pytest.fixture
def full_feed(engine):
    """You and Alice, your contact, who published 21 offers on the same day."""
    you, alice = sponsor_chain(engine, "You", "Alice")
    for n in range(21):
        offer(engine, alice, f"Tool {n}", visibility=1, now=PUBLISHED + n)
    return you


def counted(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[int]:
    """Count the calls of owner.name from now on (the list's length)."""
    calls: list[int] = []
    original = getattr(owner, name)

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls


def test_a_feed_page_finds_its_catalog_without_comparing_locales_per_string(
        browser, full_feed, monkeypatch):
    member = browser(full_feed)
    member.get("/")  # templates compiled, catalogs loaded
    comparisons = counted(monkeypatch, Locale, "__eq__")

    page = text(member.get("/"))

    assert page.count('<article class="card"') == 20 and "Published on" in page
    # One per card is the look-up of its date's memo (below); one per string was 180.
    assert len(comparisons) <= 25, f"{len(comparisons)} comparisons of locales for one page"


def test_a_feed_page_formats_a_publication_date_once_for_all_its_cards(
        browser, full_feed, monkeypatch):
    member = browser(full_feed)
    member.get("/")
    formatted = counted(monkeypatch, dates, "format_date")

    page = text(member.get("/"))

    assert page.count("Published on Dec 6, 2025") == 20
    assert not formatted, f"the same date formatted {len(formatted)} times"


def test_readers_of_either_language_read_theirs_page_after_page(
        browser, engine, full_feed):
    french = members.get_member(engine, full_feed.id)
    members.set_locale(engine, french.id, "fr")
    english = sponsor_chain(engine, "Eve")[0]
    members.set_locale(engine, english.id, "en")
    french_browser, english_browser = browser(french), browser(english)

    for _ in range(2):
        french_page = text(french_browser.get("/"))
        english_page = text(english_browser.get("/"))
        assert french_page.count("Publiée le 6 déc. 2025") == 20, re.findall(
            r"Publi[^<]*", french_page)[:1]
        assert "Offers from your circles" in english_page
        assert "Les offres de vos cercles" in french_page


def test_a_feed_page_without_filters_reuses_its_filter_form(browser, full_feed, monkeypatch):
    from wtforms.widgets import Select

    member = browser(full_feed)
    first = text(member.get("/"))
    renders = counted(monkeypatch, Select, "__call__")

    again = text(member.get("/"))

    assert not renders, f"the filter form's lists rendered {len(renders)} times"
    form = re.search(r'<form method="get".*?</form>', again, re.S).group(0)
    assert form == re.search(r'<form method="get".*?</form>', first, re.S).group(0)
    assert 'name="category"' in form and 'name="within"' in form


def test_the_filter_form_shows_the_filters_chosen_and_each_reader_their_language(
        browser, engine, full_feed):
    english = browser(full_feed)
    members.set_locale(engine, full_feed.id, "en")
    french = sponsor_chain(engine, "Zoe")[0]
    members.set_locale(engine, french.id, "fr")
    french_browser = browser(french)

    chosen = text(english.get("/?category=tools&q=drill"))
    plain = text(english.get("/"))
    in_french = text(french_browser.get("/"))

    assert '<option selected value="tools">' in chosen and 'value="drill"' in chosen
    assert '<option selected value="tools">' not in plain and 'value="drill"' not in plain
    assert "All categories" in plain and "Toutes les catégories" in in_french
