"""The community's charter: admins publish versions, newcomers read the one in force on the
invitation page and accept it, and the acceptance is recorded with the registration."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from admin_fixtures import admin_browser_fixture, admin_fixture  # noqa: F401
from conftest import csrf_token, join_path, post_form, text
from factories import invitation

from graph import audit, charter, members
from graph.errors import Conflict

PASSWORD = "a long password"
MEMBER_CHARTER = ("MATCH (m:Member {email: $email}) "
                  "RETURN m.charter_version AS version, m.charter_accepted_at AS at")


@pytest.fixture
def join(app, engine, admin) -> str:
    """The path of the admin's invitation to bob@example.org."""
    _, secret = invitation(engine, admin, "bob@example.org")
    return join_path(app, secret)


def test_an_admin_publishes_versions_and_every_one_is_kept(admin, admin_browser, engine):
    client = admin_browser(admin)
    assert "No charter yet" in text(client.get("/admin/charter"))

    first = post_form(client, "/admin/charter", {"text": "Be kind.\nGive back what you borrow."})
    second = post_form(client, "/admin/charter", {"text": "Be kind. Be on time."})

    assert first.status_code == second.status_code == 302
    page = text(client.get("/admin/charter"))
    assert "Version 2 of the charter is in force." in page
    assert "Version 2, published on" in page and "Version 1, published on" in page
    assert "<p>Give back what you borrow.</p>" in page
    assert [version.version for version in charter.charter_versions(engine)] == [2, 1]
    assert [entry.reason for entry in audit.entries(engine, action="charter")] == [
        "version 2", "version 1"]


def test_an_empty_charter_is_refused_on_the_form(admin, admin_browser, engine):
    response = post_form(admin_browser(admin), "/admin/charter", {"text": "   "})

    assert response.status_code == 200
    assert "This field is required." in text(response)
    assert charter.charter_versions(engine) == []


def test_the_join_page_shows_the_charter_in_force_and_who_answers_for_the_newcomer(
        client, engine, admin, join):
    charter.publish_charter(engine, admin.id, "Old rules.")
    charter.publish_charter(engine, admin.id, "Be kind.\nGive back what you borrow.")

    page = text(client.get(join))

    assert "<p>Give back what you borrow.</p>" in page and "Old rules." not in page
    assert "Version 2, in force since" in page
    assert "Alice answers for you: if you break the rules and are banned, Alice gets a strike" \
        in page
    assert "I have read the charter and I accept it" in page


def test_joining_records_the_version_accepted_and_refuses_without_acceptance(
        client, engine, admin, join):
    charter.publish_charter(engine, admin.id, "Be kind.")
    form = {"name": "Bob", "password": PASSWORD, "confirm": PASSWORD}

    refused = post_form(client, join, form)
    assert refused.status_code == 200
    assert "Joining means accepting the charter." in text(refused)
    assert members.find_member_by_email(engine, "bob@example.org") is None

    accepted = post_form(client, join, {**form, "accept_charter": "y"})

    assert accepted.status_code == 302
    [row] = engine.read(MEMBER_CHARTER, {"email": "bob@example.org"})
    assert row["version"] == 1 and row["at"] is not None


def test_a_charter_published_while_the_newcomer_reads_is_shown_before_they_join(
        client, engine, admin, join):
    charter.publish_charter(engine, admin.id, "Be kind.")
    page = client.get(join)  # version 1 on the form
    charter.publish_charter(engine, admin.id, "Be kind. No pets in borrowed cars.")

    response = client.post(join, data={
        "name": "Bob", "password": PASSWORD, "confirm": PASSWORD, "accept_charter": "y",
        "charter_version": "1", "csrf_token": csrf_token(text(page))})

    assert response.status_code == 200
    assert "The charter changed while you were reading it" in text(response)
    assert "No pets in borrowed cars." in text(response)
    assert members.find_member_by_email(engine, "bob@example.org") is None


def test_without_a_charter_a_newcomer_joins_with_nothing_to_accept(client, engine, join):
    page = text(client.get(join))
    assert "accept it" not in page

    response = post_form(client, join, {"name": "Bob", "password": PASSWORD,
                                        "confirm": PASSWORD})

    assert response.status_code == 302
    [row] = engine.read(MEMBER_CHARTER, {"email": "bob@example.org"})
    assert row["version"] is None


def test_two_admins_publishing_at_once_make_numbered_versions_or_a_clear_refusal(
        backend, graph_name, engine, admin):
    def publish(text: str) -> object:
        own = backend.open_engine(graph_name)  # each admin's request has its connection
        try:
            return charter.publish_charter(own, admin.id, text)
        except Conflict as error:
            return error
        finally:
            own.close()

    with ThreadPoolExecutor(4) as pool:
        outcomes = list(pool.map(publish, [f"Rules {n}" for n in range(4)]))

    published = sorted(o for o in outcomes if isinstance(o, int))
    assert published == list(range(1, len(published) + 1))
    assert [v.version for v in charter.charter_versions(engine)] == published[::-1]
