"""Real-browser tests: Debian's chromium driven by Playwright, on a real server of the test's
app (its own graph, real SMTP capture), phone-sized, with axe-core checking every page.

Fixtures:
  live_server   the base URL of the test's app, served by werkzeug on a free loopback port
  chromium      one headless chromium for the whole session (a context per visitor)
  visit         visit(name, language="en", javascript=True, screen="phone", dark=False)
                -> a Visitor: a fresh browser context (own cookies) with that Accept-Language,
                screen size and colour scheme
  t             t(message, language, **params): a message as the app shows it, so a journey
                can run in any language without writing its words twice

A Visitor's step("what happened") saves a screenshot to
test-artifacts/e2e/<test>/<nn>-<visitor>-<step>.png, fails if the page is wider than the
screen (it would scroll sideways: a phone shows only part of it), and, when JavaScript is on,
runs axe-core on the page and fails on serious or critical violations (all of them are listed
in axe-report.txt beside the screenshots). Look at the screenshots after a change of the pages.
The app's Content-Security-Policy stays on: axe-core is evaluated through the DevTools
protocol, which the CSP does not govern, and a step fails if the page broke the CSP or
raised a JavaScript error.

Needs, once per checkout (`make install-test` does both): Debian's chromium at
/usr/bin/chromium, and `npm ci --prefix tests/e2e` for axe-core.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import link_in, mail_body
from flask_babel import force_locale, gettext
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    expect,
    sync_playwright,
)
from werkzeug.serving import make_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
E2E_DIR = Path(__file__).resolve().parent
AXE_SCRIPT = E2E_DIR / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = E2E_DIR.parents[1] / "test-artifacts" / "e2e"
INSTALL_HINT = "run `make install-test` (Debian's chromium, and `npm ci --prefix tests/e2e`)"

SCREENS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
              "device_scale_factor": 1},
    "desktop": {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1},
}
BLOCKING_IMPACTS = ("serious", "critical")
# Playwright waits for each action and expectation by itself; this bounds a wait that never
# ends (generous: a loaded CI machine hashes passwords and runs axe-core slowly).
TIMEOUT_MS = 10_000
# The page's width, and the outermost elements that stick out past the screen's right edge,
# unless a box that scrolls (or clips) sideways keeps them inside it. The screen's width is
# given: a phone zooms out to show a page wider than itself, and its innerWidth grows.
OVERFLOW = r"""(width) => {
  const contained = (element) => {
    for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
      if (getComputedStyle(box).overflowX !== 'visible') { return true; }
    }
    return false;
  };
  const wider = [];
  for (const element of document.body.querySelectorAll('*')) {
    const right = element.getBoundingClientRect().right;
    if (right <= width + 0.5 || !element.checkVisibility() || contained(element)) { continue; }
    if (wider.some((outer) => outer.element.contains(element))) { continue; }
    const classes = typeof element.className === 'string' ? element.className.trim() : '';
    const name = [element.tagName.toLowerCase(), ...classes.split(/\s+/)]
      .filter(Boolean).join('.');
    wider.push({element, label: `${name} (right edge at ${Math.round(right)} px)`});
  }
  return {scrollWidth: document.documentElement.scrollWidth,
          wider: wider.slice(0, 5).map((found) => found.label)};
}"""


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: {INSTALL_HINT}")
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def chromium(playwright: Playwright) -> Iterator[Browser]:
    """Debian's chromium, headless, started once (Playwright's own browser is not used)."""
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def axe_script() -> str:
    if not AXE_SCRIPT.is_file():
        pytest.fail(f"axe-core is not installed: {INSTALL_HINT}")
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The test's app on a real HTTP server, in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    app.config["TRUSTNET_BASE_URL"] = base_url  # the links it mails lead back to it
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield base_url
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture
def t(app):
    """t(message, language, **params): the app's own translation of a message."""

    def translate(message: str, language: str = "en", **params) -> str:
        with app.test_request_context(), force_locale(language):
            return gettext(message, **params)

    return translate


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    """The test's screenshot folder, emptied first so no old step lingers."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@dataclass
class Steps:
    """Numbers the screenshots of one test across its visitors; gathers axe findings."""

    folder: Path
    count: int = 0
    checked: int = 0  # pages axe-core ran on
    findings: list[str] = field(default_factory=list)

    def report(self) -> str:
        """The text of axe-report.txt."""
        if not self.checked:
            return "axe-core did not run: JavaScript was off\n"
        summary = f"axe-core checked {self.checked} page(s): "
        if not self.findings:
            return summary + "no violation\n"
        return summary + f"{len(self.findings)} violation(s)\n" + "\n".join(self.findings) + "\n"

    def next_path(self, visitor: str, step: str) -> Path:
        self.count += 1
        ascii_text = unicodedata.normalize("NFKD", f"{visitor} {step}").encode("ascii", "ignore")
        slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.decode().lower()).strip("-")
        return self.folder / f"{self.count:02d}-{slug}.png"


class Visitor:
    """One person's browser: a context of its own, on a phone, in one language."""

    def __init__(self, context: BrowserContext, base_url: str, name: str, language: str,
                 javascript: bool, steps: Steps, axe_script: str) -> None:
        self.context = context
        self.page: Page = context.new_page()
        self.base_url = base_url
        self.name = name
        self.language = language
        self.javascript = javascript
        self._steps = steps
        self._axe_script = axe_script
        self.errors: list[str] = []  # CSP violations and uncaught JavaScript errors
        self.page.on("console", self._on_console)
        self.page.on("pageerror", lambda error: self.errors.append(f"JavaScript: {error}"))

    def _on_console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.errors.append(f"CSP: {message.text}")

    def open(self, path_or_url: str) -> Page:
        """Go to a path of the site (or a full URL, such as an e-mailed link)."""
        url = path_or_url if "://" in path_or_url else self.base_url + path_or_url
        self.page.goto(url)
        return self.page

    def step(self, what: str) -> Path:
        """Screenshot the page as it is now; with JavaScript on, check it with axe-core."""
        page = self.page
        page.wait_for_load_state("load")
        assert page.locator("html").get_attribute("lang") == self.language
        path = self._steps.next_path(self.name, what)
        page.screenshot(path=str(path), full_page=True)
        assert not self.errors, f"at step {what!r}:\n" + "\n".join(self.errors)
        self._check_width(what)
        if self.javascript:
            self._check_accessibility(what, path)
        return path

    def _check_width(self, what: str) -> None:
        """The page fits the screen's width: nothing makes it scroll sideways."""
        width = self.page.viewport_size["width"]
        found = self.page.evaluate(OVERFLOW, width)
        assert found["scrollWidth"] <= width, (
            f"at step {what!r} ({self.page.url}): the page is {found['scrollWidth']} px wide on "
            f"a {width} px screen; too wide: {found['wider']}")

    def _check_accessibility(self, what: str, path: Path) -> None:
        page = self.page
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(self._axe_script)  # DevTools evaluation: allowed whatever the CSP
        results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        self._steps.checked += 1
        blocking = []
        for violation in results["violations"]:
            targets = [" ".join(node["target"]) for node in violation["nodes"]]
            line = (f"{path.name} {page.url}: {violation['impact']} {violation['id']}: "
                    f"{violation['help']} -> {targets}")
            self._steps.findings.append(line)
            if violation["impact"] in BLOCKING_IMPACTS:
                blocking.append(line)
        assert not blocking, f"axe-core at step {what!r}:\n" + "\n".join(blocking)


@pytest.fixture
def visit(chromium: Browser, live_server: str, artifacts: Path, axe_script: str):
    """visit(name, language, javascript, screen, dark) -> a new Visitor."""
    steps = Steps(artifacts)
    contexts: list[BrowserContext] = []

    def open_visitor(name: str = "visitor", language: str = "en", javascript: bool = True,
                     screen: str = "phone", dark: bool = False) -> Visitor:
        context = chromium.new_context(
            **SCREENS[screen], locale=language,  # the locale is also the Accept-Language
            java_script_enabled=javascript, color_scheme="dark" if dark else "light",
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return Visitor(context, live_server, name, language, javascript, steps, axe_script)

    yield open_visitor
    for context in contexts:
        context.close()
    (steps.folder / "axe-report.txt").write_text(steps.report())


def mailed_link(mailbox, address: str, count: int = 1) -> str:
    """The first link of the latest mail to address, once count mails have arrived."""
    mailbox.wait_for(count)
    received = mailbox.to(address)
    assert received, f"no mail to {address}: {json.dumps([m['To'] for m in mailbox.messages])}"
    return link_in(mail_body(received[-1]))
