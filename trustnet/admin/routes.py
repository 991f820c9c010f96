"""The admin side: dashboard, members, bans with their preview, the invitation tree, reports,
appeals and the audit log.

A page that walks the sponsorship graph stops after TRUSTNET_WALK_BUDGET_MS: a ban's preview
or cascade below a larger subtree goes on as a background job (graph.jobs), whose page
refreshes itself until it shows the result.

One guard covers the whole blueprint: anyone but a signed-in admin gets 404 (the pages do not
exist for them), and an admin whose sign-in is older than TRUSTNET_ADMIN_FRESH_MINUTES
confirms their password first.
"""

from __future__ import annotations

import time

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, user_logged_in

from graph import (
    abuse_reports,
    audit,
    backoffice,
    bans,
    charter,
    jobs,
    members,
    sanction_appeals,
    sponsorship,
)
from graph.errors import DomainError, NotFound
from trustnet.actions import sanctions
from trustnet.actions.sanctions import ban_member, decide_appeal, start_job, unban_member
from trustnet.admin.forms import (
    BanForm,
    CharterForm,
    DecisionForm,
    ReauthenticateForm,
    SearchForm,
    UnbanForm,
)
from trustnet.auth.attempts import TooManyAttempts, recheck_password
from trustnet.errors import refusal_message
from trustnet.i18n import error_message, member_status
from trustnet.i18n import lazy_gettext as _l
from trustnet.links import safe_next
from trustnet.member.forms import ConfirmForm
from trustnet.services import graph_engine, plus_apart

blueprint = Blueprint("admin", __name__, url_prefix="/admin")

SIGNED_IN_AT = "signed_in_at"
AUDIT_PAGE = 50
# Above this many members, the confirmation compares counts with the preview, not names.
PREVIEW_DETAIL_LIMIT = jobs.RESULT_IDS
PREVIEW_SHOWN = jobs.RESULT_PEOPLE
# What each action of the audit log (graph.audit.ACTIONS) did, as the admin reads it.
AUDIT_ACTIONS = {
    "ban": _l("Banned"),
    "unban": _l("Ban lifted"),
    "suspend": _l("Suspended (no sponsor chain left)"),
    "reactivate": _l("Re-activated"),
    "strike": _l("Strike to a sponsor"),
    "strike_withdrawn": _l("Strike withdrawn"),
    "grant_admin": _l("Admin role given"),
    "revoke_admin": _l("Admin role taken away"),
    "report": _l("Reported"),
    "report_dismissed": _l("Report dismissed"),
    "offer_hidden": _l("Offer hidden"),
    "reports_closed": _l("Reports closed by a ban"),
    "appeal": _l("Appeal sent"),
    "appeal_granted": _l("Appeal granted"),
    "appeal_rejected": _l("Appeal rejected"),
    "leave": _l("Left TrustNet"),
    "ban_request": _l("Ban asked for (a second admin must confirm)"),
    "charter": _l("Charter published"),
}


@blueprint.record_once
def remember_sign_in_times(state) -> None:
    """Note when each session signed in, so admin pages can ask for a recent sign-in."""
    user_logged_in.connect(note_sign_in, state.app)


def note_sign_in(sender, **extra) -> None:
    """Receiver of Flask-Login's user_logged_in signal."""
    session[SIGNED_IN_AT] = time.time()


def signed_in_recently() -> bool:
    """True when this session's password was entered within the configured minutes."""
    fresh_s = current_app.config["TRUSTNET_ADMIN_FRESH_MINUTES"] * 60
    return time.time() - float(session.get(SIGNED_IN_AT, 0)) < fresh_s


@blueprint.app_template_global()
def may_ban(member_id: str, status: str, departed: bool = False) -> bool:
    """Whether the signed-in admin may ban the member (graph.bans.ban_refusal): the admin
    pages offer a ban only then."""
    return bans.may_ban(member_id, status, departed, current_user.id)


@blueprint.app_template_global()
def may_unban(status: str) -> bool:
    """Whether a member in this status has a ban to lift (graph.bans.may_unban)."""
    return bans.may_unban(status)


@blueprint.app_template_global()
def ban_takes_two_admins(founder: bool, admin: bool) -> bool:
    """Whether banning a founder or an admin takes two admins (graph.bans.is_protected)."""
    return bans.is_protected(founder, admin)


@blueprint.before_request
def require_admin():
    """Admins only, everywhere on this blueprint; a stale sign-in re-authenticates first."""
    if not current_user.is_authenticated or not current_user.is_admin:
        abort(404)
    if request.endpoint != "admin.reauthenticate" and not signed_in_recently():
        return redirect(url_for("admin.reauthenticate", next=request.full_path))
    take_over_stale_jobs()
    return None


def take_over_stale_jobs() -> None:
    """Run here the background jobs whose worker stopped before they ended (a restart): the
    cascade of a ban made at once must not wait for someone to open its page."""
    for job_id in jobs.stale(graph_engine()):
        start_job(graph_engine(), job_id)


@blueprint.route("/reauthenticate", methods=["GET", "POST"])
def reauthenticate():
    """Confirm the password before using the admin pages."""
    form = ReauthenticateForm()
    if form.validate_on_submit():
        try:
            ok = recheck_password(members.get_member(graph_engine(), current_user.id),
                                  form.password.data)
        except TooManyAttempts as refusal:
            form.password.errors.append(str(refusal))
            return render_template("admin/reauthenticate.html", form=form), 429
        if ok:
            session[SIGNED_IN_AT] = time.time()
            target = request.args.get("next")
            return redirect(safe_next(target) if target else url_for("admin.dashboard"))
        form.password.errors.append(_("This is not your password."))
    return render_template("admin/reauthenticate.html", form=form)


@blueprint.get("/")
def dashboard():
    """Members by status, invitations, bans, open reports and appeals, and the bans that
    wait for a second admin."""
    return render_template("admin/dashboard.html", numbers=backoffice.dashboard(graph_engine()),
                           requests=bans.all_open_requests(graph_engine()),
                           statuses=list(members.Status))


@blueprint.route("/charter", methods=["GET", "POST"])
def charter_page():
    """The charter newcomers accept: publish a new version, read the earlier ones."""
    versions = charter.charter_versions(graph_engine())
    form = CharterForm(data={"text": versions[0].text if versions else ""})
    if form.validate_on_submit():
        try:
            version = charter.publish_charter(graph_engine(), current_user.id, form.text.data)
        except DomainError as error:
            form.text.errors.append(refusal_message(error))
        else:
            flash(_("Version %(version)d of the charter is in force.", version=version),
                  "success")
            return redirect(url_for("admin.charter_page"))
    return render_template("admin/charter.html", form=form, versions=versions)


@blueprint.get("/members")
def search():
    """Find members by name or e-mail."""
    form = SearchForm(request.args)
    found = backoffice.search_members(graph_engine(), form.q.data or "") if form.validate() else []
    return render_template("admin/search.html", form=form, found=found)


@blueprint.get("/members/<member_id>")
def member(member_id: str):
    """A member: status, ban, strikes, sponsor chain up to the founders, sponsee tree."""
    return _member_page(member_id, BanForm())


def _member_page(member_id: str, ban_form: BanForm):
    """The member page, its ban form as given (with its errors, when it was refused)."""
    engine = graph_engine()
    file = backoffice.member_file(engine, member_id)
    chain = backoffice.sponsor_chain(engine, member_id)
    sponsor_ids = [sponsor.id for sponsor in chain[0]] if chain else []
    below = backoffice.sponsees(engine, [member_id])[member_id]
    return render_template(
        "admin/member.html", file=file, chain=chain, below=below,
        below_next=backoffice.sponsees(engine, [branch.id for branch in below]),
        records=sorted(backoffice.records(engine, [member_id, *sponsor_ids]),
                       key=lambda record: (record.id != member_id, record.name)),
        requests=bans.open_requests(engine, member_id), request_days=bans.REQUEST_DAYS,
        ban_form=ban_form, unban_form=UnbanForm(),
    )


@blueprint.get("/members/<member_id>/network.json")
def member_network(member_id: str):
    """The member page's drawing (static/js/network.js): the sponsor chain up to the
    founders, the member, two generations of sponsees, the sponsorships between them, and
    who a ban of the member would suspend now (mark "suspended")."""
    engine = graph_engine()
    file = backoffice.member_file(engine, member_id)
    chain = backoffice.sponsor_chain(engine, member_id)
    below = backoffice.sponsees(engine, [member_id])[member_id]
    below_next = backoffice.sponsees(engine, [branch.id for branch in below])
    people = {member_id: file.member.name or _("Former member")}
    for listed in [*(sponsor for level in chain for sponsor in level), *below,
                   *(branch for branches in below_next.values() for branch in branches)]:
        people.setdefault(listed.id, listed.name)
    would_suspend: set[str] = set()
    if file.member.status == "active":
        try:
            would_suspend = {someone.id for someone in
                             bans.plan_ban(engine, member_id, deadline=walk_deadline()).suspended}
        except DomainError:  # TooLarge too: the drawing then marks nobody
            pass
    nodes = [{"id": person_id, "label": name,
              "mark": "subject" if person_id == member_id else
              ("suspended" if person_id in would_suspend else "")}
             for person_id, name in people.items()]
    edges = [{"source": sponsor, "target": sponsee}
             for sponsor, sponsee in sponsorship.sponsorships_among(engine, list(people))]
    roots = [founder.id for founder in chain[-1]] if chain else [member_id]
    return {"nodes": nodes, "edges": edges, "layout": "tree", "roots": roots}


def walk_deadline() -> float:
    """When this request must stop walking the graph (time.monotonic())."""
    return time.monotonic() + current_app.config["TRUSTNET_WALK_BUDGET_MS"] / 1000


@blueprint.post("/members/<member_id>/ban/preview")
def preview_ban(member_id: str):
    """What the ban would do, computed now; nothing changes until it is confirmed. Below a
    subtree too large for one request, the preview is computed by a background job.

    A POST, though it changes nothing: the reason travels in the form's body, never in an
    address that browsers keep in their history and servers write to their logs.
    """
    form = BanForm()
    if not form.validate_on_submit():
        return _member_page(member_id, form)
    plan = sanctions.preview_ban(current_user.id, member_id, form.reason.data,
                                 deadline=walk_deadline())
    if isinstance(plan, str):  # a background job computes it
        return redirect(url_for("admin.job", job_id=plan))
    return _preview_page(plan, len(plan.suspended), len(plan.candidates) - len(plan.suspended),
                         [s.id for s in plan.suspended], form.reason.data)


def _preview_page(plan: bans.BanPlan, suspended: int, kept: int,
                  suspended_ids: list[str] | None, reason: str):
    """The preview with its confirmation form, which names the members it would suspend
    (when they are few enough) so that the result can show what changed meanwhile."""
    confirm = BanForm(formdata=None, reason=reason)
    if suspended_ids is not None and len(suspended_ids) <= PREVIEW_DETAIL_LIMIT:
        confirm.expected_suspended.data = " ".join(suspended_ids)
    confirm.expected_strikes.data = " ".join(s.id for s in plan.strikes)
    return render_template("admin/ban_preview.html", plan=plan, form=confirm,
                           shown=PREVIEW_SHOWN, suspended_count=suspended, kept_count=kept)


@blueprint.post("/members/<member_id>/ban")
def ban(member_id: str):
    """Apply the ban to the graph as it is now, and show how that differs from the preview.
    Below a subtree too large for one request, the member is banned at once and the
    cascade runs as a background job."""
    form = BanForm()
    if not form.validate_on_submit():
        flash(_("Give a reason for the ban."), "error")
        return redirect(url_for("admin.member", member_id=member_id))
    result = ban_member(current_user.id, member_id, form.reason.data, deadline=walk_deadline(),
                        defer=True)
    if isinstance(result, bans.BanRequested):
        flash(_requested_message(result), "success")
        return redirect(url_for("admin.member", member_id=member_id))
    if result.job_id is not None:
        return redirect(url_for("admin.job", job_id=result.job_id))
    expected = set((form.expected_suspended.data or "").split())
    suspended_ids = {s.id for s in result.suspended}
    expected_strikes = set((form.expected_strikes.data or "").split())
    return render_template(
        "admin/ban_done.html", result=result, shown=PREVIEW_SHOWN,
        suspended_count=len(result.suspended),
        added=[s for s in result.suspended if s.id not in expected] if expected else [],
        dropped=sorted(expected - suspended_ids) if expected else [],
        strikes_changed=expected_strikes != {s.id for s in result.strikes},
    )


def _requested_message(requested: bans.BanRequested) -> str:
    """What the first admin to ban a founder or an admin is told: it waits for a second one."""
    if requested.again:
        return _("You already asked for the ban of %(name)s: a second admin must confirm it.",
                 name=requested.member.name)
    return _("You asked for the ban of %(name)s. A founder or an admin is banned only when a "
             "second admin confirms it within %(days)d days.", name=requested.member.name,
             days=bans.REQUEST_DAYS)


@blueprint.get("/jobs/<job_id>")
def job(job_id: str):
    """A background job: its progress (the page refreshes itself), then its result."""
    engine = graph_engine()
    found = jobs.get(engine, job_id)
    result = found.result if found.status == "done" else None
    if result is not None and found.kind == "ban_preview":
        return _preview_page(_job_plan(result), result["suspended_count"],
                             result["candidates"] - result["suspended_count"],
                             result["suspended_ids"], found.reason)
    if result is not None:
        return render_template("admin/ban_done.html", result=_job_ban(found, result),
                               shown=PREVIEW_SHOWN, suspended_count=result["suspended_count"],
                               added=[], dropped=[], strikes_changed=False)
    member = members.get_member(engine, found.member_id)
    name = member.name if member else _("Former member")
    return render_template(
        "admin/job.html", job=found, name=name,
        title=(_("Preview: ban %(name)s", name=name) if found.kind == "ban_preview"
               else _("%(name)s is banned", name=name)),
        error=error_message(DomainError(found.error)) if found.error else None)


def _job_plan(result: dict) -> bans.BanPlan:
    """The preview a job computed, as the preview page shows it: the first members it would
    suspend only (the page takes the counts apart), and no candidates."""
    return bans.BanPlan(
        member=members.Someone.from_row(result["member"]),
        protected=result.get("protected", False), candidates=[],
        suspended=[members.Someone.from_row(s) for s in result["suspended"]],
        strikes=[members.Someone.from_row(s) for s in result["strikes"]],
        invitations_revoked=result["invitations_revoked"],
        offers_hidden=result["offers_hidden"])


def _job_ban(found: jobs.Job, result: dict) -> bans.BanResult:
    """A deferred ban with the cascade its job applied (`result`), as the result page
    shows it."""
    return bans.BanResult(
        ban_id=found.fields["ban_id"], member=members.Someone.from_row(result["member"]),
        suspended=[members.Someone.from_row(s) for s in result["suspended"]],
        strikes=[members.Someone.from_row(s) for s in result["strikes"]],
        invitations_revoked=int(found.fields["invitations_revoked"]),
        offers_hidden=int(found.fields["offers_hidden"]))


@blueprint.post("/members/<member_id>/unban")
def unban(member_id: str):
    """Lift the member's ban."""
    form = UnbanForm()
    if form.validate_on_submit():
        try:
            result = unban_member(current_user.id, member_id, form.reason.data or "")
        except DomainError as error:  # e.g. another admin lifted the ban a moment before
            flash(refusal_message(error), "error")
            return redirect(url_for("admin.member", member_id=member_id))
        flash(_("Ban lifted: %(name)s is %(status)s; %(count)d member(s) re-activated.",
                name=result.member.name, status=member_status(result.status),
                count=len(result.reactivated)), "success")
    return redirect(url_for("admin.member", member_id=member_id))


@blueprint.get("/tree")
def tree():
    """The invitation tree, browsed from the founders down, one generation at a time."""
    return render_template("admin/tree.html", founders=backoffice.founders(graph_engine()))


@blueprint.get("/tree/<member_id>")
def subtree(member_id: str):
    """Whom one member sponsored, with links one generation further down."""
    engine = graph_engine()
    file = backoffice.member_file(engine, member_id)
    return render_template("admin/subtree.html", file=file,
                           below=backoffice.sponsees(engine, [member_id])[member_id])


@blueprint.get("/reports")
def reports():
    """The reports queue."""
    return render_template("admin/reports.html", reports=abuse_reports.open_reports(graph_engine()),
                           form=ConfirmForm())


@blueprint.post("/reports/<report_id>/<action>")
def act_on_report(report_id: str, action: str):
    """Dismiss a report, or hide the offer it is about."""
    actions = {"dismiss": abuse_reports.dismiss_report, "hide": abuse_reports.hide_offer}
    if action not in actions:
        raise NotFound()
    if ConfirmForm().validate_on_submit():
        try:
            actions[action](graph_engine(), current_user.id, report_id)
        except DomainError as error:
            flash(refusal_message(error), "error")
        else:
            flash(_("Report dismissed.") if action == "dismiss" else _("Offer hidden."),
                  "success")
    return redirect(url_for("admin.reports"))


@blueprint.get("/appeals")
def appeals():
    """Appeals waiting for a decision."""
    waiting = sanction_appeals.open_appeals(graph_engine())
    forms = {a.id: DecisionForm(prefix=a.id) for a in waiting}
    return render_template("admin/appeals.html", appeals=waiting, forms=forms)


@blueprint.post("/appeals/<appeal_id>")
def decide(appeal_id: str):
    """Grant an appeal (lift the ban, or vouch for the suspended member) or reject it."""
    form = DecisionForm(prefix=appeal_id)
    if not form.validate_on_submit():
        return redirect(url_for("admin.appeals"))
    try:
        found = decide_appeal(current_user.id, appeal_id, request.form.get("decision", ""),
                              form.note.data or "")
    except DomainError as error:
        flash(refusal_message(error), "error")
        return redirect(url_for("admin.appeals"))
    flash(_("Decision recorded and sent to %(name)s.", name=found.member_name), "success")
    return redirect(url_for("admin.appeals"))


@blueprint.get("/audit")
def audit_log():
    """The audit log, newest first, filtered by action, member concerned or admin."""
    engine = graph_engine()
    action = request.args.get("action") or None
    if action is not None and action not in audit.ACTIONS:
        action = None
    page = max(1, request.args.get("page", 1, type=int))
    target_id = _member_id(request.args.get("member", ""))
    actor_id = _member_id(request.args.get("admin", ""))
    entries = audit.entries(engine, action=action, target_id=target_id, actor_id=actor_id,
                            offset=(page - 1) * AUDIT_PAGE, limit=AUDIT_PAGE + 1)
    return render_template("admin/audit.html", entries=entries[:AUDIT_PAGE], page=page,
                           more=len(entries) > AUDIT_PAGE, actions=AUDIT_ACTIONS,
                           action=action, member=request.args.get("member", ""),
                           admin=request.args.get("admin", ""))


def _member_id(email: str) -> str | None:
    """The id of the member with this e-mail for a filter; an unknown one matches nobody."""
    if not email.strip():
        return None
    found = members.find_member_by_email(graph_engine(), email, plus_apart())
    return found.id if found else "-"
