"""The invitations page: the quota, who may be invited, the list of sent invitations, revoking."""

from __future__ import annotations

import re
import time

import pytest
from conftest import join_path, link_in, mail_body, path_of, post_form, text
from factories import founder, invitation, redeem, sponsored

from graph import invitations

SHOWN_LINK = re.compile(r'id="invitation-link"[^>]*value="([^"]+)"')
ROW = re.compile(r"<td>([^<]+)</td>\s*<td><span class=\"tag status-\w+\">([^<]+)</span>"
                 r"(?:\s*<span class=\"small\">([^<]+)</span>)?")
REVOKE_ACTION = re.compile(r'action="(/invitations/\w+/revoke)"')


@pytest.fixture
def alice(engine):
    return founder(engine)


@pytest.fixture
def alice_browser(browser, alice):
    return browser(alice)


def send(alice_browser, email: str, note: str = ""):
    """Fill in and send the invitation form."""
    return post_form(alice_browser, "/invitations", {"email": email, "note": note})


def sent_statuses(engine, member) -> list[str]:
    return [i.status for i in invitations.list_invitations(engine, member.id)]


def test_an_invitation_is_mailed_with_the_note_and_the_inviter_sees_the_same_link(
        alice_browser, engine, mailbox, alice):
    response = send(alice_browser, "bob@example.org", "Come lend us your drill")

    assert response.status_code == 200
    assert "Invitation sent to bob@example.org." in text(response)
    shown = SHOWN_LINK.search(text(response))
    assert shown, "the inviter sees no link to copy"
    mail = mailbox.wait_for(1)[0]
    assert (mail["To"], mail["Subject"]) == ("bob@example.org",
                                             "Alice invites you to TrustNet")
    body = mail_body(mail)
    assert "Come lend us your drill" in body
    assert link_in(body) == shown.group(1)
    assert path_of(shown.group(1)).startswith("/join/")
    assert sent_statuses(engine, alice) == ["pending"]


def test_the_page_shows_the_default_quota_of_five_and_counts_down(alice_browser):
    assert "You have 5 invitations left." in text(alice_browser.get("/invitations"))
    send(alice_browser, "bob@example.org")
    assert "You have 4 invitations left." in text(alice_browser.get("/invitations"))


class TestWithAQuotaOfTwo:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "TRUSTNET_INVITE_QUOTA": 2}

    def test_the_quota_is_enforced_with_a_clear_error_and_a_revoke_gives_a_place_back(
            self, alice_browser, engine, mailbox, alice):
        first, _ = invitation(engine, alice, "bob@example.org")
        invitation(engine, alice, "carol@example.org")
        page = text(alice_browser.get("/invitations"))
        assert "You have 0 invitations left." in page
        assert "You have no invitation left for now." in page

        response = send(alice_browser, "dave@example.org", "please join")

        assert response.status_code == 200
        assert "you have used all 2 of your invitations" in text(response)
        assert len(sent_statuses(engine, alice)) == 2
        assert mailbox.messages == []

        invitations.revoke_invitation(engine, alice.id, first)
        assert "You have 1 invitation left." in text(alice_browser.get("/invitations"))
        assert send(alice_browser, "dave@example.org").status_code == 200
        assert sorted(sent_statuses(engine, alice)) == ["pending", "pending", "revoked"]


class TestWithThreeInvitationMailsADay:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "TRUSTNET_INVITE_MAILS_PER_DAY": 3}

    def test_inviting_and_revoking_in_a_loop_sends_no_more_mails_than_the_day_allows(
            self, alice_browser, engine, mailbox, alice):
        for n in range(3):
            sent = send(alice_browser, "target@example.org", f"note {n}")
            assert "Invitation sent to target@example.org." in text(sent)
            revoke = REVOKE_ACTION.search(text(alice_browser.get("/invitations")))
            assert revoke, "no invitation to revoke on the page"
            post_form(alice_browser, revoke.group(1), {}, page="/invitations")

        refused = send(alice_browser, "target@example.org", "note 3")
        elsewhere = send(alice_browser, "someone@example.org")

        for response in (refused, elsewhere):
            assert response.status_code == 200
            assert ("you have sent 3 invitations in the last 24 hours: wait a day before "
                    "sending another") in text(response)
        assert len(mailbox.wait_for(4, timeout=1)) == 3
        assert sent_statuses(engine, alice) == ["revoked"] * 3


@pytest.mark.parametrize("spelling", [
    "jane.doe@gmail.com", "Jane.Doe@GMAIL.com", "janedoe@gmail.com", "jane.doe+tn@gmail.com",
    "jane.doe@googlemail.com",
])
def test_the_address_of_a_member_cannot_be_invited_in_any_spelling(
        alice_browser, engine, mailbox, alice, spelling):
    sponsored(engine, alice, "Jane", "jane.doe@gmail.com")

    response = send(alice_browser, spelling, "hello")

    assert response.status_code == 200
    assert "this address cannot be invited: it already belongs to an account" in text(response)
    assert sent_statuses(engine, alice) == ["redeemed"]
    assert mailbox.messages == []  # invitations are mailed before the page answers


def test_an_address_invited_and_still_pending_cannot_be_invited_again(
        alice_browser, engine, mailbox, alice):
    invitation_id, _ = invitation(engine, alice, "bob@example.org")

    response = send(alice_browser, "Bob@Example.org")

    assert "you have already invited this address; the invitation is still open" in text(
        response)
    assert sent_statuses(engine, alice) == ["pending"]
    invitations.revoke_invitation(engine, alice.id, invitation_id)
    assert "Invitation sent" in text(send(alice_browser, "bob@example.org"))


@pytest.mark.parametrize(("email", "message"), [
    ("not-an-email", "This is not a valid e-mail address."),
    ("bob@localhost", "This is not a valid e-mail address."),
    ("bob@@example.org", "This is not a valid e-mail address."),
    ("", "This field is required."),
    ("b" * 250 + "@example.org", "Field cannot be longer than 254 characters."),
])
def test_an_invalid_address_shows_the_form_again_with_why_and_the_note(
        alice_browser, engine, mailbox, alice, email, message):
    response = send(alice_browser, email, "Come lend us your drill")

    assert response.status_code == 200
    assert message in text(response)
    assert "Come lend us your drill</textarea>" in text(response)
    assert sent_statuses(engine, alice) == []
    assert mailbox.messages == []


def test_the_list_shows_pending_accepted_withdrawn_and_expired_invitations(
        alice_browser, engine, alice):
    invitation(engine, alice, "pending@example.org")
    _, accepted = invitation(engine, alice, "accepted@example.org")
    redeem(engine, accepted, "Accepted Person")
    withdrawn, _ = invitation(engine, alice, "withdrawn@example.org")
    invitations.revoke_invitation(engine, alice.id, withdrawn)
    invitation(engine, alice, "expired@example.org", lifetime_s=60, now=time.time() - 120)

    page = text(alice_browser.get("/invitations"))

    assert sorted(ROW.findall(page)) == [
        ("accepted@example.org", "accepted", "Accepted Person"),
        ("expired@example.org", "expired", ""),
        ("pending@example.org", "pending", ""),
        ("withdrawn@example.org", "withdrawn", ""),
    ]
    assert len(REVOKE_ACTION.findall(page)) == 1  # only the pending one can be withdrawn


def test_withdrawing_an_invitation_closes_its_link(app, alice_browser, engine, alice):
    _, secret = invitation(engine, alice, "bob@example.org")
    action = REVOKE_ACTION.search(text(alice_browser.get("/invitations"))).group(1)

    response = post_form(alice_browser, action, {}, page="/invitations")

    assert (response.status_code, response.headers["Location"]) == (302, "/invitations")
    page = text(alice_browser.get("/invitations"))
    assert "Invitation withdrawn: its link no longer works." in page
    assert sent_statuses(engine, alice) == ["revoked"]
    closed = app.test_client().get(join_path(app, secret))
    assert closed.status_code == 410
    assert "This invitation was withdrawn by the member who sent it." in text(closed)


def test_a_member_cannot_withdraw_someone_elses_invitation(browser, engine, alice):
    invitation_id, _ = invitation(engine, alice, "bob@example.org")
    mallory = browser(sponsored(engine, alice, "Mallory"))

    response = post_form(mallory, f"/invitations/{invitation_id}/revoke", {},
                         page="/invitations")

    assert response.status_code == 404  # not hers: it names nothing for her
    assert sent_statuses(engine, alice) == ["redeemed", "pending"]
