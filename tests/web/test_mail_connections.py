"""Mail sent in one block goes through one SMTP connection (trustnet.mail.one_connection,
as a ban's cascade mails the members it suspends), a connection lost between two messages
is opened again, and a message sent outside a block has a connection of its own (real SMTP
capture)."""

from __future__ import annotations

from flask import g

from trustnet import mail


def test_a_block_shares_one_connection_and_opens_another_once_it_is_lost(app, mailbox):
    addresses = [f"member{n}@example.org" for n in range(4)]
    with app.app_context():
        with mail.one_connection():
            mail.send_mail(addresses[0], "First", "One.")
            mail.send_mail(addresses[1], "Second", "Two.")
            getattr(g, mail._SHARED_SMTP).close()  # the connection drops between two messages
            mail.send_mail(addresses[2], "Third", "Three.")
        mail.send_mail(addresses[3], "Alone", "Four.")

    mailbox.wait_for(4)
    assert [m["To"] for m in mailbox.messages] == addresses
    assert mailbox.connections_to(set(addresses[:2])) == 1
    assert mailbox.connections_to(set(addresses[:3])) == 2
    assert mailbox.connections_to(set(addresses)) == 3
