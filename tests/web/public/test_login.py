"""Signing in: one answer for every failure, throttled guessing, a fresh session, safe ?next."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urljoin, urlsplit

import pytest
from argon2 import PasswordHasher
from conftest import csrf_token, link_in, mail_body, path_of, sign_in, text, without_csrf
from factories import PASSWORD, founder, reload

import trustnet.actions.sign_in
from graph import members

WRONG = "not the password"


@pytest.fixture
def app_config(app_config):
    """Small limits, so a test reaches them in a few attempts."""
    return {**app_config, "TRUSTNET_LOGIN_LIMIT_ACCOUNT": 2, "TRUSTNET_LOGIN_LIMIT_IP": 3}


@pytest.fixture
def alice(engine):
    return founder(engine)


def from_address(app, ip: str):
    """A browser whose requests come from ip."""
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = ip
    return browser


def sign_out(browser) -> None:
    """Sign out through the real form (the browser keeps its device cookie)."""
    token = csrf_token(text(browser.get("/settings")))
    response = browser.post("/logout", data={"csrf_token": token})
    assert response.headers["Location"] == "/login"


def answer(response, email: str) -> tuple[int, str]:
    """Status and page of a sign-in answer, without what differs by design (token, address)."""
    return response.status_code, without_csrf(text(response)).replace(email, "EMAIL")


def fail(browser, email: str, times: int) -> None:
    """Sign in with a wrong password, times times; each must be an ordinary refusal."""
    for _ in range(times):
        assert sign_in(browser, email, WRONG).status_code == 200


def test_an_unknown_address_and_a_wrong_password_get_the_same_answer(app, alice):
    wrong_password = sign_in(app.test_client(), "alice@example.org", WRONG)
    unknown = sign_in(app.test_client(), "nobody@example.org", WRONG)

    assert answer(wrong_password, "alice@example.org") == answer(unknown, "nobody@example.org")
    assert wrong_password.status_code == 200
    assert "Wrong e-mail or password." in text(wrong_password)


LOCKED = "Too many failed attempts on this account."


def test_a_new_browser_is_refused_once_the_account_has_used_its_failures(app, alice, mailbox):
    fail(from_address(app, "198.51.100.1"), "alice@example.org", 2)

    for ip in ("198.51.100.1", "198.51.100.2"):  # per account: from anywhere
        response = sign_in(from_address(app, ip), "alice@example.org")
        assert response.status_code == 429
        assert LOCKED in text(response)
    assert sign_in(from_address(app, "198.51.100.3"), "bob@example.org", WRONG).status_code == 200


def test_the_right_password_and_the_mailed_link_let_a_new_browser_in(app, alice, mailbox):
    fail(from_address(app, "203.0.113.7"), "alice@example.org", 2)
    for _ in range(2):
        assert sign_in(from_address(app, "203.0.113.7"), "alice@example.org").status_code == 429
    [unlock_mail] = mailbox.wait_for(1)  # one link per window, however many refusals
    assert mailbox.wait_for(2, timeout=0.5) == [unlock_mail]
    assert unlock_mail["To"] == "alice@example.org"

    new_browser = from_address(app, "198.51.100.9")
    opened = new_browser.get(path_of(link_in(mail_body(unlock_mail))))
    assert (opened.status_code, opened.headers["Location"]) == (302, "/login")
    assert sign_in(new_browser, "alice@example.org", WRONG).status_code == 200
    assert sign_in(new_browser, "alice@example.org").status_code == 302
    assert sign_in(from_address(app, "198.51.100.10"), "alice@example.org").status_code == 429


def test_a_forged_unlock_link_is_refused(app, alice):
    assert app.test_client().get("/unlock/not-a-token").status_code == 404


def test_someone_elses_failures_do_not_lock_a_member_out_of_a_browser_they_used(app, alice):
    own_browser = from_address(app, "198.51.100.1")
    assert sign_in(own_browser, "alice@example.org").status_code == 302
    sign_out(own_browser)
    attacker = from_address(app, "203.0.113.7")
    fail(attacker, "alice@example.org", 2)
    assert sign_in(attacker, "alice@example.org", WRONG).status_code == 429

    assert sign_in(own_browser, "alice@example.org").status_code == 302


def test_spellings_of_one_mailbox_share_its_failures(app, engine):
    founder(engine, "Jane", "jane.doe@gmail.com")
    browser = from_address(app, "198.51.100.1")
    for spelling in ("jane.doe@gmail.com", "JaneDoe+x@gmail.com"):
        fail(browser, spelling, 1)

    response = sign_in(from_address(app, "198.51.100.2"), "janedoe@googlemail.com")

    assert response.status_code == 429


def test_a_browser_the_member_used_has_a_budget_of_failures_of_its_own(app, alice):
    own_browser = from_address(app, "198.51.100.1")
    assert sign_in(own_browser, "alice@example.org").status_code == 302
    sign_out(own_browser)
    fail(own_browser, "alice@example.org", 2)

    refused = sign_in(own_browser, "alice@example.org")
    elsewhere = sign_in(from_address(app, "198.51.100.2"), "alice@example.org")

    assert refused.status_code == 429
    assert "Too many failed attempts. Wait a few minutes." in text(refused)
    assert elsewhere.status_code == 302  # the browser's failures are not the account's


def test_an_address_that_used_its_failures_holds_back_only_new_browsers_behind_it(app, alice):
    office = "203.0.113.7"
    member_browser = from_address(app, office)
    assert sign_in(member_browser, "alice@example.org").status_code == 302
    sign_out(member_browser)
    attacker = from_address(app, office)
    for n in range(3):
        fail(attacker, f"guess{n}@example.org", 1)

    refused = sign_in(attacker, "alice@example.org")
    elsewhere = sign_in(from_address(app, "203.0.113.8"), "alice@example.org")
    known_browser = sign_in(member_browser, "alice@example.org")

    assert refused.status_code == 429
    assert "Too many failed attempts from your network." in text(refused)
    assert elsewhere.status_code == 302
    assert known_browser.status_code == 302


class TestWithoutATrustedProxy:
    """TRUSTNET_PROXIES=0: an X-Forwarded-For header is the client's own word, ignored."""

    def test_a_forged_forwarded_address_does_not_dodge_the_address_limit(self, app, alice):
        attacker = app.test_client()
        for n in range(3):
            attacker.environ_base["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{n}"
            fail(attacker, f"guess{n}@example.org", 1)

        attacker.environ_base["HTTP_X_FORWARDED_FOR"] = "192.0.2.99"
        assert sign_in(attacker, "nobody@example.org", WRONG).status_code == 429


class TestBehindOneTrustedProxy:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "TRUSTNET_PROXIES": 1}

    def test_clients_behind_the_proxy_are_counted_apart_by_the_address_it_saw(self, app,
                                                                             alice):
        def behind_proxy(client_ip: str, forged: str = ""):
            browser = from_address(app, "10.0.0.1")  # the proxy
            browser.environ_base["HTTP_X_FORWARDED_FOR"] = ", ".join(filter(None, [forged,
                                                                                   client_ip]))
            return browser

        for n in range(3):  # the attacker puts a new address of its own before the proxy's
            fail(behind_proxy("203.0.113.7", forged=f"192.0.2.{n}"), f"guess{n}@example.org", 1)

        assert sign_in(behind_proxy("203.0.113.7", "192.0.2.99"), "x@example.org",
                       WRONG).status_code == 429
        assert sign_in(behind_proxy("203.0.113.8"), "alice@example.org").status_code == 302


def test_unknown_and_known_accounts_are_throttled_alike(app, alice, mailbox):
    fail(from_address(app, "198.51.100.1"), "alice@example.org", 2)
    fail(from_address(app, "198.51.100.2"), "nobody@example.org", 2)

    known = sign_in(from_address(app, "198.51.100.3"), "alice@example.org", WRONG)
    unknown = sign_in(from_address(app, "198.51.100.4"), "nobody@example.org", WRONG)

    assert known.status_code == 429
    assert answer(known, "alice@example.org") == answer(unknown, "nobody@example.org")
    assert [m["To"] for m in mailbox.wait_for(2, timeout=1)] == ["alice@example.org"]


class TestConcurrentGuesses:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "TRUSTNET_LOGIN_LIMIT_ACCOUNT": 5, "TRUSTNET_LOGIN_LIMIT_IP": 100}

    def test_forty_at_once_get_no_more_password_checks_than_the_limit(self, app, alice):
        """Each attempt is reserved before its check: a check answers "wrong", the others
        are refused at once, however the forty interleave."""
        browsers = [from_address(app, f"198.51.100.{n}") for n in range(40)]
        tokens = [csrf_token(text(browser.get("/login"))) for browser in browsers]
        start = threading.Barrier(len(browsers))

        def guess(browser, token) -> int:
            start.wait()
            return browser.post("/login", data={"email": "alice@example.org",
                                                "password": WRONG,
                                                "csrf_token": token}).status_code

        with ThreadPoolExecutor(len(browsers)) as pool:
            statuses = list(pool.map(guess, browsers, tokens))

        assert sorted(statuses) == [200] * 5 + [429] * 35


class TestWhenTheWindowHasPassed:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "TRUSTNET_LOGIN_WINDOW_S": 5}

    def test_the_right_password_works_again(self, app, alice):
        browser = app.test_client()
        fail(browser, "alice@example.org", 1)
        window_started_by = time.monotonic()  # the first failure opened the window
        fail(browser, "alice@example.org", 1)
        assert sign_in(browser, "alice@example.org").status_code == 429

        time.sleep(max(0.0, window_started_by + 5.1 - time.monotonic()))

        assert sign_in(browser, "alice@example.org").status_code == 302


def test_signing_in_starts_a_fresh_session(client, alice):
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "before sign-in"

    assert sign_in(client, "alice@example.org").status_code == 302

    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(alice.id)


@pytest.mark.parametrize(("target", "landing"), [
    ("https://evil.example", "/"),
    ("//evil.example", "/"),
    ("/network?tab=sponsors", "/network?tab=sponsors"),
])
def test_signing_in_follows_next_only_within_the_site(client, alice, target, landing):
    response = sign_in(client, "alice@example.org", query_string={"next": target})

    assert response.status_code == 302
    assert response.headers["Location"] == landing


def as_a_browser_reads_it(location: str) -> str:
    """The host a browser goes to: it reads a backslash as a slash and drops tabs."""
    cleaned = location.replace("\\", "/").replace("\t", "").replace("\n", "")
    return urlsplit(urljoin("http://localhost/login", cleaned)).netloc


@pytest.mark.parametrize("target", [
    "/\\evil.example", "/\t/evil.example", "https:evil.example",
])
def test_disguised_next_targets_stay_on_the_site(client, alice, target):
    response = sign_in(client, "alice@example.org", query_string={"next": target})

    assert response.status_code == 302
    assert as_a_browser_reads_it(response.headers["Location"]) == "localhost"


def test_a_signed_in_member_opening_the_sign_in_page_goes_home(client, alice):
    sign_in(client, "alice@example.org")
    response = client.get("/login")
    assert (response.status_code, response.headers["Location"]) == (302, "/")


class TestWithoutAThrottleStoreOfItsOwn:
    """No TRUSTNET_RATELIMIT_URL: the FalkorDB server keeps the counters, and on Neo4j the
    embedded server of the data folder, started for them: sign-in is throttled all the same."""

    @pytest.fixture
    def app_config(self, app_config, tmp_path):
        return {**app_config, "TRUSTNET_RATELIMIT_URL": "",
                "TRUSTNET_DATA_DIR": str(tmp_path / "data")}

    def test_the_account_is_throttled_on_every_engine(self, app, alice):
        fail(from_address(app, "198.51.100.1"), "alice@example.org", 2)

        assert sign_in(from_address(app, "198.51.100.2"), "alice@example.org").status_code == 429


def test_a_refused_sign_in_is_refused_before_any_password_hashing(
        app, alice, monkeypatch: pytest.MonkeyPatch):
    """A flood of refused sign-ins must not cost a password check each (~0.1 s of a core)."""
    browser = from_address(app, "198.51.100.1")
    fail(browser, "alice@example.org", 2)
    checks = []
    real_check = trustnet.actions.sign_in.check_password
    monkeypatch.setattr(trustnet.actions.sign_in, "check_password",
                        lambda *args: checks.append(args) or real_check(*args))

    for _ in range(3):
        assert sign_in(browser, "alice@example.org", WRONG).status_code == 429

    assert checks == []


def test_a_hash_made_with_weaker_parameters_is_upgraded_at_sign_in(app, engine, alice):
    weak = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    members.set_password(engine, alice.id, weak, reload(engine, alice).session_version)

    assert sign_in(app.test_client(), "alice@example.org").status_code == 302

    upgraded = reload(engine, alice).password_hash
    assert upgraded != weak and not PasswordHasher().check_needs_rehash(upgraded)
    assert PasswordHasher().verify(upgraded, PASSWORD)
    assert sign_in(app.test_client(), "alice@example.org").status_code == 302
