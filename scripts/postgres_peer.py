"""The PostgreSQL peer of the benchmark (scripts/benchmark.py): the same network in the tables
a relational Flask app would have, and the graph's reads written as recursive CTEs.

The benchmark starts its own PostgreSQL 15 server (Debian's postgresql-15) in a temporary
folder, listening on a unix socket only, loads the generated community with COPY, runs
ANALYZE, then asks the questions of graph.offers.feed, graph.trust.trust_path,
graph.trust.circle_members and graph.bans.plan_ban through psycopg. Members are the
community's numbers (0..size-1); offers keep the ids the graph has, so that answers compare.

The trust walk follows sponsorships both ways through active members, as graph.trust does.
A recursive CTE cannot test whether a member was reached at an earlier level (its recursive
term sees only the previous level), so a walk level is de-duplicated by (member, depth) with
UNION and a member's degree is the first depth that holds it, the same walk levels as the
graph's statements.
"""

from __future__ import annotations

import io
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_BIN = Path(os.environ.get("TRUSTNET_PG_BIN", "/usr/lib/postgresql/15/bin"))
CHAIN_STATUSES = ("active", "departed")  # graph.members.CHAIN_STATUSES

SCHEMA = """
CREATE TABLE members (
    id integer PRIMARY KEY,
    status text NOT NULL  -- active, suspended, banned, departed (graph.members.Status)
);
-- One row per sponsorship, sponsor -> sponsee. The primary key's index serves the walks
-- down (a sponsor's sponsees: the ban preview) and one direction of the trust walk.
CREATE TABLE sponsorships (
    sponsor integer NOT NULL REFERENCES members,
    sponsee integer NOT NULL REFERENCES members,
    PRIMARY KEY (sponsor, sponsee)
);
CREATE TABLE offers (
    id text PRIMARY KEY,
    owner integer NOT NULL REFERENCES members,
    visibility smallint NOT NULL,  -- 0: the whole network, else the furthest degree shown
    status text NOT NULL,  -- active, paused, closed (graph.offers.OfferStatus)
    hidden boolean NOT NULL DEFAULT false,
    created_at double precision NOT NULL,
    category text NOT NULL
);
"""

# Built after COPY, as a bulk load should. Each one is what a read below needs:
INDEXES = """
-- A sponsee's sponsors: the trust walk goes both ways along sponsorships, and the ban
-- preview looks up the sponsors of each member below the banned one. Both columns, so that
-- the walk is an index-only scan.
CREATE INDEX sponsorships_sponsee ON sponsorships (sponsee, sponsor);
-- A member's offers, found from the members of a circle (the feed's near part).
CREATE INDEX offers_owner ON offers (owner);
-- The newest whole-network offers on show: the feed's far part reads the first page of
-- this index instead of sorting every such offer.
CREATE INDEX offers_whole_newest ON offers (created_at DESC, id DESC)
    WHERE visibility = 0 AND status = 'active' AND NOT hidden;
"""

# The walk levels from member %(me)s up to %(hops)s steps (only if that member is active):
# rows (n, depth), a member at every depth a walk of that length reaches.
_WALK = """
walk(n, depth) AS (
    SELECT m.id, 0 FROM members m WHERE m.id = %(me)s AND m.status = 'active'
  UNION
    SELECT c.n, w.depth + 1
    FROM walk w
    CROSS JOIN LATERAL (SELECT sponsee AS n FROM sponsorships WHERE sponsor = w.n
                        UNION ALL
                        SELECT sponsor FROM sponsorships WHERE sponsee = w.n) c
    JOIN members m ON m.id = c.n AND m.status = 'active'
    WHERE w.depth < %(hops)s
)"""
# After the walk: every member within the walk once, but %(me)s, at its degree.
_CIRCLE = """,
circle AS (
    SELECT n, min(depth) AS degree FROM walk WHERE n <> %(me)s GROUP BY n
)"""

# graph.trust.circle_members: every active member within %(hops)s, by degree (then number).
CIRCLE = "WITH RECURSIVE" + _WALK + _CIRCLE + """
SELECT n, degree FROM circle ORDER BY degree, n
"""

# graph.offers.feed, one page: the offers on show of the active members of my circle within
# their reach (visibility 0 or >= degree), then the newest whole-network offers of members
# beyond it (degree null), each newest first. The far part needs no more than the page's
# window: any older whole-network offer has a window of newer ones ahead of it.
FEED = "WITH RECURSIVE" + _WALK + _CIRCLE + """,
near AS (
    SELECT o.id, o.created_at, c.degree
    FROM circle c JOIN offers o ON o.owner = c.n
    WHERE o.status = 'active' AND NOT o.hidden
      AND (o.visibility = 0 OR o.visibility >= c.degree)
),
far AS (
    SELECT o.id, o.created_at, NULL::integer AS degree
    FROM offers o JOIN members m ON m.id = o.owner
    WHERE o.visibility = 0 AND o.status = 'active' AND NOT o.hidden
      AND m.status = 'active' AND o.owner <> %(me)s
      AND o.owner NOT IN (SELECT n FROM circle)
      AND EXISTS (SELECT 1 FROM members me WHERE me.id = %(me)s AND me.status = 'active')
    ORDER BY o.created_at DESC, o.id DESC
    LIMIT %(window)s
)
SELECT id, min(degree) AS degree
FROM (SELECT * FROM near UNION ALL SELECT * FROM far) found
GROUP BY id, created_at
ORDER BY min(degree) IS NULL, created_at DESC, id DESC
LIMIT %(limit)s OFFSET %(skip)s
"""

# graph.trust.trust_path's degree and strength from %(a)s to %(me)s (the target, where the
# walk starts, hops - 1 levels deep): a's degree is one more than the nearest of a's active
# contacts, and the strength is how many contacts are that near.
PATH = "WITH RECURSIVE" + _WALK + """,
reached AS (
    SELECT n, min(depth) AS depth FROM walk GROUP BY n
),
contacts AS (
    SELECT r.depth
    FROM (SELECT sponsee AS n FROM sponsorships WHERE sponsor = %(a)s
          UNION
          SELECT sponsor FROM sponsorships WHERE sponsee = %(a)s) c
    JOIN reached r ON r.n = c.n
    WHERE EXISTS (SELECT 1 FROM members a WHERE a.id = %(a)s AND a.status = 'active')
)
SELECT min(depth) + 1 AS degree,
       count(*) FILTER (WHERE depth = (SELECT min(depth) FROM contacts)) AS strength
FROM contacts
"""

# graph.bans.plan_ban's suspended members: the chain carriers below %(b)s through chain
# carriers (the candidates), less those still reachable, through candidates, from a candidate
# with a chain-carrying sponsor that is neither %(b)s nor a candidate (graph/bans.py).
BAN_PREVIEW = """
WITH RECURSIVE candidates(n) AS (
    SELECT s.sponsee FROM sponsorships s
    JOIN members b ON b.id = s.sponsor AND b.status = ANY(%(chain)s)
    JOIN members m ON m.id = s.sponsee AND m.status = ANY(%(chain)s)
    WHERE s.sponsor = %(b)s AND s.sponsee <> %(b)s
  UNION
    SELECT s.sponsee FROM candidates c
    JOIN sponsorships s ON s.sponsor = c.n
    JOIN members m ON m.id = s.sponsee AND m.status = ANY(%(chain)s)
    WHERE s.sponsee <> %(b)s
),
kept(n) AS (
    SELECT c.n FROM candidates c
    WHERE EXISTS (SELECT 1 FROM sponsorships s
                  JOIN members p ON p.id = s.sponsor AND p.status = ANY(%(chain)s)
                  WHERE s.sponsee = c.n AND s.sponsor <> %(b)s
                    AND s.sponsor NOT IN (SELECT n FROM candidates))
  UNION
    SELECT s.sponsee FROM kept k
    JOIN sponsorships s ON s.sponsor = k.n
    WHERE s.sponsee IN (SELECT n FROM candidates)
)
SELECT n FROM candidates EXCEPT SELECT n FROM kept ORDER BY n
"""


class PostgresPeer:
    """A psycopg connection to a loaded database, answering the benchmark's questions."""

    def __init__(self, connection) -> None:
        self.connection = connection

    def _rows(self, query: str, parameters: dict) -> list[tuple]:
        with self.connection.cursor() as cursor:
            cursor.execute(query, parameters)
            return cursor.fetchall()

    def feed(self, me: int, hops: int, page: int = 1,
             per_page: int = 20) -> list[tuple[str, int | None]]:
        """The feed's page: (offer id, degree or None), my circle's first, newest first."""
        skip = (page - 1) * per_page
        return [(offer, degree) for offer, degree in self._rows(FEED, {
            "me": me, "hops": hops, "window": skip + per_page, "limit": per_page,
            "skip": skip})]

    def path(self, a: int, b: int, hops: int) -> tuple[int | None, int]:
        """(degree, strength) from a to b, (None, 0) beyond `hops`."""
        if a == b:
            return 0, 1
        degree, strength = self._rows(PATH, {"me": b, "a": a, "hops": hops - 1})[0]
        return (degree, strength) if degree is not None else (None, 0)

    def circle(self, me: int, hops: int) -> dict[int, int]:
        """Member -> degree, for every active member within `hops`."""
        return dict(self._rows(CIRCLE, {"me": me, "hops": hops}))

    def ban_preview(self, b: int) -> list[int]:
        """The members a ban of b would suspend."""
        return [n for (n,) in self._rows(BAN_PREVIEW, {"b": b, "chain": list(CHAIN_STATUSES)})]


def _as_postgres_user(folder: Path) -> dict:
    """PostgreSQL refuses to run as root: then the server runs as Debian's `postgres` user,
    who must own its folder."""
    if os.geteuid() != 0:
        return {}
    user = pwd.getpwnam("postgres")
    shutil.chown(folder, user.pw_uid, user.pw_gid)
    return {"user": user.pw_uid, "group": user.pw_gid}


def _run(command: list, owner: dict) -> None:
    """Run a server command; fail with its own message."""
    done = subprocess.run(command, capture_output=True, text=True, **owner)
    if done.returncode:
        raise RuntimeError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


@contextmanager
def server() -> Iterator[str]:
    """A PostgreSQL server in a temporary folder of its own (the `postgres` user must reach
    it when run as root) on a unix socket; yields its conninfo."""
    if not (PG_BIN / "initdb").exists():
        raise RuntimeError(f"no PostgreSQL in {PG_BIN}: install postgresql-15 "
                           "(make install-test) or set TRUSTNET_PG_BIN")
    with tempfile.TemporaryDirectory(prefix="trustnet-bench-pg-") as place:
        home = Path(place)
        owner = _as_postgres_user(home)
        data = home / "data"
        _run([PG_BIN / "initdb", "-D", data, "-U", "bench", "-A", "trust", "--no-sync",
              "-E", "UTF8", "--locale", "C"], owner)
        # No durability (the load is thrown away afterwards; reads are unaffected); memory
        # for the 1M graph to stay cached, as a server given a few GB would have.
        options = (f"-k {home} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
                   "-c full_page_writes=off -c shared_buffers=512MB -c work_mem=64MB "
                   "-c maintenance_work_mem=256MB")
        _run([PG_BIN / "pg_ctl", "-D", data, "-l", home / "log", "-w", "-o", options,
              "start"], owner)
        try:
            yield f"host={home} dbname=postgres user=bench"
        finally:
            _run([PG_BIN / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop"], owner)


def _copy(cursor, table: str, rows) -> None:
    """COPY rows (tuples of text-able values) into a table."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
    with cursor.copy(f"COPY {table} FROM STDIN") as copy:
        copy.write(buffer.getvalue())


def load(conninfo: str, community) -> PostgresPeer:
    """Create the tables, COPY the community in, build the indexes, ANALYZE; return a peer
    on its own connection."""
    import psycopg

    connection = psycopg.connect(conninfo, autocommit=True)
    with connection.cursor() as cursor:
        cursor.execute(SCHEMA)
        _copy(cursor, "members", ((n, "active") for n in range(community.size)))
        _copy(cursor, "sponsorships", community.sponsorships)
        _copy(cursor, "offers (id, owner, visibility, status, created_at, category)",
              ((o["id"], o["owner"], o["visibility"], "active", repr(o["at"]), o["category"])
               for o in community.offers))
        cursor.execute(INDEXES)
        cursor.execute("ANALYZE")
    return PostgresPeer(connection)
