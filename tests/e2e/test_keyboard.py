"""Keyboard only: the skip link, then signing in with Tab, typing and Enter, with a visible
focus on every control along the way."""

from __future__ import annotations

import re

from factories import PASSWORD, founder
from playwright.sync_api import Page, expect

FOCUS_OUTLINE = """() => {
  const style = getComputedStyle(document.activeElement);
  return {outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
}"""


def assert_focus_is_visible(page: Page) -> None:
    """The focused element draws the site's focus ring (a 3px outline), not nothing."""
    ring = page.evaluate(FOCUS_OUTLINE)
    assert ring["outline"] != "none" and ring["width"] >= 2, ring


def test_signing_in_with_the_keyboard_alone(engine, visit):
    founder(engine, "Alice")
    alice = visit("alice")
    page = alice.open("/login")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert_focus_is_visible(page)
    alice.step("skip link focused")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    page.keyboard.press("Tab")
    expect(page.get_by_label("E-mail", exact=True)).to_be_focused()
    assert_focus_is_visible(page)
    page.keyboard.type("alice@example.org")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    assert_focus_is_visible(page)
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    remember = page.get_by_label("Keep me signed in on this device")
    expect(remember).to_be_focused()
    assert_focus_is_visible(page)
    page.keyboard.press("Space")
    expect(remember).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sign in", exact=True)).to_be_focused()
    assert_focus_is_visible(page)
    alice.step("sign-in button focused")

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"^[^#]+/(#main)?$"))  # the skip link's #main stays
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    alice.step("signed in")
