"""The admin side at work: ban with its preview, unban, reports, appeals, the audit log."""

from __future__ import annotations

import re
import threading

import pytest
from admin_fixtures import (  # noqa: F401
    admin_browser_fixture,
    admin_fixture,
    confirm_preview,
    preview_ban,
)
from conftest import csrf_token, link_in, mail_body, path_of, text
from factories import invitation, redeem, reload, sponsored

from graph import abuse_reports, audit, bans, members, roles, sanction_appeals, sponsorship
from trustnet.admin.routes import AUDIT_ACTIONS

OFFER = """
MATCH (m:Member {id: $owner_id})
CREATE (m)-[:OFFERS]->(:Offer {id: $id, title: 'Cordless drill', status: 'active',
                               hidden: false, visibility: 0, created_at: 0})
"""
HIDDEN = "MATCH (o:Offer {id: $id}) RETURN o.hidden AS hidden"


@pytest.fixture
def people(engine, admin):
    """alice (admin) -> bob -> carol, bob -> dave; alice -> erin -> dave."""
    bob = sponsored(engine, admin, "Bob")
    erin = sponsored(engine, admin, "Erin")
    carol = sponsored(engine, bob, "Carol")
    dave = sponsored(engine, bob, "Dave")
    sponsorship.confirm_vouch(engine, dave.id, sponsorship.offer_vouch(engine, erin.id, dave.email))
    return {"bob": bob, "erin": erin, "carol": carol, "dave": dave}


def preview(client, member, reason="sells counterfeit goods"):
    return preview_ban(client, member.id, reason)


def test_ban_from_preview_to_result_with_notices(app, engine, admin, admin_browser, people,
                                                 mailbox):
    client = admin_browser(admin)
    bob, carol = people["bob"], people["carol"]
    bobs_browser = app.test_client()
    with bobs_browser.session_transaction() as session:
        session["_user_id"] = f"{bob.id}:{bob.session_version}"
    assert bobs_browser.get("/settings").status_code == 200

    page = preview(client, bob)
    assert page.status_code == 200
    assert "Carol" in text(page) and "Dave" not in text(page).split("Strikes")[0]
    assert reload(engine, carol).status == "active"  # the preview changed nothing

    done = confirm_preview(client, page)
    assert done.status_code == 200
    assert "The network changed" not in text(done)
    assert reload(engine, bob).status == "banned"
    assert reload(engine, carol).status == "suspended"
    assert reload(engine, people["dave"]).status == "active"

    assert bobs_browser.get("/settings").status_code == 302  # the copied session is dead
    messages = mailbox.wait_for(2)
    ban_notice = [m for m in messages if m["To"] == "bob@example.org"][0]
    assert "sells counterfeit goods" in mail_body(ban_notice)
    strike = [m for m in messages if m["To"] == "alice@example.org"][0]
    assert "Bob" in mail_body(strike)

    carols_browser = app.test_client()
    with carols_browser.session_transaction() as session:
        session["_user_id"] = f"{carol.id}:{carol.session_version}"
    for path in ("/", "/network", "/invitations", "/settings", "/offers/mine"):
        response = carols_browser.get(path)
        assert (response.status_code, response.headers.get("Location")) == (302, "/suspended")
    assert "sponsor chain was broken" in text(carols_browser.get("/suspended"))

    # The banned member appeals through the link of the notice, once.
    appeal_path = path_of(link_in(mail_body(ban_notice)))
    anonymous = app.test_client()
    form = anonymous.get(appeal_path)
    sent = anonymous.post(appeal_path, data={"csrf_token": csrf_token(text(form)),
                                             "text": "It was a misunderstanding."})
    assert "Your appeal was sent" in text(sent)
    assert "already appealed" in text(anonymous.get(appeal_path))

    queue = client.get("/admin/appeals")
    assert "It was a misunderstanding." in text(queue)
    appeal_id = sanction_appeals.open_appeals(engine)[0].id
    granted = client.post(f"/admin/appeals/{appeal_id}", data={
        "csrf_token": csrf_token(text(queue)), f"{appeal_id}-note": "Granted on review.",
        "decision": "granted"})
    assert granted.status_code == 302
    assert reload(engine, bob).status == "active"
    assert reload(engine, carol).status == "active"
    outcome = mailbox.wait_for(4)[-1]
    assert outcome["To"] == "bob@example.org" and "Granted on review." in mail_body(outcome)


def test_the_ban_reason_travels_in_form_bodies_never_in_an_address(
        engine, admin, admin_browser, people, caplog):
    client = admin_browser(admin)
    bob = people["bob"]
    reason = "told Carol her flat was on fire"
    member_page = text(client.get(f"/admin/members/{bob.id}"))
    ban_form = member_page[member_page.index('<section class="danger-zone"'):]
    assert f'<form method="post" action="/admin/members/{bob.id}/ban/preview"' in ban_form
    assert 'name="csrf_token"' in ban_form
    assert client.get(f"/admin/members/{bob.id}/ban/preview",
                      query_string={"reason": reason}).status_code == 405

    with caplog.at_level("INFO"):  # a server's log (the Neo4j driver's debug lines hold
        page = preview_ban(client, bob.id, reason)  # every parameter of every statement)
        assert page.status_code == 200 and reason in text(page)
        confirm = text(page)[text(page).index('<form method="post"'):]
        assert 'method="post"' in confirm and "?" not in re.search(
            r'action="([^"]+)"', confirm).group(1)
        done = confirm_preview(client, page)
    assert done.status_code == 200 and reload(engine, bob).status == "banned"
    logged = [record for record in caplog.records  # but the mail the test's SMTP server got
              if record.name != "mail.log" and reason in record.getMessage()]
    assert not logged


def test_a_ban_preview_without_a_reason_shows_the_member_page_with_the_error(
        engine, admin, admin_browser, people):
    client = admin_browser(admin)
    bob = people["bob"]
    page = preview_ban(client, bob.id, "   ")
    assert page.status_code == 200
    assert 'id="reason-error"' in text(page) and "<h1>Bob</h1>" in text(page)
    assert reload(engine, bob).status == "active"


def test_the_admin_sees_what_changed_since_the_preview(app, engine, admin, admin_browser,
                                                       people):
    client = admin_browser(admin)
    page = preview(client, people["bob"])
    _, secret = invitation(engine, people["carol"], "newcomer@example.org")
    newcomer = redeem(engine, secret, "Newcomer")  # joins below bob after the preview
    done = confirm_preview(client, page)
    assert "The network changed since your preview" in text(done)
    assert "Newcomer" in text(done)
    assert reload(engine, newcomer).status == "suspended"


def test_unban_from_the_member_page(app, engine, admin, admin_browser, people, mailbox):
    client = admin_browser(admin)
    bans.ban(engine, admin.id, people["bob"].id, "spam", strike_threshold=2)
    page = client.get(f"/admin/members/{people['bob'].id}")
    assert "Lift the ban" in text(page)
    response = client.post(f"/admin/members/{people['bob'].id}/unban",
                           data={"csrf_token": csrf_token(text(page)), "reason": "mistake"})
    assert response.status_code == 302
    assert reload(engine, people["carol"]).status == "active"
    assert sorted(m["To"] for m in mailbox.wait_for(2)) == [  # Carol is active again too
        "bob@example.org", "carol@example.org"]


def test_reports_queue_hide_dismiss_and_ban(app, engine, admin, admin_browser, people,
                                            browser):
    engine.write(OFFER, {"owner_id": people["bob"].id, "id": "offer1"})
    reporter = browser(people["erin"])
    form = reporter.get("/report/offer/offer1")
    assert form.status_code == 200
    sent = reporter.post("/report/offer/offer1", data={
        "csrf_token": csrf_token(text(form)), "reason": "scam", "text": "fake drill"})
    assert sent.status_code == 302
    reporter.post("/report/member/" + people["dave"].id, data={
        "csrf_token": csrf_token(text(form)), "reason": "abuse", "text": "rude"})

    client = admin_browser(admin)
    queue = client.get("/admin/reports")
    assert "fake drill" in text(queue) and "rude" in text(queue)
    reports = {r.kind: r for r in abuse_reports.open_reports(engine)}
    token = csrf_token(text(queue))
    client.post(f"/admin/reports/{reports['offer'].id}/hide", data={"csrf_token": token})
    assert engine.read(HIDDEN, {"id": "offer1"})[0]["hidden"] is True
    client.post(f"/admin/reports/{reports['member'].id}/dismiss", data={"csrf_token": token})
    assert abuse_reports.open_reports(engine) == []
    assert "No open report" in text(client.get("/admin/reports"))


def test_suspended_member_appeals_and_is_rejected(app, engine, admin, admin_browser, people,
                                                  browser, mailbox):
    bans.ban(engine, admin.id, people["bob"].id, "spam", strike_threshold=2)
    carol = browser(reload(engine, people["carol"]))
    page = carol.get("/suspended")
    carol.post("/suspended/appeal", data={"csrf_token": csrf_token(text(page)),
                                          "text": "I barely know Bob."})
    assert "Your appeal was sent" in text(carol.get("/suspended"))
    client = admin_browser(admin)
    queue = client.get("/admin/appeals")
    appeal_id = sanction_appeals.open_appeals(engine)[0].id
    client.post(f"/admin/appeals/{appeal_id}", data={
        "csrf_token": csrf_token(text(queue)), f"{appeal_id}-note": "Find a sponsor.",
        "decision": "rejected"})
    assert reload(engine, people["carol"]).status == "suspended"
    outcome = mailbox.wait_for(1)[-1]
    assert outcome["To"] == "carol@example.org" and "rejected" in mail_body(outcome)


def test_pages_render_dashboard_search_member_tree_audit(app, engine, admin, admin_browser,
                                                         people):
    bans.ban(engine, admin.id, people["bob"].id, "spam", strike_threshold=2)
    client = admin_browser(admin)
    dashboard = text(client.get("/admin/"))
    assert "Bans in force" in dashboard
    found = text(client.get("/admin/members", query_string={"q": "CAR"}))
    assert "carol@example.org" in found and "erin@" not in found
    member = text(client.get(f"/admin/members/{people['dave'].id}"))
    assert "Bob" in member and "Erin" in member and "Alice" in member  # chain up to alice
    record = text(client.get(f"/admin/members/{admin.id}"))
    assert "Brought in" in record
    assert "Alice" in text(client.get("/admin/tree"))
    assert "Carol" in text(client.get(f"/admin/tree/{people['bob'].id}"))
    log = text(client.get("/admin/audit", query_string={"action": "suspend"}))
    assert "Carol" in log and "spam" in log
    by_member = text(client.get("/admin/audit", query_string={"member": "bob@example.org"}))
    assert "ban" in by_member and "Carol" not in by_member


def test_two_admins_lift_one_ban_at_once_and_the_second_is_told_it_is_lifted(
        app, engine, admin, admin_browser, people, mailbox):
    bob = people["bob"]
    roles.set_admin(engine, None, people["erin"].id, True)
    erin = reload(engine, people["erin"])
    bans.ban(engine, admin.id, bob.id, "spam", strike_threshold=2)
    browsers = [admin_browser(admin), admin_browser(erin)]
    tokens = [csrf_token(text(client.get(f"/admin/members/{bob.id}"))) for client in browsers]
    answers: list = [None, None]

    def lift(index: int) -> None:
        answers[index] = browsers[index].post(
            f"/admin/members/{bob.id}/unban", follow_redirects=True,
            data={"csrf_token": tokens[index], "reason": "mistake"})

    threads = [threading.Thread(target=lift, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    pages = sorted(text(answer) for answer in answers)
    assert [answer.status_code for answer in answers] == [200, 200]  # each on Bob's page
    assert [answer.request.path for answer in answers] == [f"/admin/members/{bob.id}"] * 2
    assert sum("Ban lifted" in page for page in pages) == 1
    assert sum("this member is not banned" in page for page in pages) == 1
    assert reload(engine, bob).status == "active"
    assert sorted(m["To"] for m in mailbox.wait_for(3, timeout=1.0)) == [  # one each
        "bob@example.org", "carol@example.org"]
def test_every_action_the_audit_log_records_has_a_label():
    assert list(AUDIT_ACTIONS) == list(audit.ACTIONS)


# 2026-12-06 14:05:09 UTC
BAN_TIME = 1796565909


@pytest.mark.parametrize(("language", "ban", "suspend", "when"), [
    ("en", "Banned", "Suspended (no sponsor chain left)", "December 6, 2026, 2:05:09\u202fPM UTC"),
    ("fr", "Banni", "Suspendu (plus aucune chaîne de parrainage)", "6 décembre 2026, 14:05:09 TU"),
])
def test_the_audit_log_says_what_happened_and_when_in_the_admins_language(
        engine, admin, admin_browser, people, language, ban, suspend, when):
    members.set_locale(engine, admin.id, language)
    bans.ban(engine, admin.id, people["bob"].id, "spam", strike_threshold=2, now=BAN_TIME)
    client = admin_browser(reload(engine, admin))

    log = text(client.get("/admin/audit"))
    rows = re.findall(r"<tr>(.*?)</tr>", log, re.S)
    bob_row = next(row for row in rows if ">Bob</a>" in row)
    assert f"<td>{when}</td>" in bob_row and f"<td>{ban}</td>" in bob_row
    carol_row = next(row for row in rows if ">Carol</a>" in row)
    assert f"<td>{suspend}</td>" in carol_row
    assert f'<option value="suspend">{suspend}</option>' in log  # the filter's choices too
