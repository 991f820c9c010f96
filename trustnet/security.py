"""Passwords and signed tokens.

Passwords are hashed with argon2id (argon2-cffi's defaults, upgraded on sign-in when the
parameters change). Tokens in e-mailed links are signed and dated with itsdangerous, one
salt per purpose, so a token made for one purpose is refused by every other.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import threading
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

_hasher = PasswordHasher()
# Hashing takes a core for ~0.1 s and 64 MiB: a flood of sign-ins must not take every core
# of the process (other pages wait for none), so only this many hash at once.
_HASHING_SLOTS = threading.BoundedSemaphore(max(1, (os.cpu_count() or 2) // 2))
# Verified when the e-mail is unknown, so that answer takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))

PURPOSE_INVITATION = "invitation"
PURPOSE_PASSWORD = "set-password"
PURPOSE_SPONSOR_ME = "sponsor-me"
PURPOSE_UNLOCK = "unlock"
PURPOSE_DEVICE = "device"
PURPOSE_CONFIRM_ADDRESS = "confirm-address"

MIN_PASSWORD_LENGTH = 10


def hash_password(password: str) -> str:
    """Return the argon2id hash of password."""
    with _HASHING_SLOTS:
        return _hasher.hash(password)


def check_password(stored_hash: str | None, password: str) -> tuple[bool, bool]:
    """Return (matches, needs_rehash); spends the same time when there is no stored hash."""
    try:
        with _HASHING_SLOTS:
            _hasher.verify(stored_hash or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return False, False
    if stored_hash is None:
        return False, False
    return True, _hasher.check_needs_rehash(stored_hash)


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    config = current_app.config
    keys = [*config.get("SECRET_KEY_FALLBACKS", []), config["SECRET_KEY"]]
    return URLSafeTimedSerializer(keys, salt=f"trustnet.{purpose}")


def sign(purpose: str, payload: Any) -> str:
    """Return a signed, dated token carrying payload for one purpose."""
    return _serializer(purpose).dumps(payload)


def unsign(purpose: str, token: str, max_age_s: int | None) -> Any | None:
    """Return the payload of a valid, unexpired token of that purpose, else None.

    max_age_s None accepts a genuine token of any age (to tell "expired" from "forged").
    """
    try:
        return _serializer(purpose).loads(token, max_age=max_age_s)
    except BadSignature:
        return None


def new_invitation_token() -> tuple[str, str]:
    """Return (secret, hash): 192 random bits for the link, and the hash we store."""
    secret = secrets.token_urlsafe(24)
    return secret, token_hash(secret)


def token_hash(secret: str) -> str:
    """Return the SHA-256 hex digest under which an invitation secret is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()
