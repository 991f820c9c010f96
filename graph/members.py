"""Members: who they are, how they sign in, and the state of their account.

A member's `status` is one of:
  pending    registered through an invitation, waiting for more sponsors (admission K > 1)
  active     a full member
  suspended  their sponsor chain was broken by a ban (see graph.bans)
  banned     removed by an admin
`session_version` is part of every login id: raising it kills every session and
remember-me cookie of the member at once (logout, password change, ban).
`confirmed` is false from registering through an invitation until the member follows the
link mailed to their address (absent, as on founders and imported members, means true: they
set their first password from a mailed link, which proves the same).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from graph.emails import mailbox_key, normalize_email
from graph.engine import ConstraintViolation, GraphEngine
from graph.errors import Conflict, Invalid, NotFound
from graph.ids import new_id
from graph.locks import write_lock
from graph.migrations import mark_migrated, migrated
from graph.notifications import count_unread


class Status(StrEnum):
    """A member's `status` (see the module docstring); `departed` once they left (their
    account is erased, see graph.departure). Cypher compares it through the rules below."""

    PENDING = "pending"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    BANNED = "banned"
    DEPARTED = "departed"


# Who carries sponsor chains: active members, and departed ones (leaving never breaks a
# chain, see graph.departure). A member is anchored through chain carriers only.
CHAIN_STATUSES = (Status.ACTIVE, Status.DEPARTED)


def is_active(member: str) -> str:
    """The Cypher condition under which `member` (a variable) is an active member: the only
    status that sees offers and profiles, writes, reports, vouches and is vouched for."""
    return f"{member}.status = '{Status.ACTIVE}'"


def reactivated_status(member: str) -> str:
    """The Cypher value of the status a suspended `member` (a variable) returns to once
    anchored again: departed if they left meanwhile, else active."""
    return (f"CASE WHEN coalesce({member}.departed, false) THEN '{Status.DEPARTED}' "
            f"ELSE '{Status.ACTIVE}' END")


def carries_chain(member: str) -> str:
    """The Cypher condition under which `member` (a variable) carries sponsor chains."""
    return f"{member}.status IN {[str(status) for status in CHAIN_STATUSES]!r}"


def is_root(member: str) -> str:
    """The Cypher condition under which `member` (a variable) anchors chains by itself, with
    no sponsor: a founder, or a member an admin reinstated (a granted suspension appeal makes
    no sponsorship, so that no admin answers for them with strikes)."""
    return f"(coalesce({member}.founder, false) OR {member}.reinstated_at IS NOT NULL)"


def blocked_between(member: str, other: str) -> str:
    """The Cypher pattern under which one of two members (variables) blocked the other:
    then neither reaches the other, by offers, profile or messages (graph.blocks). As a
    predicate only in a WHERE of ANDs (FalkorDB 4.16 fails on a pattern under an OR, and
    keeps a stale answer for a pattern comprehension): elsewhere, `with_blocked`."""
    return f"({member})-[:BLOCKED]-({other})"


def with_blocked(member: str, other: str, name: str) -> str:
    """A subquery binding `name` to whether one of two members (variables, possibly null)
    blocked the other (`blocked_between`)."""
    return f"""
CALL {{
  WITH {member}, {other}
  OPTIONAL MATCH block = {blocked_between(member, other)}
  RETURN count(block) > 0 AS {name}
}}
"""


def may_sponsor(member: str) -> str:
    """The Cypher condition under which `member` (a variable of the statement) may bring
    someone in or anchor them: by invitation, sponsor-me link, vouch or vouch-for link. An
    active member whose strikes suspended their right to invite may sponsor nobody, or
    every other way in would stay open to them."""
    return f"({is_active(member)} AND NOT coalesce({member}.invites_suspended, false))"


@dataclass(frozen=True, order=True)
class Someone:
    """A member named in a result (a trust path, a cascade): enough to list, mail or link
    them. Sorted by address."""

    email: str
    name: str
    id: str

    @classmethod
    def from_row(cls, row: dict) -> Someone:
        """From a row's map of at least id, name and email."""
        return cls(email=row["email"], name=row["name"], id=row["id"])


MEMBER_PROJECTION = (
    "m {.id, .email, .name, .status, .founder, .admin, .session_version, .password_hash, "
    ".created_at, .locale, .confirmed, .hide_whole_network}"
)

GET_MEMBER_BY_ID = "MATCH (m:Member {id: $id}) RETURN " + MEMBER_PROJECTION + " AS member"

CHECKLIST_DAYS = 30  # a newcomer's checklist shows on the feed this long at most
DAY = 86_400

# The member of a session, with the first steps the feed's checklist shows a newcomer (see
# FirstSteps) and the unread notifications of the navigation's badge, in the one statement
# every signed-in request makes anyway. The first steps of a member who joined before
# $newcomers_since are null, not computed: looking for a first offer and a first invitation
# on each request is for newcomers only (filtered before the projection, which FalkorDB
# would otherwise run whatever a CASE around it says).
GET_SIGNED_IN_MEMBER = (
    "MATCH (m:Member {id: $id})" + count_unread("m") + """
CALL {
  WITH m
  WITH m WHERE m.created_at >= $newcomers_since
  OPTIONAL MATCH (m)-[:OFFERS]->(o)
  WITH m, o LIMIT 1
  OPTIONAL MATCH (m)-[:SENT]->(i)
  WITH m, o, i LIMIT 1
  RETURN collect({profile: m.location IS NOT NULL, offer: o IS NOT NULL,
                  invitation: i IS NOT NULL})[0] AS first_steps
}
RETURN """ + MEMBER_PROJECTION + " AS member, first_steps, unread"
)

GET_MEMBER_BY_EMAIL_KEY = (
    "MATCH (m:Member {email_key: $email_key}) RETURN " + MEMBER_PROJECTION + " AS member"
)

# A founder made an admin is audited like any grant of the role, in the same statement.
CREATE_FOUNDER = """
CREATE (m:Member {id: $id, email: $email, email_key: $email_key, name: $name,
                  status: '""" + Status.ACTIVE \
    + """', founder: true, admin: $admin, session_version: 1,
                  created_at: $now})
FOREACH (_ IN CASE WHEN $admin THEN [1] ELSE [] END |
    CREATE (:AuditEntry {at: $now, action: 'grant_admin', actor_id: null, target_id: m.id,
                         reason: 'grant admin'}))
RETURN m.id AS id
"""

# The expected version makes a set-password link single use: setting the password raises
# the version, so the same link (and every open session) is dead afterwards.
SET_PASSWORD = """
MATCH (m:Member {id: $id})
WHERE m.session_version = $expected_version
SET m.password_hash = $password_hash, m.session_version = m.session_version + 1
RETURN m.session_version AS session_version
"""

REHASH_PASSWORD = """
MATCH (m:Member {id: $id})
WHERE m.password_hash = $old_hash
SET m.password_hash = $new_hash
RETURN count(m) AS changed
"""

END_ALL_SESSIONS = """
MATCH (m:Member {id: $id})
SET m.session_version = m.session_version + 1
RETURN m.session_version AS session_version
"""

# Single use: only the first confirmation finds the address unconfirmed.
CONFIRM_ADDRESS = f"""
MATCH (m:Member {{id: $id}})
{write_lock("m")}
WITH m
WHERE m.confirmed = false AND NOT coalesce(m.departed, false)
SET m.confirmed = true
RETURN m.id AS id
"""

COUNT_MEMBERS = "MATCH (m:Member) RETURN count(m) AS members"

SET_LOCALE = """
MATCH (m:Member {id: $id})
SET m.locale = $locale
RETURN m.locale AS locale
"""

MAX_BIO = 300
# A few words on the member's profile (graph.offers.PROFILE); '' removes them.
SET_BIO = """
MATCH (m:Member {id: $id})
WHERE """ + is_active("m") + """
SET m.bio = $bio
RETURN m.bio AS bio
"""


@dataclass(frozen=True)
class Member:
    """A member as read from the graph."""

    id: str
    email: str
    name: str
    status: str
    founder: bool
    admin: bool
    session_version: int
    password_hash: str | None
    created_at: float
    locale: str | None = None
    confirmed: bool = True
    hides_whole_network: bool = False  # from my feed (graph.offers.show_whole_network)

    @classmethod
    def from_row(cls, row: dict) -> Member:
        """Build a Member from a MEMBER_PROJECTION map."""
        return cls(
            id=row["id"],
            email=row["email"],
            name=row["name"],
            status=row["status"],
            founder=bool(row.get("founder")),
            admin=bool(row.get("admin")),
            session_version=int(row["session_version"]),
            password_hash=row.get("password_hash"),
            created_at=float(row["created_at"]),
            locale=row.get("locale"),
            confirmed=row.get("confirmed") is not False,
            hides_whole_network=bool(row.get("hide_whole_network")),
        )

    @property
    def awaits_sponsors(self) -> bool:
        """A newcomer still waiting for sponsors: whom a sponsor-me link brings in."""
        return self.status == Status.PENDING

    @property
    def needs_a_vouch(self) -> bool:
        """Suspended, their chain cut by a ban: whom an active member may vouch for
        (graph.bans.vouch_for_suspended)."""
        return self.status == Status.SUSPENDED


@dataclass(frozen=True)
class FirstSteps:
    """What a newcomer has done of the feed's checklist: a profile completed (their town
    chosen, which tells members how near their offers are), a first offer published,
    someone invited."""

    profile: bool
    offer: bool
    invitation: bool

    @property
    def all_done(self) -> bool:
        """True once every step is done: the checklist is then shown no more."""
        return self.profile and self.offer and self.invitation


def get_signed_in_member(engine: GraphEngine,
                         member_id: str) -> tuple[Member, FirstSteps | None, int] | None:
    """The member with this id, their first steps (None past their first CHECKLIST_DAYS)
    and their unread notifications, or None."""
    rows = engine.read(GET_SIGNED_IN_MEMBER, {
        "id": member_id, "newcomers_since": time.time() - CHECKLIST_DAYS * DAY})
    if not rows:
        return None
    row = rows[0]
    steps = row["first_steps"]
    return (Member.from_row(row["member"]), FirstSteps(**steps) if steps else None,
            int(row["unread"]))


def get_member(engine: GraphEngine, member_id: str) -> Member | None:
    """Return the member with this id, or None."""
    rows = engine.read(GET_MEMBER_BY_ID, {"id": member_id})
    return Member.from_row(rows[0]["member"]) if rows else None


def find_member_by_email(engine: GraphEngine, email: str,
                         plus_apart: Collection[str] = ()) -> Member | None:
    """Return the member whose mailbox this address delivers to, or None."""
    try:
        key = mailbox_key(email, plus_apart)
    except ValueError:
        return None
    rows = engine.read(GET_MEMBER_BY_EMAIL_KEY, {"email_key": key})
    return Member.from_row(rows[0]["member"]) if rows else None


def require_member_by_email(engine: GraphEngine, email: str,
                            plus_apart: Collection[str] = ()) -> Member:
    """Return the member with this address, or raise NotFound naming it."""
    member = find_member_by_email(engine, email, plus_apart)
    if member is None:
        raise NotFound("no member with e-mail %(email)s", email=email)
    return member


def create_founder(engine: GraphEngine, email: str, name: str, now: float | None = None,
                   plus_apart: Collection[str] = (), admin: bool = False) -> Member:
    """Create a root member of the trust graph: active, sponsored by nobody, no password yet;
    an admin too with `admin` (the first founder must be able to reach the admin pages)."""
    address = normalize_email(email)
    member_id = new_id()
    params = {
        "id": member_id,
        "email": address,
        "email_key": mailbox_key(address, plus_apart),
        "name": name.strip(),
        "now": time.time() if now is None else now,
        "admin": admin,
    }
    try:
        engine.write(CREATE_FOUNDER, params)
    except ConstraintViolation as error:
        raise Conflict("%(address)s is already a member", address=address) from error
    member = get_member(engine, member_id)
    assert member is not None
    return member


def set_password(
    engine: GraphEngine, member_id: str, password_hash: str, expected_version: int
) -> int:
    """Set the password if the account is still at expected_version; end every session.

    Returns the new session version. Raises Conflict when the version moved on: the link
    that carried it was already used, or the password changed since it was sent.
    """
    rows = engine.write(
        SET_PASSWORD,
        {"id": member_id, "password_hash": password_hash, "expected_version": expected_version},
    )
    if not rows:
        raise Conflict("this link has already been used")
    return int(rows[0]["session_version"])


def rehash_password(engine: GraphEngine, member_id: str, old_hash: str, new_hash: str) -> None:
    """Replace a hash made with outdated parameters, unless the password changed meanwhile."""
    engine.write(REHASH_PASSWORD, {"id": member_id, "old_hash": old_hash, "new_hash": new_hash})


def end_all_sessions(engine: GraphEngine, member_id: str) -> None:
    """Invalidate every session and remember-me cookie of the member (logout everywhere)."""
    engine.write(END_ALL_SESSIONS, {"id": member_id})


def count_members(engine: GraphEngine) -> int:
    """Return how many members the graph holds, whatever their status."""
    return int(engine.read(COUNT_MEMBERS)[0]["members"])


def set_locale(engine: GraphEngine, member_id: str, locale: str | None) -> None:
    """Remember the member's language (None: follow the browser)."""
    engine.write(SET_LOCALE, {"id": member_id, "locale": locale})


def set_bio(engine: GraphEngine, member_id: str, bio: str) -> str:
    """Set the short bio of an active member's profile (trimmed; '' for none); returns it.
    Invalid beyond MAX_BIO characters, Conflict for a member who is not active."""
    bio = bio.strip()
    if len(bio) > MAX_BIO:
        raise Invalid("a bio has at most %(count)d characters", count=MAX_BIO)
    if not engine.write(SET_BIO, {"id": member_id, "bio": bio}):
        raise Conflict("only an active member can change their profile")
    return bio


# The stored keys of addresses with a +tag depend on the operator's list of domains apart
# (graph.emails), which may change between two starts.
ADDRESSES_WITH_A_TAG = """
MATCH (m:Member)
WHERE m.email CONTAINS '+'
RETURN 'member' AS kind, m.id AS id, m.email AS email, m.email_key AS key
UNION ALL
MATCH (i:Invitation {status: 'pending'})
WHERE i.email CONTAINS '+'
RETURN 'invitation' AS kind, i.id AS id, i.email AS email, i.email_key AS key
"""

_REKEYED = "addresses_rekeyed"  # the marker of rekey_addresses

# A member keeps their key when the new one is already another member's: both accounts
# go on working, and the caller leaves out keys that two of them would take.
REKEY = """
UNWIND $members AS row
MATCH (m:Member {id: row.id})
WHERE m.email_key = row.old
OPTIONAL MATCH (other:Member {email_key: row.new})
WITH m, row, other
WHERE other IS NULL
SET m.email_key = row.new
WITH count(m) AS members
UNWIND $invitations AS row
MATCH (i:Invitation {id: row.id})
WHERE i.email_key = row.old
SET i.email_key = row.new
RETURN members, count(i) AS invitations
"""


def rekey_addresses(engine: GraphEngine, plus_apart: Collection[str]) -> None:
    """Bring the stored keys of members and pending invitations in line with the mailbox
    rule (graph.emails) for these domains apart: run at start-up, before any request, and
    only until it ran once to its end for these domains (graph.migrations): members and
    invitations made since have keys of the same rule."""
    domains = ",".join(sorted(plus_apart))
    if migrated(engine, _REKEYED, domains):
        return
    changes: dict[str, list[dict]] = {"member": [], "invitation": []}
    for row in engine.start_up_read(ADDRESSES_WITH_A_TAG):
        new = mailbox_key(row["email"], plus_apart)
        if new != row["key"]:
            changes[row["kind"]].append({"id": row["id"], "old": row["key"], "new": new})
    taken_twice = {key for key, n in Counter(c["new"] for c in changes["member"]).items()
                   if n > 1}
    rows = [c for c in changes["member"] if c["new"] not in taken_twice]
    if rows or changes["invitation"]:
        engine.write(REKEY, {"members": rows, "invitations": changes["invitation"]})
    mark_migrated(engine, _REKEYED, domains)


# Members an import brought in who have not set a password yet, among these address keys.
UNCLAIMED = """
UNWIND $email_keys AS key
MATCH (m:Member {email_key: key})
WHERE """ + is_active("m") + """ AND m.password_hash IS NULL
RETURN """ + MEMBER_PROJECTION + """ AS member
ORDER BY m.email_key
"""


def unclaimed_members(engine: GraphEngine, email_keys: Collection[str]) -> list[Member]:
    """The active members of these address keys who never set a password: those an import
    brought in who have not claimed their account yet (the claim mail is for them)."""
    rows = engine.read(UNCLAIMED, {"email_keys": sorted(email_keys)})
    return [Member.from_row(row["member"]) for row in rows]


def confirm_address(engine: GraphEngine, member_id: str) -> bool:
    """Mark the member's address as confirmed; True only for the call that confirmed it."""
    return bool(engine.write(CONFIRM_ADDRESS, {"id": member_id}))
