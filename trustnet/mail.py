"""Outgoing mail: through SMTP when TRUSTNET_SMTP_HOST is set, otherwise into the outbox
folder as .eml files, so a local install works with no mail server."""

from __future__ import annotations

import logging
import smtplib
import threading
import time
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app

from graph.emails import is_one_plain_mailbox

log = logging.getLogger(__name__)


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


def send_mail_in_background(to: str, subject: str, body: str) -> None:
    """Send without making the request wait, so that its timing tells nothing.

    Used where whether a mail is sent at all must stay secret (password reset).
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def deliver() -> None:
        with app.app_context():
            try:
                send_mail(to, subject, body)
            except OSError as error:
                log.error("could not send mail: %s", error)

    threading.Thread(target=deliver, daemon=True).start()


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["TRUSTNET_SMTP_HOST"], config["TRUSTNET_SMTP_PORT"],
                      timeout=10) as smtp:
        if config["TRUSTNET_SMTP_STARTTLS"]:
            smtp.starttls()
        if config["TRUSTNET_SMTP_USER"]:
            smtp.login(config["TRUSTNET_SMTP_USER"], config["TRUSTNET_SMTP_PASSWORD"])
        smtp.send_message(message)


def _write_outbox(message: EmailMessage, outbox: Path) -> None:
    outbox.mkdir(parents=True, exist_ok=True)
    name = f"{time.time_ns()}-{message['Message-ID'].strip('<>').split('@')[0]}.eml"
    (outbox / name).write_bytes(message.as_bytes())
