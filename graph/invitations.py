"""Invitations: the only way in. A member invites an e-mail address; the newcomer redeems
the link once, and the redemption creates the member and the SPONSORED edge from the
inviter in the same statement that claims the invitation. The new account is not yet
confirmed: the inviter sees the link too, so holding it proves nothing about the invited
mailbox; graph.members.confirm_address completes it from a link mailed to the address.

Only the SHA-256 of the token is stored. An invitation's stored status is pending,
redeemed or revoked; "expired" is derived from `expires_at` when read.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass

from graph import charter
from graph.emails import mailbox_key, normalize_email
from graph.engine import ConstraintViolation, GraphEngine
from graph.errors import Conflict, Forbidden, NotFound
from graph.ids import new_id
from graph.locks import write_lock
from graph.members import Status, may_sponsor
from graph.notifications import notify

# Each invitation is a mail to an address its sender chose, with their free text: at most
# this many a day (revoked ones too), so that sending and revoking cannot flood a mailbox.
INVITES_PER_DAY = 10

# Counting and creating happen in one statement, so two invitations sent at once cannot
# both take the last place of the quota, or of the day's mails. Touching the sponsor first
# takes its write lock on engines that run statements concurrently (Neo4j); FalkorDB
# serialises writes anyway.
INVITE = """
MATCH (s:Member {id: $sponsor_id})
SET s.invited_at = $now
WITH s
OPTIONAL MATCH (existing:Member {email_key: $email_key})
OPTIONAL MATCH (s)-[:SENT]->(i:Invitation)
WITH s, existing,
     sum(CASE WHEN i.status = 'redeemed' OR (i.status = 'pending' AND i.expires_at > $now)
         THEN 1 ELSE 0 END) AS used,
     sum(CASE WHEN i.status = 'pending' AND i.expires_at > $now AND i.email_key = $email_key
         THEN 1 ELSE 0 END) AS already_invited,
     sum(CASE WHEN i.created_at > $now - 86400 THEN 1 ELSE 0 END) AS sent_today
WITH s, existing, used, already_invited, sent_today,
     coalesce(s.invite_quota, $default_quota) AS quota,
     """ + may_sponsor("s") + """ AS may_invite
WITH s, existing IS NOT NULL AS taken, used, already_invited, sent_today, quota, may_invite,
     may_invite AND existing IS NULL AND already_invited = 0 AND used < quota
     AND sent_today < $per_day AS ok
FOREACH (_ IN CASE WHEN ok THEN [1] ELSE [] END |
  CREATE (s)-[:SENT]->(:Invitation {id: $id, token_hash: $token_hash, email: $email,
                                    email_key: $email_key, note: $note, status: 'pending',
                                    created_at: $now, expires_at: $expires_at}))
RETURN ok, taken, used, quota, already_invited, may_invite, sent_today
"""

# Claims the invitation, creates the member and the sponsorship: all or nothing. A second
# redemption, even one racing it, finds the invitation no longer pending once it holds its
# lock, and matches nothing; an address that registered meanwhile breaks the unique
# constraint and the whole statement is undone. The newcomer accepted the charter version
# $charter_version (0: there was none): only while it is the one in force (graph.charter),
# recorded on the member.
REDEEM = f"""
MATCH (s:Member)-[:SENT]->(i:Invitation {{token_hash: $token_hash}})
{write_lock("i")}
WITH s, i
OPTIONAL MATCH (charter:Charter)
WITH s, i, coalesce(max(charter.version), 0) AS in_force
WHERE i.status = 'pending' AND i.expires_at > $now AND {may_sponsor("s")}
  AND in_force = $charter_version
SET i.status = 'redeemed', i.redeemed_at = $now
CREATE (m:Member {{id: $member_id, email: i.email, email_key: i.email_key, name: $name,
                  password_hash: $password_hash, status: $status, founder: false,
                  admin: false, session_version: 1, created_at: $now, confirmed: false,
                  charter_version: CASE WHEN in_force > 0 THEN in_force END,
                  charter_accepted_at: CASE WHEN in_force > 0 THEN $now END,
                  locale: $locale}})
CREATE (s)-[:SPONSORED {{via: 'invitation', at: $now}}]->(m)
CREATE (i)-[:REDEEMED_BY]->(m)
{notify("s", "'invitation_accepted'", "m")}
RETURN m.id AS id, m.status AS status
"""

INVITATION_BY_TOKEN = """
MATCH (s:Member)-[:SENT]->(i:Invitation {token_hash: $token_hash})
RETURN i {.id, .email, .note, .status, .created_at, .expires_at} AS invitation,
       s.name AS sponsor_name, """ + may_sponsor("s") + """ AS sponsor_may_sponsor
"""

REVOKE = f"""
MATCH (s:Member {{id: $sponsor_id}})-[:SENT]->(i:Invitation {{id: $invitation_id}})
{write_lock("i")}
WITH i
WHERE i.status = 'pending'
SET i.status = 'revoked', i.revoked_at = $now
RETURN i.id AS id
"""

SENT_BY = """
MATCH (:Member {id: $sponsor_id})-[:SENT]->(i:Invitation {id: $invitation_id})
RETURN i.id AS id
"""

LIST_SENT = """
MATCH (s:Member {id: $sponsor_id})-[:SENT]->(i:Invitation)
OPTIONAL MATCH (i)-[:REDEEMED_BY]->(m:Member)
RETURN i {.id, .email, .note, .status, .created_at, .expires_at} AS invitation,
       m.name AS member_name, m.id AS member_id
ORDER BY i.created_at DESC
"""

INVITATIONS_LEFT = """
MATCH (s:Member {id: $sponsor_id})
OPTIONAL MATCH (s)-[:SENT]->(i:Invitation)
WITH s, sum(CASE WHEN i.status = 'redeemed' OR (i.status = 'pending' AND i.expires_at > $now)
             THEN 1 ELSE 0 END) AS used
RETURN coalesce(s.invite_quota, $default_quota) - used AS left
"""


@dataclass(frozen=True)
class Invitation:
    """An invitation as its sender or its recipient sees it."""

    id: str
    email: str
    note: str
    status: str  # pending, redeemed, revoked or expired
    created_at: float
    expires_at: float
    member_name: str | None = None
    member_id: str | None = None

    @property
    def revocable(self) -> bool:
        """Whether its sender may still withdraw it: pending, and not expired."""
        return self.status == "pending"


def _effective_status(row: dict, now: float) -> str:
    if row["status"] == "pending" and row["expires_at"] <= now:
        return "expired"
    return str(row["status"])


def _invitation(row: dict, now: float, **extra: str | None) -> Invitation:
    return Invitation(
        id=row["id"],
        email=row["email"],
        note=row.get("note") or "",
        status=_effective_status(row, now),
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        **extra,
    )


def invite(
    engine: GraphEngine,
    sponsor_id: str,
    email: str,
    note: str,
    token_hash: str,
    *,
    default_quota: int,
    lifetime_s: float,
    per_day: int = INVITES_PER_DAY,
    now: float | None = None,
    plus_apart: Collection[str] = (),
) -> str:
    """Record an invitation from sponsor to email and return its id.

    Refused (nothing written) when the sponsor may not invite, the quota is used up, the
    address already belongs to a member, the sponsor already has a live invitation for it,
    or has sent per_day invitations (each one a mail) in the last 24 hours.
    """
    now = time.time() if now is None else now
    address = normalize_email(email)
    params = {
        "sponsor_id": sponsor_id,
        "id": new_id(),
        "token_hash": token_hash,
        "email": address,
        "email_key": mailbox_key(address, plus_apart),
        "note": note.strip(),
        "now": now,
        "expires_at": now + lifetime_s,
        "default_quota": default_quota,
        "per_day": per_day,
    }
    rows = engine.write(INVITE, params)
    if not rows:
        raise NotFound("no such member")
    row = rows[0]
    if row["ok"]:
        return str(params["id"])
    if not row["may_invite"]:
        raise Forbidden("your right to invite is suspended")
    if row["taken"]:
        raise Conflict("this address cannot be invited: it already belongs to an account")
    if row["already_invited"]:
        raise Conflict("you have already invited this address; the invitation is still open")
    if row["used"] >= row["quota"]:
        raise Forbidden("you have used all %(quota)d of your invitations", quota=row["quota"])
    raise Forbidden("you have sent %(count)d invitations in the last 24 hours: wait a day "
                    "before sending another", count=row["sent_today"])


def invitation_for_token(engine: GraphEngine, token_hash: str, now: float | None = None):
    """Return (invitation, sponsor name, whether the sponsor may still sponsor anyone: see
    graph.members.may_sponsor) for a token hash, or None."""
    now = time.time() if now is None else now
    rows = engine.read(INVITATION_BY_TOKEN, {"token_hash": token_hash})
    if not rows:
        return None
    row = rows[0]
    return (_invitation(row["invitation"], now), row["sponsor_name"],
            bool(row["sponsor_may_sponsor"]))


def redeem_invitation(
    engine: GraphEngine,
    token_hash: str,
    name: str,
    password_hash: str,
    *,
    sponsors_required: int = 1,
    charter_version: int | None = None,
    locale: str | None = None,
    now: float | None = None,
) -> tuple[str, str]:
    """Register the invitee: claim the invitation, create the member and the sponsorship,
    and record that they accepted `charter_version` (the one they were shown; None: the
    one in force, for callers that show none, like tests and imports). `locale`: the
    language they joined in, saved as theirs (pages and mail speak it until they choose
    another in Settings).

    Returns (member id, status): status is 'active', or 'pending' when admission needs more
    sponsors. Raises NotFound for an unknown token, Conflict when the invitation is no
    longer usable (redeemed, revoked, expired, sponsor gone) or the address is registered.
    The account cannot sign in until its address is confirmed.
    """
    now = time.time() if now is None else now
    params = {
        "token_hash": token_hash,
        "member_id": new_id(),
        "name": name.strip(),
        "password_hash": password_hash,
        "status": Status.ACTIVE if sponsors_required <= 1 else Status.PENDING,
        "locale": locale,
        "now": now,
        "charter_version": _charter_version_number(engine, charter_version),
    }
    try:
        rows = engine.write(REDEEM, params)
    except ConstraintViolation as error:
        raise Conflict("this address is already registered: sign in instead") from error
    if rows:
        return str(rows[0]["id"]), str(rows[0]["status"])
    found = invitation_for_token(engine, token_hash, now)
    if found is None:
        raise NotFound("this invitation link is not valid")
    invitation, _, sponsor_may_sponsor = found
    if invitation.status == "redeemed":
        raise Conflict("this invitation has already been used")
    if invitation.status == "revoked":
        raise Conflict("this invitation was withdrawn by the member who sent it")
    if invitation.status == "expired":
        raise Conflict("this invitation has expired: ask your sponsor for a new one")
    if not sponsor_may_sponsor:
        raise Conflict("the member who invited you can no longer sponsor anyone")
    if params["charter_version"] != _charter_version_number(engine, None):
        raise Conflict("the charter changed while you were reading it: read the new version")
    raise Conflict("this invitation cannot be used")


def _charter_version_number(engine: GraphEngine, version: int | None) -> int:
    """The version accepted as REDEEM takes it: 0 for none; the one in force for None."""
    if version is not None:
        return version
    in_force = charter.charter_in_force(engine)
    return in_force.version if in_force else 0


def revoke_invitation(
    engine: GraphEngine, sponsor_id: str, invitation_id: str, now: float | None = None
) -> None:
    """Withdraw a pending invitation of the sponsor; its link stops working at once.
    NotFound when the sponsor sent no such invitation; Conflict when it is no longer
    pending."""
    now = time.time() if now is None else now
    rows = engine.write(
        REVOKE, {"sponsor_id": sponsor_id, "invitation_id": invitation_id, "now": now}
    )
    if not rows:
        if not engine.read(SENT_BY, {"sponsor_id": sponsor_id, "invitation_id": invitation_id}):
            raise NotFound("no such invitation")
        raise Conflict("only a pending invitation of yours can be revoked")


def list_invitations(
    engine: GraphEngine, sponsor_id: str, now: float | None = None
) -> list[Invitation]:
    """Return the sponsor's invitations, newest first, with their effective status."""
    now = time.time() if now is None else now
    rows = engine.read(LIST_SENT, {"sponsor_id": sponsor_id})
    return [
        _invitation(row["invitation"], now, member_name=row["member_name"],
                    member_id=row["member_id"])
        for row in rows
    ]


def invitations_left(
    engine: GraphEngine, sponsor_id: str, default_quota: int, now: float | None = None
) -> int:
    """Return how many more invitations the sponsor may send now."""
    now = time.time() if now is None else now
    rows = engine.read(
        INVITATIONS_LEFT,
        {"sponsor_id": sponsor_id, "default_quota": default_quota, "now": now},
    )
    return max(0, int(rows[0]["left"])) if rows else 0
