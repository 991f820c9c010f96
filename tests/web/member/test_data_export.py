"""The data export (article 15): a member's notifications, the files of their photos and the
references they wrote and received are in the JSON file they download."""

from __future__ import annotations

import json
from pathlib import Path

from factories import founder, sponsored
from offer_factories import offer
from test_photos import picture, upload

from graph import conversations, notifications, references


def exported(client) -> dict:
    return json.loads(client.get("/account/export").get_data(as_text=True))


def test_the_export_holds_my_notifications_photo_files_and_references(browser, engine, app):
    alice = founder(engine, "Alice")
    bob = sponsored(engine, alice, "Bob")
    carol = sponsored(engine, alice, "Carol")
    tent = offer(engine, bob, "A tent", visibility=2)
    conversation = conversations.start_conversation(engine, carol.id, tent, "Free on Sunday?",
                                                    3).conversation_id
    references.mark_done(engine, bob.id, conversation, "lent")
    references.leave_reference(engine, carol.id, conversation, "positive", "A dry tent.")
    references.leave_reference(engine, bob.id, conversation, "positive", "Brought it back.")
    bob_browser = browser(bob)
    assert upload(bob_browser, f"/offers/{tent}/photos", picture()).status_code == 302
    assert upload(bob_browser, "/settings/photo", picture()).status_code == 302

    data = exported(bob_browser)

    assert [(n["kind"], n["about"], n["read"]) for n in data["notifications"]] == [
        ("message", "Carol", False)]
    assert [(r["author"], r["text"]) for r in data["references_received"]] == [
        ("Carol", "A dry tent.")]
    assert [(r["member"], r["text"]) for r in data["references_written"]] == [
        ("Carol", "Brought it back.")]
    files = data["photo_files"]
    assert len(files) == 4  # a profile photo and an offer's, each with its thumbnail
    assert {name.split("/")[0] for name in files} == {"profile", "offers"}
    folder = Path(app.config["TRUSTNET_PHOTOS_DIR"]) / bob.id
    assert all((folder / name).is_file() for name in files)

    notifications.mark_all_read(engine, bob.id)
    assert [n["read"] for n in exported(bob_browser)["notifications"]] == [True]
