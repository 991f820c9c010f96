"""The whole app as a state machine: random sequences of what members do, through the real
Flask app on the real engine, with the invariants checked after every step.

Steps: invite, redeem an invitation (and try to redeem a used one again), vouch (offer and
confirm), vouch for a suspended member from their link, ban and unban (admin pages), sign
in and out, change a password, post an offer, open an offer. Invariants, from a dump of
the graph and from what each member's browser gets:

- no banned or suspended member is signed in: their browser gets the sign-in page or the
  suspension page, never a member's page;
- no invitation is used twice: one member per redeemed invitation, and none for the rest;
- every active member who is not a founder is anchored: reachable from a founder along
  sponsorships, through active (or departed) members;
- every signed-in member's feed, and every offer page opened, is what the reference
  breadth-first search (tests/reference.py) says they may see.
"""

from __future__ import annotations

import html
import re
import uuid

from conftest import MailCapture, confirmation_path, csrf_token, text
from factories import PASSWORD, founder
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from reference import Community, anchored
from site_map import signed_in

from graph import offers, roles
from trustnet import create_app

JOIN_LINK = re.compile(r"/join/[A-Za-z0-9_.\-]+")
REINSTATE_LINK = re.compile(r"/vouch-for/[A-Za-z0-9_.\-]+")
ANSWER_ACTION = re.compile(r'action="(/vouches/\w+/confirm)"')
OFFER_LINK = re.compile(r'href="/offers/([0-9a-f]{20})"')
OFFER_FORM = {"category": "tools", "description": "Two batteries.", "area": "Lyon",
              "price": "", "available_from": "", "available_until": ""}

MEMBERS = """
MATCH (m:Member)
RETURN m.id AS id, m.email AS email, m.status AS status, coalesce(m.founder, false) AS founder,
       coalesce(m.invites_suspended, false) AS invites_suspended
"""
SPONSORSHIPS = "MATCH (a:Member)-[:SPONSORED]->(b:Member) RETURN a.id AS sponsor, b.id AS sponsee"
OFFERS = """
MATCH (owner:Member)-[:OFFERS]->(o:Offer)
RETURN o.id AS id, owner.id AS owner, o.visibility AS visibility, o.status AS status,
       coalesce(o.hidden, false) AS hidden, o.created_at AS created_at
ORDER BY o.created_at
"""
INVITATIONS = """
MATCH (i:Invitation)
OPTIONAL MATCH (i)-[:REDEEMED_BY]->(m:Member)
RETURN i.id AS id, i.status AS status, count(m) AS members
"""


def confirm_ban(client, member_id: str):
    """Preview a ban on the admin page, then submit its confirmation form as shown."""
    page = text(post_page_form(client, f"/admin/members/{member_id}",
                               f"/admin/members/{member_id}/ban/preview",
                               {"reason": "breaks the rules"}))
    form = page[page.index('<form method="post"'):]
    fields = dict(re.findall(r'<input [^>]*name="([\w-]+)"[^>]*value="([^"]*)"', form))
    action = re.search(r'action="([^"]+)"', form).group(1)
    return client.post(action, data={**{k: html.unescape(v) for k, v in fields.items()},
                                      "reason": "breaks the rules"})


def post_page_form(client, page: str, url: str, data: dict, **kwargs):
    """POST a form with the CSRF token of the page that holds it."""
    token = csrf_token(text(client.get(page)))
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


class MembersAtWork(RuleBasedStateMachine):
    """Members acting through their own browsers; the founder is also the admin."""

    config: dict
    mailbox: MailCapture

    def __init__(self) -> None:
        super().__init__()
        self.app = create_app({**self.config, "TRUSTNET_LOGIN_LIMIT_IP": 1000,
                               "TRUSTNET_GRAPH_NAME": f"test_stateful_{uuid.uuid4().hex[:12]}"})
        self.engine = self.app.extensions["trustnet"].connection.engine
        alice = founder(self.engine, "Alice")
        self.founder_id = alice.id
        # The admin is a founder of their own who does nothing else: members' sign-outs and
        # password changes end every session of theirs, and would end the admin's.
        admin = founder(self.engine, "Admin")
        roles.set_admin(self.engine, None, admin.id, True)
        self.admin_id = admin.id
        self.admin = signed_in(self.app.test_client(), admin)  # a recent sign-in: admin pages
        self.emails = {alice.id: alice.email}
        self.passwords = {alice.id: PASSWORD}
        self.browsers = {alice.id: self.app.test_client()}
        signed_in(self.browsers[alice.id], alice)
        self.links: list[str] = []  # every invitation link sent
        self.used: set[str] = set()  # links that made a member
        self.offer_ids: list[str] = []
        self.count = 0

    def teardown(self) -> None:
        services = self.app.extensions["trustnet"]
        services.connection.engine.drop_graph()
        services.close()

    # What the graph holds now, read back for the reference.
    def members(self) -> dict[str, dict]:
        return {row["id"]: row for row in self.engine.read(MEMBERS)}

    def status(self, member_id: str) -> str:
        return self.members()[member_id]["status"]

    def pick(self, index: int, *, status: str | None = "active") -> str | None:
        """A member by index among those in status (any when None), or None."""
        found = sorted(m for m, row in self.members().items()
                       if (status is None or row["status"] == status) and m in self.browsers)
        return found[index % len(found)] if found else None

    def signed_in_browser(self, member_id: str):
        """The member's browser, signed in through the sign-in form if it was not."""
        browser = self.browsers[member_id]
        if browser.get("/settings").status_code != 200:
            browser = self.browsers[member_id] = self.app.test_client()
            post_page_form(browser, "/login", "/login", {"email": self.emails[member_id],
                                                         "password": self.passwords[member_id]})
        return browser

    # Steps
    @initialize(shape=st.lists(st.integers(0, 50), min_size=2, max_size=5))
    def grow(self, shape: list[int]) -> None:
        """Start from a few members, each invited by an earlier one, as real networks do."""
        for index in shape:
            self.invite(index)
            self.redeem(len(self.links) - 1)

    @rule(index=st.integers(0, 50))
    def invite_and_join(self, index: int) -> None:
        self.invite(index)
        self.redeem(len(self.links) - 1)

    @rule(index=st.integers(0, 50))
    def invite(self, index: int) -> None:
        inviter = self.pick(index)
        if inviter is None:
            return
        self.count += 1
        response = post_page_form(self.signed_in_browser(inviter), "/invitations",
                                  "/invitations", {"email": f"m{self.count}@example.org",
                                                   "note": "Come in"})
        assert response.status_code == 200
        found = JOIN_LINK.search(text(response))
        if found:  # else the inviter's quota is used up, or their right suspended
            self.links.append(found.group(0))

    @rule(index=st.integers(0, 50))
    def redeem(self, index: int) -> None:
        if not self.links:
            return
        link = self.links[index % len(self.links)]
        browser = self.app.test_client()
        before = len(self.members())
        self.count += 1
        name = f"Member {self.count}"
        mailed = len(self.mailbox.messages)
        # A used link shows no form: post anyway, with the token of another page.
        page = link if browser.get(link).status_code == 200 else "/login"
        response = post_page_form(browser, page, link, {
            "name": name, "password": PASSWORD, "confirm": PASSWORD})
        after = self.members()
        if link in self.used:
            assert response.status_code in (409, 410)
            assert len(after) == before
            return
        if response.status_code in (409, 410):  # its sponsor was banned or suspended meanwhile
            assert len(after) == before
            return
        assert response.status_code == 302, text(response)
        self.used.add(link)
        (new_id,) = set(after) - set(self.browsers) - {self.admin_id}
        confirm = confirmation_path(self.mailbox, after[new_id]["email"], since=mailed)
        assert post_page_form(browser, confirm, confirm, {}).status_code == 302
        self.emails[new_id] = after[new_id]["email"]
        self.passwords[new_id] = PASSWORD
        self.browsers[new_id] = browser

    @rule(voucher_index=st.integers(0, 50), target_index=st.integers(0, 50))
    def vouch(self, voucher_index: int, target_index: int) -> None:
        voucher, target = self.pick(voucher_index), self.pick(target_index)
        if voucher is None or target is None or voucher == target:
            return
        post_page_form(self.signed_in_browser(voucher), "/network", "/vouch",
                       {"email": self.emails[target], "note": "We climb together."})
        browser = self.signed_in_browser(target)
        page = text(browser.get("/network"))
        for action in ANSWER_ACTION.findall(page):
            post_page_form(browser, "/network", action, {})

    @rule(voucher_index=st.integers(0, 50), target_index=st.integers(0, 50))
    def vouch_for_suspended(self, voucher_index: int, target_index: int) -> None:
        voucher, target = self.pick(voucher_index), self.pick(target_index, status="suspended")
        if voucher is None or target is None:
            return
        page = text(self.signed_in_browser(target).get("/suspended", follow_redirects=True))
        found = REINSTATE_LINK.search(page)
        assert found, "a suspended member's page shows the link to share"
        linked = {frozenset((row["sponsor"], row["sponsee"]))
                  for row in self.engine.read(SPONSORSHIPS)}
        # Strikes stop a voucher, and so does a sponsorship already between the two (either
        # way: a suspended sponsor cannot be anchored by their own sponsee).
        may_sponsor = (not self.members()[voucher]["invites_suspended"]
                       and frozenset((voucher, target)) not in linked)
        response = post_page_form(self.signed_in_browser(voucher), found.group(0),
                                  found.group(0), {})
        assert response.status_code == 302
        assert self.status(target) == ("active" if may_sponsor else "suspended")

    @rule(index=st.integers(0, 50))
    def ban(self, index: int) -> None:
        target = self.pick(index, status=None)
        if target is None or target == self.founder_id or self.status(target) == "banned":
            return
        response = confirm_ban(self.admin, target)
        assert response.status_code in (200, 302), text(response)
        assert self.status(target) == "banned"

    @rule(index=st.integers(0, 50))
    def unban(self, index: int) -> None:
        target = self.pick(index, status="banned")
        if target is None:
            return
        response = post_page_form(self.admin, f"/admin/members/{target}",
                                  f"/admin/members/{target}/unban", {"reason": "appeal granted"})
        assert response.status_code in (200, 302)
        assert self.status(target) != "banned"

    @rule(index=st.integers(0, 50))
    def sign_in(self, index: int) -> None:
        member = self.pick(index, status=None)
        if member is None:
            return
        browser = self.browsers[member] = self.app.test_client()
        post_page_form(browser, "/login", "/login", {"email": self.emails[member],
                                                     "password": self.passwords[member]})

    @rule(index=st.integers(0, 50))
    def sign_out(self, index: int) -> None:
        member = self.pick(index)
        if member is None:
            return
        browser = self.signed_in_browser(member)
        post_page_form(browser, "/settings", "/logout", {})
        assert browser.get("/settings").status_code == 302

    @rule(index=st.integers(0, 50))
    def change_password(self, index: int) -> None:
        member = self.pick(index)
        if member is None:
            return
        self.count += 1
        new = f"a new password {self.count}"
        browser = self.signed_in_browser(member)
        response = post_page_form(browser, "/settings", "/settings", {
            "pw-current": self.passwords[member], "pw-password": new, "pw-confirm": new})
        assert response.status_code == 302
        self.passwords[member] = new
        assert browser.get("/settings").status_code == 302  # signed out everywhere

    @rule(index=st.integers(0, 50), visibility=st.sampled_from(offers.VISIBILITIES))
    def post_offer(self, index: int, visibility: int) -> None:
        owner = self.pick(index)
        if owner is None:
            return
        self.count += 1
        response = post_page_form(self.signed_in_browser(owner), "/offers/new", "/offers/new", {
            **OFFER_FORM, "title": f"Offer {self.count}", "visibility": str(visibility)})
        assert response.status_code == 302, text(response)
        self.offer_ids.append(response.headers["Location"].rsplit("/", 1)[1])

    @rule(index=st.integers(0, 50), offer_index=st.integers(0, 50))
    def view_offer(self, index: int, offer_index: int) -> None:
        viewer = self.pick(index)
        if viewer is None or not self.offer_ids:
            return
        offer_id = self.offer_ids[offer_index % len(self.offer_ids)]
        status = self.signed_in_browser(viewer).get(f"/offers/{offer_id}").status_code
        community = self.community()
        offer = next(o for o in community.offers if o["id"] == offer_id)
        expected = community.sees(viewer, offer, self.app.config["TRUSTNET_MAX_DEGREE"])
        assert status == (200 if expected else 404), (viewer, offer)

    # Invariants
    def community(self) -> Community:
        members = self.members()
        links = {frozenset((row["sponsor"], row["sponsee"]))
                 for row in self.engine.read(SPONSORSHIPS)}
        return Community({m: row["status"] for m, row in members.items()}, links,
                         self.engine.read(OFFERS))

    @invariant()
    def nobody_banned_or_suspended_is_signed_in(self) -> None:
        for member, row in self.members().items():
            if row["status"] in ("banned", "suspended") and member in self.browsers:
                response = self.browsers[member].get("/")
                assert response.status_code == 302
                assert response.headers["Location"].split("?")[0] in ("/login", "/suspended")

    @invariant()
    def no_invitation_is_used_twice(self) -> None:
        for row in self.engine.read(INVITATIONS):
            assert row["members"] == (1 if row["status"] == "redeemed" else 0)
        members = self.members()
        redeemed = sum(row["members"] for row in self.engine.read(INVITATIONS))
        assert len(members) == 2 + redeemed == 2 + len(self.used)  # 2 founders

    @invariant()
    def every_active_member_is_anchored(self) -> None:
        members = self.members()
        statuses = {m: row["status"] for m, row in members.items()}
        reached = anchored([m for m, row in members.items() if row["founder"]], statuses,
                           [(r["sponsor"], r["sponsee"]) for r in self.engine.read(SPONSORSHIPS)])
        assert {m for m, s in statuses.items() if s == "active"} <= reached

    @invariant()
    def every_feed_agrees_with_the_reference(self) -> None:
        community = self.community()
        max_hops = self.app.config["TRUSTNET_MAX_DEGREE"]
        for member, browser in self.browsers.items():
            response = browser.get("/")
            if response.status_code != 200:
                continue  # signed out (or not allowed in: checked above)
            assert community.statuses[member] == "active"
            expected = [o["id"] for o in community.feed(member, max_hops)]
            assert OFFER_LINK.findall(text(response)) == expected[:20]


def test_the_app_keeps_its_invariants_whatever_members_do(
        app_config, mailbox, tmp_path, monkeypatch):
    monkeypatch.setenv("TRUSTNET_INSTANCE_PATH", str(tmp_path / "instance"))
    MembersAtWork.config = app_config
    MembersAtWork.mailbox = mailbox
    run_state_machine_as_test(MembersAtWork, settings=settings(
        max_examples=15, stateful_step_count=20, deadline=None,
        # no shrinking: each step costs requests, and the failing steps are printed anyway
        phases=[Phase.explicit, Phase.reuse, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow]))
