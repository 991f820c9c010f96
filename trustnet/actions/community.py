"""Importing an existing community, and mailing its members a link to claim their account."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence

from flask import current_app, render_template
from flask_babel import gettext as _

from graph import importer, members
from trustnet.i18n import mail_language, member_locale
from trustnet.links import password_link
from trustnet.mail import send_mail
from trustnet.services import graph_engine, plus_apart, services

Report = Callable[[int, int], None]  # report(done, total) after each step


def import_community(lines: Iterable[str], report: Report) -> importer.ImportReport:
    """Import members and sponsorships from JSON Lines (graph.importer.import_community:
    the whole file validated first, ImportFileError listing every error and nothing written).
    Effects: the members and sponsorships, written in batches (`report` after each); with
    the embedded engine, its log folded into a snapshot before and after, so that no restart,
    even after a crash, replays the import statement by statement without the schema's
    indexes (see graph.embedded)."""
    embedded = services().connection.embedded
    if embedded is not None:
        embedded.fold_log()
    imported = importer.import_community(graph_engine(), lines, progress=report,
                                         plus_apart=plus_apart())
    if embedded is not None:
        embedded.fold_log()
    return imported


def send_claim_mails(email_keys: Sequence[str], per_second: float, report: Report) -> int:
    """Mail each member of these address keys who has no password yet a single-use link
    (TRUSTNET_CLAIM_DAYS) to set it, in their language, at most `per_second` mails a second
    (`report` after each); returns how many were sent. Run again, it mails those who still
    have not claimed their account. Needs a request context on the site's address, for the
    links."""
    unclaimed = members.unclaimed_members(graph_engine(), email_keys)
    for done, member in enumerate(unclaimed, start=1):
        with mail_language(member_locale(member.locale)):
            subject = _("Your TrustNet account is waiting for you")
            body = render_template("mail/claim.txt", member=member,
                                   link=password_link(member, claim=True),
                                   days=current_app.config["TRUSTNET_CLAIM_DAYS"])
        send_mail(member.email, subject, body)
        report(done, len(unclaimed))
        if done < len(unclaimed):
            time.sleep(1 / per_second)
    return len(unclaimed)
