"""Outgoing mail: through SMTP when TRUSTNET_SMTP_HOST is set, otherwise into the outbox
folder as .eml files, so a local install works with no mail server."""

from __future__ import annotations

import logging
import smtplib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app, g

from graph import members
from graph.emails import is_one_plain_mailbox
from graph.members import Member
from trustnet.i18n import locale_for_mail, mail_language
from trustnet.services import graph_engine, plus_apart

log = logging.getLogger(__name__)
_AFTER_REQUEST = "trustnet_mail_after_request"
_SHARED_SMTP = "trustnet_mail_shared_smtp"  # in g: None until the block's first message
MAIL_THREAD_NAME = "trustnet-mail"


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message to one address, and to nobody else.

    The address must be one plain mailbox (graph.emails), so that no header decoding
    turns it into extra recipients; a subject with a line break is refused by the library.
    """
    if not is_one_plain_mailbox(to):
        raise ValueError(f"not one plain mailbox: {to!r}")
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["TRUSTNET_MAIL_FROM"]
    message["To"] = Address(addr_spec=to)
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="trustnet")
    message.set_content(body)
    if config["TRUSTNET_SMTP_HOST"]:
        _send_smtp(message)
    else:
        _write_outbox(message, Path(config["TRUSTNET_OUTBOX_DIR"]))


def mail_member_in_background(address: str,
                              compose: Callable[[Member], tuple[str, str]]) -> None:
    """Mail the member of address (if any, and not banned) compose(member)'s subject and
    body, in their language, without making the request wait.

    Used where whether an address belongs to a member must stay secret (password reset,
    unlock link): the request does the same work for every address, and the look-up,
    the rendering and the sending happen once the request is over, in a thread of their
    own (start_mail_after_request).
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    visitor_language = locale_for_mail(None)  # for a member who chose none

    def deliver() -> None:
        with app.app_context():
            try:
                member = members.find_member_by_email(graph_engine(), address, plus_apart())
                if member is None or member.status == "banned":
                    return
                with mail_language(member.locale or visitor_language):
                    subject, body = compose(member)
                send_mail(member.email, subject, body)
            except Exception:  # a thread of its own: nobody else would hear of it
                log.exception("could not send mail")

    g.setdefault(_AFTER_REQUEST, []).append(deliver)


def start_mail_after_request(_error: BaseException | None) -> None:
    """Start the deliveries a request left (teardown): its own work is over by then, so
    theirs does not lengthen it, and how long it took tells nothing about them."""
    for deliver in g.pop(_AFTER_REQUEST, []):
        threading.Thread(target=deliver, name=MAIL_THREAD_NAME, daemon=True).start()


@contextmanager
def one_connection() -> Iterator[None]:
    """Send the mail of this block over one SMTP connection, opened for its first message
    and closed at its end: a ban's cascade mails every member it suspends, and a connection
    per message was a TCP (and TLS) handshake and a login per member. A connection the
    server closes meanwhile is opened again for the next message."""
    if _SHARED_SMTP in g:  # an enclosing block shares its own
        yield
        return
    g.setdefault(_SHARED_SMTP, None)
    try:
        yield
    finally:
        smtp = g.pop(_SHARED_SMTP, None)
        if smtp is not None:
            with suppress(smtplib.SMTPException, OSError):
                smtp.quit()


def _send_smtp(message: EmailMessage) -> None:
    if _SHARED_SMTP not in g:
        with _connect() as smtp:
            smtp.send_message(message)
        return
    smtp = g.get(_SHARED_SMTP)
    if smtp is not None:
        try:
            smtp.send_message(message)
            return
        except smtplib.SMTPServerDisconnected:
            pass  # closed by the server since the last message: open another
    smtp = _connect()
    setattr(g, _SHARED_SMTP, smtp)
    smtp.send_message(message)


def _connect() -> smtplib.SMTP:
    """A connection to the configured SMTP server, through TLS and signed in if set."""
    config = current_app.config
    smtp = smtplib.SMTP(config["TRUSTNET_SMTP_HOST"], config["TRUSTNET_SMTP_PORT"], timeout=10)
    try:
        if config["TRUSTNET_SMTP_STARTTLS"]:
            smtp.starttls()
        if config["TRUSTNET_SMTP_USER"]:
            smtp.login(config["TRUSTNET_SMTP_USER"], config["TRUSTNET_SMTP_PASSWORD"])
    except BaseException:
        smtp.close()
        raise
    return smtp


def _write_outbox(message: EmailMessage, outbox: Path) -> None:
    outbox.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns()}-{message['Message-ID'].strip('<>').split('@')[0]}.eml"
    (outbox / name).write_bytes(message.as_bytes())
