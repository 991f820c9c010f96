"""The rate-limit store is down (TRUSTNET_RATELIMIT_URL names a dead port) or silent: as
documented in trustnet/throttle.py and the README, sign-in goes on unthrottled, with a
warning in the log, rather than locking every member out; and it does not wait on a store
that does not answer.

(Throttling itself, with the store up, is tested in tests/web/public/test_login.py.)
"""

from __future__ import annotations

import logging
import time

import pytest
from conftest import sign_in, text
from factories import founder

from .conftest import free_port

LIMIT = 2


@pytest.fixture
def store_url() -> str:
    return f"redis://127.0.0.1:{free_port()}"  # nothing listens there


@pytest.fixture
def app_config(app_config, store_url):
    return {**app_config, "TRUSTNET_RATELIMIT_URL": store_url,
            "TRUSTNET_LOGIN_LIMIT_ACCOUNT": LIMIT, "TRUSTNET_LOGIN_LIMIT_IP": LIMIT}


def test_with_the_store_down_sign_in_goes_on_unthrottled_with_a_warning(
        app, engine, caplog: pytest.LogCaptureFixture):
    founder(engine, "Alice")
    browser = app.test_client()

    with caplog.at_level(logging.WARNING, logger="trustnet.throttle"):
        for _ in range(LIMIT + 1):  # more failures than the limit allows
            response = sign_in(browser, "alice@example.org", "not the password")
            assert response.status_code == 200
            assert "Wrong e-mail or password." in text(response)
        response = sign_in(browser, "alice@example.org")

    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert "login throttle store unavailable" in caplog.text


class TestWithASilentStore:
    @pytest.fixture
    def store_url(self, tcp_server, lossy_proxy) -> str:
        proxy = lossy_proxy(tcp_server())
        proxy.silent = True  # accepts connections, never answers
        return f"redis://127.0.0.1:{proxy.port}"

    def test_sign_in_does_not_wait_on_it(self, app, engine):
        founder(engine, "Alice")

        started = time.monotonic()
        response = sign_in(app.test_client(), "alice@example.org")

        assert (response.status_code, response.headers["Location"]) == (302, "/")
        assert time.monotonic() - started < 5  # two store calls of 0.5 s, and argon2
