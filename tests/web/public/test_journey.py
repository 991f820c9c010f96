"""The whole way in: a founder signs in, invites, the newcomer registers from the e-mail and
confirms their address from a second one."""

from __future__ import annotations

from urllib.parse import urlsplit

from conftest import confirmation_path, link_in, mail_body, post_form, sign_in
from factories import founder


def test_founder_invites_and_newcomer_registers_and_sees_sponsor(app, client, mailbox):
    engine = app.extensions["trustnet"].connection.engine
    founder(engine, "Alice")
    assert sign_in(client, "alice@example.org").status_code == 302

    response = post_form(client, "/invitations",
                         {"email": "Bob@Example.org", "note": "Come lend us your drill"})
    assert response.status_code == 200
    shown_link = link_in(response.get_data(as_text=True).split('value="')[-1])
    mail = mailbox.wait_for(1)[0]
    assert mail["To"] == "bob@example.org"  # the mailbox as stored, and no other
    assert "Alice invites you" in mail["Subject"]
    body = mail_body(mail)
    assert "Come lend us your drill" in body
    link = link_in(body)
    assert urlsplit(link).path == urlsplit(shown_link.rstrip('">')).path

    newcomer = app.test_client()
    page = newcomer.get(urlsplit(link).path)
    assert page.status_code == 200
    assert "Alice invites you" in page.get_data(as_text=True)
    response = post_form(newcomer, urlsplit(link).path,
                         {"name": "Bob", "password": "a long password",
                          "confirm": "a long password"})
    assert response.status_code == 302
    confirm = confirmation_path(mailbox, "bob@example.org")
    assert post_form(newcomer, confirm, {}).headers["Location"] == "/"
    network = newcomer.get("/network").get_data(as_text=True)
    assert "Who sponsored me" in network and "Alice" in network

    newcomer.post("/logout", data={})  # without CSRF: refused, still signed in
    assert newcomer.get("/network").status_code == 200
    relogin = app.test_client()
    assert sign_in(relogin, "bob@example.org", "a long password").status_code == 302
