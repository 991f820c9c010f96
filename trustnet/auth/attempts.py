"""How many times a password may be tried, and a reset link asked for (README, "Sign-in
limits", states the policy for operators).

Sign-in: a browser the account signed in from before, or that opened the account's
unlock link, carries a signed device cookie and has a budget of failures of its own. Any
other browser shares the account's budget and its network address's. When the account's
is used up, the right password alone no longer signs in from a new browser: the member is
mailed (once per window) a link that makes the browser they open it in a known one. So
whoever fails on purpose, from anywhere, never keeps a member out: their own browsers still
sign in, and a new one does with the password and the link. The address's budget only
holds back new browsers behind it, so a proxy or an office full of members is not shut.

Every attempt is reserved before its password check (trustnet.throttle): concurrent
attempts never get more checks than the budget.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from graph.emails import mailbox_key
from graph.members import Member
from trustnet.links import absolute_url
from trustnet.mail import mail_member_in_background
from trustnet.security import PURPOSE_DEVICE, PURPOSE_UNLOCK, check_password, sign, unsign
from trustnet.services import plus_apart, services
from trustnet.throttle import Limit

DEVICE_COOKIE = "trustnet_device"
DEVICE_DAYS = 365
ACCOUNT = "login-account"
ADDRESS = "login-ip"
DEVICE = "login-device"


class TooManyAttempts(Exception):
    """An attempt refused before any work, because a budget is used up."""


def account_key(address: str) -> str:
    """The account failures count against: the mailbox, so its spellings share one limit."""
    try:
        return mailbox_key(address, plus_apart())
    except ValueError:
        return address.strip().lower()


def _digest(account: str) -> str:
    """What cookies and links carry of an account: not the address itself."""
    return hashlib.sha256(account.encode()).hexdigest()


def client_address() -> str:
    """The client's address: the peer's, or what the trusted proxies said it is (ProxyFix,
    only with TRUSTNET_PROXIES), never a header a client wrote itself."""
    return request.remote_addr or "unknown"


def _known_device(account: str) -> str | None:
    """This browser's device id, if its cookie was given for account."""
    cookie = request.cookies.get(DEVICE_COOKIE)
    payload = unsign(PURPOSE_DEVICE, cookie, DEVICE_DAYS * 86_400) if cookie else None
    if isinstance(payload, dict) and payload.get("a") == _digest(account):
        return str(payload["d"])
    return None


def sign_in_limits(account: str) -> list[Limit]:
    """The budgets a sign-in to account from this browser draws on (see the module)."""
    config = current_app.config
    device = _known_device(account)
    if device is not None:
        return [Limit(DEVICE, device, config["TRUSTNET_LOGIN_LIMIT_ACCOUNT"])]
    return [Limit(ACCOUNT, account, config["TRUSTNET_LOGIN_LIMIT_ACCOUNT"]),
            Limit(ADDRESS, client_address(), config["TRUSTNET_LOGIN_LIMIT_IP"])]


def reserve_sign_in(address: str) -> list[Limit]:
    """Reserve one password check for a sign-in to address; return the budgets it drew on.

    Raises TooManyAttempts (with the message to show) when one is used up; when it is the
    account's, the member is mailed an unlock link, once per window.
    """
    account = account_key(address)
    limits = sign_in_limits(account)
    window = current_app.config["TRUSTNET_LOGIN_WINDOW_S"]
    throttle = services().throttle
    refused = throttle.reserve(limits, window)
    if refused is None:
        return limits
    if refused.kind == ACCOUNT:
        if throttle.reserve([Limit("unlock-mail", account, 1)], window) is None:
            mail_member_in_background(address, _unlock_mail)
        raise TooManyAttempts(_(
            "Too many failed attempts on this account. If it exists, we have mailed it a "
            "link: open it in this browser, then sign in with your password."))
    if refused.kind == ADDRESS:
        raise TooManyAttempts(_("Too many failed attempts from your network. Wait a few "
                                "minutes, or sign in from a browser you used here before."))
    raise TooManyAttempts(_("Too many failed attempts. Wait a few minutes."))  # this browser


def sign_in_succeeded(limits: list[Limit], response: Response, address: str) -> None:
    """The right password: its attempt does not count, the account's failures are
    forgiven, and this browser becomes a known one for the account."""
    throttle = services().throttle
    for limit in limits:
        if limit.kind == ADDRESS:
            throttle.refund(limit)  # an address's budget is for failures only
        else:
            throttle.clear(limit)
    remember_device(response, _digest(account_key(address)))


def remember_device(response: Response, account_digest: str) -> None:
    """Give this browser a device cookie for an account (a new device id each time)."""
    config = current_app.config
    token = sign(PURPOSE_DEVICE, {"a": account_digest, "d": secrets.token_urlsafe(16)})
    response.set_cookie(DEVICE_COOKIE, token, max_age=DEVICE_DAYS * 86_400, httponly=True,
                        samesite="Lax", secure=config["TRUSTNET_SECURE_COOKIES"])


def unlock_link(member: Member) -> str:
    """The link that makes the browser it is opened in a known one for member's account."""
    return absolute_url("auth.unlock",
                        token=sign(PURPOSE_UNLOCK, _digest(account_key(member.email))))


def _unlock_mail(member: Member) -> tuple[str, str]:
    """Subject and body of the mail that lets a new browser sign in to a locked account."""
    return (_("Sign-in to your TrustNet account is locked"),
            render_template("mail/unlock.txt", member=member, link=unlock_link(member)))


def unlocked_account(token: str) -> str | None:
    """The account digest of a valid unlock link token (as long as a reset link lives)."""
    max_age = current_app.config["TRUSTNET_RESET_HOURS"] * 3600
    digest = unsign(PURPOSE_UNLOCK, token, max_age)
    return digest if isinstance(digest, str) else None


def recheck_password(member: Member | None, password: str) -> bool:
    """Whether password is the signed-in member's, within a budget of failures of its own
    (a stolen session must not become a password oracle).

    Raises TooManyAttempts before hashing once the budget of the window is used.
    """
    config = current_app.config
    limit = Limit("recheck", member.id if member else "", config["TRUSTNET_LOGIN_LIMIT_ACCOUNT"])
    throttle = services().throttle
    if throttle.reserve([limit], config["TRUSTNET_LOGIN_WINDOW_S"]) is not None:
        raise TooManyAttempts(_("Too many wrong passwords. Wait a few minutes."))
    ok, _rehash = check_password(member.password_hash if member else None, password)
    if ok:
        throttle.clear(limit)
    return ok


def reserve_reset_mail(address: str) -> None:
    """Reserve one reset mail for address, from this client, or raise TooManyAttempts.

    Known and unknown addresses count alike, so the refusal tells nothing either.
    """
    config = current_app.config
    limits = [Limit("reset-address", account_key(address), config["TRUSTNET_RESET_LIMIT_ADDRESS"]),
              Limit("reset-ip", client_address(), config["TRUSTNET_RESET_LIMIT_IP"])]
    if services().throttle.reserve(limits, config["TRUSTNET_RESET_WINDOW_S"]) is not None:
        raise TooManyAttempts(_("Too many requests for a password link. Wait a while: the "
                                "links already sent still work."))
