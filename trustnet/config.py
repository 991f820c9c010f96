"""Configuration, read when an app is built: defaults, then TRUSTNET_* environment
variables, then the instance file `instance/config.py`, then a test's dict."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from graph.invitations import INVITES_PER_DAY
from graph.trust import HOPS
from trustnet.i18n import LANGUAGES

# name: (default, type) -- every key can be set as an environment variable of that name.
SETTINGS: dict[str, tuple[Any, type]] = {
    "TRUSTNET_GRAPH_URL": ("", str),
    "TRUSTNET_GRAPH_NAME": ("trustnet", str),
    "TRUSTNET_DATA_DIR": ("", str),
    "TRUSTNET_NEO4J_USER": ("neo4j", str),
    "TRUSTNET_NEO4J_PASSWORD": ("", str),
    "TRUSTNET_QUERY_TIMEOUT_MS": (10_000, int),
    "TRUSTNET_WALK_BUDGET_MS": (3_000, int),
    "TRUSTNET_MIN_FREE_DISK_MB": (64, int),
    "TRUSTNET_BASE_URL": ("http://127.0.0.1:5000", str),
    "TRUSTNET_TRUSTED_HOSTS": ("", str),
    "TRUSTNET_PROXIES": (0, int),
    "TRUSTNET_INVITE_QUOTA": (5, int),
    "TRUSTNET_INVITE_DAYS": (14, int),
    "TRUSTNET_INVITE_MAILS_PER_DAY": (INVITES_PER_DAY, int),
    "TRUSTNET_RESET_HOURS": (2, int),
    "TRUSTNET_CLAIM_DAYS": (14, int),
    "TRUSTNET_SPONSORS_REQUIRED": (1, int),
    "TRUSTNET_STRIKE_THRESHOLD": (2, int),
    "TRUSTNET_ADMIN_FRESH_MINUTES": (30, int),
    "TRUSTNET_MAX_DEGREE": (3, int),
    "TRUSTNET_LOGIN_LIMIT_ACCOUNT": (5, int),
    "TRUSTNET_LOGIN_LIMIT_IP": (30, int),
    "TRUSTNET_LOGIN_WINDOW_S": (900, int),
    "TRUSTNET_RESET_LIMIT_ADDRESS": (3, int),
    "TRUSTNET_RESET_LIMIT_IP": (10, int),
    "TRUSTNET_RESET_WINDOW_S": (3600, int),
    "TRUSTNET_RATELIMIT_URL": ("", str),
    "TRUSTNET_MAIL_FROM": ("TrustNet <no-reply@localhost>", str),
    "TRUSTNET_SMTP_HOST": ("", str),
    "TRUSTNET_SMTP_PORT": (25, int),
    "TRUSTNET_SMTP_USER": ("", str),
    "TRUSTNET_SMTP_PASSWORD": ("", str),
    "TRUSTNET_SMTP_STARTTLS": (False, bool),
    "TRUSTNET_OUTBOX_DIR": ("", str),
    "TRUSTNET_SECURE_COOKIES": (None, bool),
    "TRUSTNET_CURRENCY": ("EUR", str),
    "TRUSTNET_DEFAULT_LOCALE": ("en", str),
    "TRUSTNET_PLUS_APART_DOMAINS": ("", str),
    "TRUSTNET_PHOTOS_DIR": ("", str),
    "TRUSTNET_PHOTO_MAX_MB": (10, int),
}
# TRUSTNET_SECRET_KEY signs sessions and links; TRUSTNET_OLD_SECRET_KEYS (comma-separated)
# still verifies what older keys signed, so a key can be rotated without signing anyone out.


def _parse(raw: str, kind: type) -> Any:
    if kind is bool:
        return raw.strip().lower() in ("1", "true", "yes", "on")
    return kind(raw)


def load_config(app: Any, test_config: dict[str, Any] | None) -> None:
    """Fill app.config from defaults, the environment, the instance file and test_config."""
    instance = Path(app.instance_path)
    for name, (default, kind) in SETTINGS.items():
        raw = os.environ.get(name)
        app.config[name] = default if raw is None else _parse(raw, kind)
    app.config["SECRET_KEY"] = os.environ.get("TRUSTNET_SECRET_KEY") or None
    app.config.from_pyfile(str(instance / "config.py"), silent=True)
    if test_config:
        app.config.update(test_config)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(instance)
    if not app.config["TRUSTNET_DATA_DIR"]:
        app.config["TRUSTNET_DATA_DIR"] = str(instance / "graph")
    if not app.config["TRUSTNET_OUTBOX_DIR"]:
        app.config["TRUSTNET_OUTBOX_DIR"] = str(instance / "outbox")
    if not app.config["TRUSTNET_PHOTOS_DIR"]:
        app.config["TRUSTNET_PHOTOS_DIR"] = str(instance / "photos")
    # A request carries one photo at most, and a form's few fields beside it.
    app.config["MAX_CONTENT_LENGTH"] = app.config["TRUSTNET_PHOTO_MAX_MB"] * 1_000_000 + 65_536
    old_keys = os.environ.get("TRUSTNET_OLD_SECRET_KEYS", "")
    if not app.config.get("SECRET_KEY_FALLBACKS"):
        app.config["SECRET_KEY_FALLBACKS"] = [k for k in old_keys.split(",") if k]
    if app.config["TRUSTNET_MAX_DEGREE"] not in HOPS:
        raise ValueError(f"TRUSTNET_MAX_DEGREE must be between {HOPS[0]} and {HOPS[-1]}")
    if app.config["TRUSTNET_DEFAULT_LOCALE"] not in LANGUAGES:
        raise ValueError(f"TRUSTNET_DEFAULT_LOCALE must be one of {', '.join(LANGUAGES)}, "
                         f"not {app.config['TRUSTNET_DEFAULT_LOCALE']!r}")
    if app.config["TRUSTNET_SECURE_COOKIES"] is None:  # auto: Secure cookies behind https
        base_url = app.config["TRUSTNET_BASE_URL"]
        app.config["TRUSTNET_SECURE_COOKIES"] = base_url.startswith("https://")
    secure = app.config["TRUSTNET_SECURE_COOKIES"]
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_DURATION=timedelta(days=REMEMBER_DAYS),
        WTF_CSRF_TIME_LIMIT=3600 * 8,
    )


REMEMBER_DAYS = 30  # "remember me" lasts a month, not Flask-Login's default year
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


def trusted_hosts(config: Any) -> list[str]:
    """The Host names a request may carry (any other gets a plain 400: TrustedHostsOnly).

    The base URL's host and TRUSTNET_TRUSTED_HOSTS (comma-separated; a leading dot admits
    subdomains); a loopback base URL also admits the other loopback names, so a
    development server answers on localhost as well as on 127.0.0.1.
    """
    base_host = urlsplit(config["TRUSTNET_BASE_URL"]).hostname or ""
    listed = config["TRUSTNET_TRUSTED_HOSTS"].split(",")
    hosts = [base_host, *(host.strip() for host in listed if host.strip())]
    if base_host in LOOPBACK_HOSTS:
        hosts += [host for host in LOOPBACK_HOSTS if host not in hosts]
    return hosts


def _instance_secret(instance: Path) -> str:
    """Return the instance's secret key, creating it (0600) on first start."""
    path = instance / "secret_key"
    instance.mkdir(parents=True, exist_ok=True)
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        key = secrets.token_hex(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key


def plus_apart_domains(config: Any) -> frozenset[str]:
    """The domains where user+tag@ is a mailbox of its own (TRUSTNET_PLUS_APART_DOMAINS,
    comma-separated); everywhere else a +tag is an alias (graph.emails)."""
    listed = config["TRUSTNET_PLUS_APART_DOMAINS"].lower().split(",")
    return frozenset(domain.strip() for domain in listed if domain.strip())
