"""A ban below a subtree too large for one request: the preview and the cascade run as
background jobs (graph.jobs) whose page refreshes itself, while the other pages answer."""

from __future__ import annotations

import re
import time

import pytest
from admin_fixtures import (  # noqa: F401
    admin_browser_fixture,
    admin_fixture,
    confirm_preview,
    preview_ban,
)
from conftest import path_of, post_form, text
from factories import count_in_line, line_below, reload, sponsored

from graph import audit, bans, jobs

# Deep enough that its walk outlasts the budget on both engines; its cascade is still one
# statement that Neo4j applies within the tests' query time limit (10 s) on a slow machine.
LINE = 12_000
BUDGET_MS = 300
REFRESH = 'http-equiv="refresh"'
AGE = "MATCH (j:Job {id: $id}) SET j.beat_at = j.beat_at - $seconds"
NO_SUSPENSION_MAIL = "MATCH (m:Member) WHERE m.id STARTS WITH 'line' SET m.mail_off = ['sanction']"
# Generous: the machine is slow and shared; these bound a request, not the background walk.
ANSWER_S = 30
JOB_S = 600


@pytest.fixture
def app_config(app_config, request):
    """The test app, with the settings a test gives it by indirect parametrization."""
    return {**app_config, **getattr(request, "param", {})}


def timed(ask, *args, **kwargs):
    """ask(*args, **kwargs); (response, seconds it took)."""
    started = time.monotonic()
    response = ask(*args, **kwargs)
    return response, time.monotonic() - started


def until_done(client, url: str, within: float = JOB_S):
    """The job's page once it stopped refreshing itself (the job ended)."""
    deadline = time.monotonic() + within
    while True:
        page = client.get(url)
        assert page.status_code == 200
        if REFRESH not in text(page):
            return page
        assert time.monotonic() < deadline, "the job did not end"
        time.sleep(0.5)


@pytest.mark.parametrize("app_config", [{"TRUSTNET_WALK_BUDGET_MS": BUDGET_MS}], indirect=True)
def test_a_ban_below_a_large_subtree_runs_in_the_background(app, engine, admin, admin_browser,
                                                            mailbox):
    bob = sponsored(engine, admin, "Bob")
    line_below(engine, bob, LINE)
    engine.write(NO_SUSPENSION_MAIL)  # not 12,000 mails (test_cascade_mail sends some)
    client = admin_browser(admin)
    bobs_browser = app.test_client()
    with bobs_browser.session_transaction() as session:
        session["_user_id"] = f"{bob.id}:{bob.session_version}"

    # The preview answers within the budget: it was queued, and its page shows progress.
    queued, took = timed(preview_ban, client, bob.id, "spam")
    assert queued.status_code == 302 and took < ANSWER_S
    job_page = path_of(queued.headers["Location"])
    assert job_page.startswith("/admin/jobs/")
    waiting = client.get(job_page)
    assert REFRESH in text(waiting) and "reached so far" in text(waiting)
    dashboard, took = timed(client.get, "/admin/")  # another page, while the walk goes on
    assert dashboard.status_code == 200 and took < ANSWER_S
    # The member's drawing stops walking too: it marks nobody rather than keep the page.
    drawing, took = timed(client.get, f"/admin/members/{bob.id}/network.json")
    assert drawing.status_code == 200 and took < ANSWER_S
    assert "line1" in {node["id"] for node in drawing.json["nodes"]}
    assert not [node for node in drawing.json["nodes"] if node["mark"] == "suspended"]

    preview = until_done(client, job_page)
    assert f"{LINE} members lose their only sponsor chain" in text(preview)
    assert reload(engine, bob).status == "active"  # the preview changed nothing

    # The confirmation bans Bob at once (sessions, invitations, offers) and queues the rest.
    queued = confirm_preview(client, preview)
    assert queued.status_code == 302
    assert reload(engine, bob).status == "banned"
    assert bobs_browser.get("/settings").status_code == 302
    ban_page = path_of(queued.headers["Location"])
    assert ban_page.startswith("/admin/jobs/") and ban_page != job_page
    done = until_done(client, ban_page)
    assert f"{LINE} members suspended" in text(done)
    assert count_in_line(engine, "suspended") == LINE
    ban_entries = audit.entries(engine, action="ban", target_id=bob.id, limit=5)
    suspensions = audit.entries(engine, action="suspend", limit=LINE + 1)
    assert len(ban_entries) == 1 and len(suspensions) == LINE
    assert {entry.ban_id for entry in suspensions} == {ban_entries[0].ban_id}
    assert {m["To"] for m in mailbox.wait_for(2)} == {"bob@example.org", "alice@example.org"}

    # The undo: lifting the ban re-activates the whole line.
    lifted = post_form(client, f"/admin/members/{bob.id}/unban", {"reason": "mistake"},
                       page=f"/admin/members/{bob.id}")
    assert lifted.status_code == 302
    assert reload(engine, bob).status == "active"
    assert count_in_line(engine, "active") == LINE


def test_any_admin_page_takes_over_a_job_whose_worker_stopped(app, engine, admin,
                                                             admin_browser):
    bob = sponsored(engine, admin, "Bob")
    line_below(engine, bob, 100)
    bans.ban_deferred(engine, admin.id, bob.id, "spam", "job-1", strike_threshold=2)
    engine.write(AGE, {"id": "job-1", "seconds": jobs.STALE_S + 1})  # nobody ran it
    client = admin_browser(admin)
    assert client.get("/admin/").status_code == 200
    done = until_done(client, "/admin/jobs/job-1", within=60)
    assert "100 members suspended" in text(done)
    assert count_in_line(engine, "suspended") == 100


def test_a_small_ban_stays_on_its_page(engine, admin, admin_browser):
    bob = sponsored(engine, admin, "Bob")
    line_below(engine, bob, 20)
    client = admin_browser(admin)
    page = preview_ban(client, bob.id, "spam")
    assert page.status_code == 200 and "20 members lose" in text(page)
    done = confirm_preview(client, page)
    assert done.status_code == 200 and "20 members suspended" in text(done)
    assert not re.search(REFRESH, text(done))
