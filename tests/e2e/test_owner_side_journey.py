"""Trust on the owner's side, report and block, in a real browser: Bob (desktop, English)
opens Erin's message about his drill, sees how he knows her (each step saying how the link
was made) and opens her profile; he reports her, then blocks her from the conversation;
Erin (phone, French) no longer finds the drill and her conversation is closed; Bob lifts
the block from his list. axe-core checks each page."""

from __future__ import annotations

from factories import PASSWORD, founder, sponsored
from offer_factories import offer
from playwright.sync_api import expect

from graph import conversations, sponsorship


def sign_in(visitor, email: str, t):
    page = visitor.open("/login")
    language = visitor.language
    page.get_by_label(t("E-mail", language), exact=True).fill(email)
    page.get_by_label(t("Password", language), exact=True).fill(PASSWORD)
    page.get_by_role("button", name=t("Sign in", language), exact=True).click()
    expect(page).to_have_url(visitor.base_url + "/")
    return page


def test_the_owner_sees_the_writers_path_reports_and_blocks_them(engine, visit, t):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, alice, "Carol")
    vouch_id = sponsorship.offer_vouch(engine, bob.id, "carol@example.org")
    assert vouch_id is not None
    sponsorship.confirm_vouch(engine, carol.id, vouch_id)
    erin = sponsored(engine, carol, "Erin")
    drill = offer(engine, bob, "Cordless drill", visibility=2)
    conversations.start_conversation(engine, erin.id, drill, "Free on Sunday?", 3)

    owner = visit("bob", "en", screen="desktop")
    page = sign_in(owner, "bob@example.org", t)
    page.get_by_role("navigation", name=t("Main")).get_by_role(
        "link", name=t("Messages")).click()
    listed = page.get_by_role("listitem").filter(has_text="Erin")
    expect(listed).to_contain_text("friend of a friend, via Carol")
    owner.step("the messages, with how far Erin is")
    listed.get_by_role("button").click()  # unread: opening it marks it read
    path = page.get_by_role("list", name=t("How you are connected"))
    expect(path.get_by_role("listitem")).to_have_text(
        ["you", "Carol vouched for by you", "Erin invited by Carol"])
    owner.step("the conversation with the path to Erin")
    path.get_by_role("link", name="Erin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Erin")
    owner.step("Erin's profile")

    page.get_by_role("link", name="Report Erin").click()
    page.get_by_label(t("Spam or advertising")).check()
    page.get_by_role("button", name=t("Send the report")).click()
    expect(page.get_by_role("status")).to_contain_text(
        t("Thank you: the admins will look at your report."))
    owner.step("the report sent")
    page.get_by_role("navigation", name=t("Main")).get_by_role(
        "link", name=t("Messages")).click()
    page.get_by_role("listitem").filter(has_text="Erin").get_by_role("link").click()
    page.get_by_role("button", name="Block Erin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Members I blocked"))
    expect(page.get_by_role("listitem").filter(has_text="Erin")).to_have_count(1)
    owner.step("Erin blocked")

    writer = visit("erin", "fr")
    page_fr = sign_in(writer, "erin@example.org", t)
    expect(page_fr.get_by_role("article").filter(has_text="Cordless drill")).to_have_count(0)
    writer.step("the feed without Bob's drill")
    page_fr.get_by_role("navigation", name=t("Main", "fr")).get_by_role(
        "link", name=t("Messages", "fr")).click()
    page_fr.get_by_role("listitem").filter(has_text="Bob").get_by_role("link").click()
    expect(page_fr.get_by_text(
        t("This conversation is closed: one of you blocked the other.", "fr"))).to_be_visible()
    expect(page_fr.get_by_role("button", name=t("Send", "fr"))).to_have_count(0)
    writer.step("the conversation closed")

    page.get_by_role("button", name="Unblock Erin").click()
    expect(page.get_by_text(t("You have blocked nobody."))).to_be_visible()
    owner.step("the block lifted")
    page_fr.reload()
    expect(page_fr.get_by_role("button", name=t("Send", "fr"))).to_be_visible()
