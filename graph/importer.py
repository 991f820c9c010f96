"""Bring an existing community into TrustNet from JSON Lines.

    {"type": "member", "email": "...", "name": "...", "founder": true|false}
    {"type": "sponsorship", "sponsor": "EMAIL", "sponsee": "EMAIL"}

The whole file is validated before anything is written, and every error names its line:
a bad file writes nothing. A valid file is written in batches, each one atomic statement
that merges members (by mailbox) together with the sponsorships that anchor them, in the
order they are reached from the founders, so that whatever has been written at any moment
is a community where every member has a sponsor chain. Merging makes a re-run change
nothing, so an interrupted import is finished by running it again. Imported members are
active at once and claim their account through a set-password link.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from graph.emails import mailbox_key, normalize_email
from graph.engine import GraphEngine
from graph.ids import new_id
from graph.members import Status, count_members

EXISTING_MEMBERS = """
UNWIND $keys AS key
MATCH (m:Member {email_key: key})
RETURN m.email_key AS email_key
"""

# A row of $members is exactly the new member's properties from the file (id, email,
# email_key, name, founder): `m += row` sets them in one step, a little faster than one by one.
IMPORT = """
UNWIND $members AS row
MERGE (m:Member {email_key: row.email_key})
ON CREATE SET m += row, m.status = '""" + Status.ACTIVE \
    + """', m.admin = false, m.session_version = 1,
              m.created_at = $now, m.imported = true
WITH count(*) AS merged
UNWIND $sponsorships AS link
MATCH (a:Member {email_key: link.sponsor})
MATCH (b:Member {email_key: link.sponsee})
WHERE NOT (b)-[:SPONSORED]->(a)
MERGE (a)-[r:SPONSORED]->(b)
ON CREATE SET r.via = 'import', r.at = $now
RETURN count(r) AS sponsorships
"""

MAX_NAME_LENGTH = 200
BATCH_SIZE = 5_000


@dataclass
class ImportPlan:
    """What a valid file asks for, ready to write."""

    members: list[dict] = field(default_factory=list)
    sponsorships: list[dict] = field(default_factory=list)
    batches: list[tuple[list[dict], list[dict]]] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an import changed."""

    members_in_file: int
    members_created: int
    sponsorships_in_file: int
    email_keys: tuple[str, ...] = ()  # of the file's members, for their claim mails


class ImportFileError(ValueError):
    """The file is not valid; `errors` lists (line number, message); nothing was written."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        super().__init__("\n".join(f"line {line}: {message}" for line, message in errors))


def _email(value: object, what: str, plus_apart: Collection[str]) -> tuple[str, str]:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be an e-mail address")
    try:
        address = normalize_email(value)
    except ValueError:
        raise ValueError(f"{what} is not a valid e-mail address: {value!r}") from None
    return address, mailbox_key(address, plus_apart)


class _Mailboxes(dict[str, tuple[str, str]]):
    """The (address, mailbox key) of each spelling met in a file, checked once.

    A member's address comes back in each of their sponsorships (3.4 times on average in
    the benchmark's network): checking it once saves about a fifth of the validation time.
    """

    def __init__(self, plus_apart: Collection[str]) -> None:
        super().__init__()
        self.plus_apart = plus_apart

    def of(self, value: object, what: str) -> tuple[str, str]:
        """_email(value, what), from memory when this spelling was met before."""
        if isinstance(value, str) and value in self:
            return self[value]
        found = _email(value, what, self.plus_apart)
        self[str(value)] = found  # a str: _email refuses anything else
        return found


def _parse(lines: Iterable[str], plus_apart: Collection[str],
           ) -> tuple[ImportPlan, list[tuple[int, str]], dict[str, int]]:
    """Read every line; return the plan, the errors and the line of each member."""
    plan = ImportPlan()
    errors: list[tuple[int, str]] = []
    member_line: dict[str, int] = {}
    mailboxes = _Mailboxes(plus_apart)
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            record = json.loads(text)
            if not isinstance(record, dict):
                raise ValueError("each line must be a JSON object")
            kind = record.get("type")
            if kind == "member":
                address, key = mailboxes.of(record.get("email"), "email")
                name = record.get("name")
                if not isinstance(name, str) or not name.strip():
                    raise ValueError("name is required")
                if len(name) > MAX_NAME_LENGTH:
                    raise ValueError(f"name is longer than {MAX_NAME_LENGTH} characters")
                founder = record.get("founder", False)
                if not isinstance(founder, bool):
                    raise ValueError("founder must be true or false")
                if key in member_line:
                    raise ValueError(f"{address} is already listed on line {member_line[key]}")
                member_line[key] = number
                plan.members.append({"id": new_id(), "email": address, "email_key": key,
                                     "name": name.strip(), "founder": founder})
            elif kind == "sponsorship":
                _, sponsor = mailboxes.of(record.get("sponsor"), "sponsor")
                _, sponsee = mailboxes.of(record.get("sponsee"), "sponsee")
                if sponsor == sponsee:
                    raise ValueError("a member cannot sponsor themselves")
                plan.sponsorships.append({"sponsor": sponsor, "sponsee": sponsee,
                                          "line": number})
            else:
                raise ValueError('type must be "member" or "sponsorship"')
        except json.JSONDecodeError as error:
            errors.append((number, f"not valid JSON ({error.msg})"))
        except ValueError as error:
            errors.append((number, str(error)))
    return plan, errors, member_line


def validate(engine: GraphEngine, lines: Iterable[str],
             plus_apart: Collection[str] = ()) -> ImportPlan:
    """Check the whole file against itself and the graph; raise ImportFileError listing all."""
    plan, errors, member_line = _parse(lines, plus_apart)
    named = {key for link in plan.sponsorships for key in (link["sponsor"], link["sponsee"])}
    outside = sorted(named - member_line.keys())
    known = {row["email_key"] for row in engine.read(EXISTING_MEMBERS, {"keys": outside})}
    for link in plan.sponsorships:
        for role in ("sponsor", "sponsee"):
            key = link[role]
            if key not in member_line and key not in known:
                errors.append((link["line"], f"{role} {key} is neither in the file nor a member"))
    if not errors:
        order = _reach_order(plan, known)
        errors = _unanchored(plan, order, member_line)
    if errors:
        raise ImportFileError(sorted(errors))
    plan.batches = _batches(plan, order)
    return plan


def _reach_order(plan: ImportPlan, known: set[str]) -> dict[str, int]:
    """Number every member in the order a walk from founders and existing members meets them."""
    sponsees: dict[str, list[str]] = {}
    for link in plan.sponsorships:
        sponsees.setdefault(link["sponsor"], []).append(link["sponsee"])
    order: dict[str, int] = {}
    queue = deque(sorted(known) + [m["email_key"] for m in plan.members if m["founder"]])
    while queue:
        key = queue.popleft()
        if key in order:
            continue
        order[key] = len(order)
        queue.extend(sponsees.get(key, ()))
    return order


def _unanchored(plan: ImportPlan, order: dict[str, int],
                member_line: dict[str, int]) -> list[tuple[int, str]]:
    """Members of the file that no sponsor chain links to a founder or an existing member."""
    return [
        (member_line[m["email_key"]],
         f"{m['email']} is not a founder and no sponsor chain links them to one")
        for m in plan.members if m["email_key"] not in order
    ]


def _batches(plan: ImportPlan, order: dict[str, int]) -> list[tuple[list[dict], list[dict]]]:
    """Cut the plan into (members, sponsorships) batches that each leave everyone anchored.

    `order` is the _reach_order of every member. A member is written with or after the
    sponsor that reaches it first, and each sponsorship with the later of its two ends.
    """
    members = sorted(plan.members, key=lambda m: order[m["email_key"]])
    batch_of = {m["email_key"]: i // BATCH_SIZE for i, m in enumerate(members)}
    count = max(batch_of.values(), default=-1) + 1
    batches: list[tuple[list[dict], list[dict]]] = [([], []) for _ in range(max(count, 1))]
    for member in members:
        batches[batch_of[member["email_key"]]][0].append(member)
    for link in plan.sponsorships:
        index = max(batch_of.get(link["sponsor"], 0), batch_of.get(link["sponsee"], 0))
        batches[index][1].append({"sponsor": link["sponsor"], "sponsee": link["sponsee"]})
    return batches


def import_community(
    engine: GraphEngine,
    lines: Iterable[str],
    now: float | None = None,
    progress: Callable[[int, int], None] | None = None,
    plus_apart: Collection[str] = (),
) -> ImportReport:
    """Validate the whole file, then write it batch by batch; report what was created.

    progress(members written, members in file) is called after each batch.
    """
    plan = validate(engine, lines, plus_apart)
    now = time.time() if now is None else now
    before = count_members(engine)
    written = 0
    for members, sponsorships in plan.batches:
        engine.write(IMPORT, {"members": members, "sponsorships": sponsorships, "now": now})
        written += len(members)
        if progress is not None:
            progress(written, len(plan.members))
    engine.refresh_statistics()
    after = count_members(engine)
    return ImportReport(len(plan.members), after - before, len(plan.sponsorships),
                        tuple(sorted(m["email_key"] for m in plan.members)))
