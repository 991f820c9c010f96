// graph.abuse_reports.DISMISS_REPORT
MATCH (reporter:Member)-[:FILED]->(r:Report {id: $report_id})-[:REPORTS]->(x)
WHERE r.status = 'open'
SET r.status = 'dismissed', r.decided_at = $now, r.decided_by = $actor_id
CREATE (:AuditEntry {at: $now, action: 'report_dismissed', actor_id: $actor_id,
                     target_id: x.id, reason: $reason})
CREATE (reporter)<-[:UNREAD]-(:Notification {id: randomUUID(), kind: 'report_dismissed', at: $now})
RETURN r.id AS id

// graph.abuse_reports.HIDE_OFFER
MATCH (:Report {id: $report_id})-[:REPORTS]->(o:Offer)
SET o.hidden = true
CREATE (:AuditEntry {at: $now, action: 'offer_hidden', actor_id: $actor_id, target_id: o.id,
                     reason: $reason})
WITH o
MATCH (reporter:Member)-[:FILED]->(r:Report)-[:REPORTS]->(o)
WHERE r.status = 'open'
SET r.status = 'offer_hidden', r.decided_at = $now, r.decided_by = $actor_id
CREATE (reporter)<-[:UNREAD]-(:Notification {id: randomUUID(), kind: 'report_upheld', at: $now})
RETURN count(r) AS closed

// graph.abuse_reports.OPEN_REPORTS
MATCH (reporter:Member)-[:FILED]->(r:Report)-[:REPORTS]->(x)
WHERE r.status = 'open'
OPTIONAL MATCH (owner:Member)-[:OFFERS]->(x)
OPTIONAL MATCH (quoted:Message {id: r.message_id})
RETURN r.id AS id, r.kind AS kind, r.reason AS reason, r.text AS text,
       r.created_at AS created_at, reporter.name AS reporter_name,
       x.id AS subject_id, coalesce(x.title, x.name) AS subject,
       coalesce(owner.id, x.id) AS member_id, coalesce(owner.name, x.name) AS member_name,
       coalesce(owner.status, x.status) AS member_status,
       coalesce(x.hidden, false) AS hidden, quoted.body AS message
ORDER BY created_at

// graph.abuse_reports.REPORT
MATCH (r:Report {id: $report_id}) RETURN r.id AS id

// graph.abuse_reports.REPORT_MEMBER[3]
MATCH (me:Member {id: $member_id})
WHERE me.status = 'active'
WITH me, [{n: me, via: null}] AS frontier, 0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

OPTIONAL MATCH (target:Member {id: $profile_id})
WITH me, target, [c IN circle WHERE c.n = target | c.degree][0] AS degree

CALL {
  WITH me, target
  OPTIONAL MATCH (target)-[:ASKED]->(asked:Conversation)-[:ABOUT]->(:Offer)<-[:OFFERS]-(me)
  RETURN count(asked) > 0 AS wrote_to_me
}

CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}

WITH me, target, degree, blocked, wrote_to_me
WHERE target IS NOT NULL
  AND (me = target OR degree IS NOT NULL
       OR (me.status = 'active' AND target.status = 'active' AND wrote_to_me))

WITH me AS reporter, target AS subject
WHERE subject <> reporter
WITH reporter, subject, subject AS accused
SET reporter._lock = true REMOVE reporter._lock
WITH reporter, subject, accused
OPTIONAL MATCH (earlier:Report {id: $id})
WITH reporter, subject, accused, earlier IS NULL AS is_new
FOREACH (_ IN CASE WHEN is_new THEN [1] ELSE [] END |
  CREATE (reporter)-[:FILED]->(:Report {id: $id, kind: $kind, reason: $reason, text: $text,
                                        status: 'open', created_at: $now,
                                        message_id: $message_id})-[:REPORTS]->(subject)
  CREATE (:AuditEntry {at: $now, action: 'report', actor_id: reporter.id,
                       target_id: accused.id, reason: $reason}))
RETURN $id AS id

// graph.abuse_reports.REPORT_MEMBER[6]
MATCH (me:Member {id: $member_id})
WHERE me.status = 'active'
WITH me, [{n: me, via: null}] AS frontier, 0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

OPTIONAL MATCH (target:Member {id: $profile_id})
WITH me, target, [c IN circle WHERE c.n = target | c.degree][0] AS degree

CALL {
  WITH me, target
  OPTIONAL MATCH (target)-[:ASKED]->(asked:Conversation)-[:ABOUT]->(:Offer)<-[:OFFERS]-(me)
  RETURN count(asked) > 0 AS wrote_to_me
}

CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}

WITH me, target, degree, blocked, wrote_to_me
WHERE target IS NOT NULL
  AND (me = target OR degree IS NOT NULL
       OR (me.status = 'active' AND target.status = 'active' AND wrote_to_me))

WITH me AS reporter, target AS subject
WHERE subject <> reporter
WITH reporter, subject, subject AS accused
SET reporter._lock = true REMOVE reporter._lock
WITH reporter, subject, accused
OPTIONAL MATCH (earlier:Report {id: $id})
WITH reporter, subject, accused, earlier IS NULL AS is_new
FOREACH (_ IN CASE WHEN is_new THEN [1] ELSE [] END |
  CREATE (reporter)-[:FILED]->(:Report {id: $id, kind: $kind, reason: $reason, text: $text,
                                        status: 'open', created_at: $now,
                                        message_id: $message_id})-[:REPORTS]->(subject)
  CREATE (:AuditEntry {at: $now, action: 'report', actor_id: reporter.id,
                       target_id: accused.id, reason: $reason}))
RETURN $id AS id

// graph.abuse_reports.REPORT_MESSAGE
MATCH (reporter:Member {id: $reporter_id})
MATCH (asker:Member)-[:ASKED]->(c:Conversation)-[:HAS]->(:Message {id: $message_id})
      <-[:WROTE]-(subject:Member)
MATCH (c)-[:ABOUT]->(:Offer)<-[:OFFERS]-(owner:Member)
WHERE reporter.status = 'active' AND (reporter = asker OR reporter = owner)
  AND subject <> reporter
WITH reporter, subject, subject AS accused
SET reporter._lock = true REMOVE reporter._lock
WITH reporter, subject, accused
OPTIONAL MATCH (earlier:Report {id: $id})
WITH reporter, subject, accused, earlier IS NULL AS is_new
FOREACH (_ IN CASE WHEN is_new THEN [1] ELSE [] END |
  CREATE (reporter)-[:FILED]->(:Report {id: $id, kind: $kind, reason: $reason, text: $text,
                                        status: 'open', created_at: $now,
                                        message_id: $message_id})-[:REPORTS]->(subject)
  CREATE (:AuditEntry {at: $now, action: 'report', actor_id: reporter.id,
                       target_id: accused.id, reason: $reason}))
RETURN $id AS id

// graph.abuse_reports.REPORT_OFFER[3]
MATCH (me:Member {id: $member_id})
WITH me, CASE WHEN me.status = 'active' THEN [{n: me, via: null}] ELSE [] END AS frontier,
     0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

OPTIONAL MATCH (target:Member)-[:OFFERS]->(o:Offer {id: $offer_id})
WITH me, target, o, [c IN circle WHERE c.n = target | c.degree][0] AS degree
CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}
WITH me, target, o, degree, blocked
WHERE me = target
   OR (me.status = 'active' AND target.status = 'active' AND o.status = 'active' AND NOT o.hidden
       AND (o.visibility = 0 OR o.visibility >= degree) AND NOT blocked)

WITH me AS reporter, target AS accused, o AS subject
WHERE accused <> reporter
SET reporter._lock = true REMOVE reporter._lock
WITH reporter, subject, accused
OPTIONAL MATCH (earlier:Report {id: $id})
WITH reporter, subject, accused, earlier IS NULL AS is_new
FOREACH (_ IN CASE WHEN is_new THEN [1] ELSE [] END |
  CREATE (reporter)-[:FILED]->(:Report {id: $id, kind: $kind, reason: $reason, text: $text,
                                        status: 'open', created_at: $now,
                                        message_id: $message_id})-[:REPORTS]->(subject)
  CREATE (:AuditEntry {at: $now, action: 'report', actor_id: reporter.id,
                       target_id: accused.id, reason: $reason}))
RETURN $id AS id

// graph.abuse_reports.REPORT_OFFER[6]
MATCH (me:Member {id: $member_id})
WITH me, CASE WHEN me.status = 'active' THEN [{n: me, via: null}] ELSE [] END AS frontier,
     0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

OPTIONAL MATCH (target:Member)-[:OFFERS]->(o:Offer {id: $offer_id})
WITH me, target, o, [c IN circle WHERE c.n = target | c.degree][0] AS degree
CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}
WITH me, target, o, degree, blocked
WHERE me = target
   OR (me.status = 'active' AND target.status = 'active' AND o.status = 'active' AND NOT o.hidden
       AND (o.visibility = 0 OR o.visibility >= degree) AND NOT blocked)

WITH me AS reporter, target AS accused, o AS subject
WHERE accused <> reporter
SET reporter._lock = true REMOVE reporter._lock
WITH reporter, subject, accused
OPTIONAL MATCH (earlier:Report {id: $id})
WITH reporter, subject, accused, earlier IS NULL AS is_new
FOREACH (_ IN CASE WHEN is_new THEN [1] ELSE [] END |
  CREATE (reporter)-[:FILED]->(:Report {id: $id, kind: $kind, reason: $reason, text: $text,
                                        status: 'open', created_at: $now,
                                        message_id: $message_id})-[:REPORTS]->(subject)
  CREATE (:AuditEntry {at: $now, action: 'report', actor_id: reporter.id,
                       target_id: accused.id, reason: $reason}))
RETURN $id AS id

// graph.audit.AUDIT_LOG
MATCH (e:AuditEntry)
WHERE ($action IS NULL OR e.action = $action)
  AND ($target_id IS NULL OR e.target_id = $target_id)
  AND ($actor_id IS NULL OR e.actor_id = $actor_id)
WITH e ORDER BY e.at DESC, e.action, e.target_id SKIP $offset LIMIT $limit
OPTIONAL MATCH (actor:Member {id: e.actor_id})
OPTIONAL MATCH (target:Member {id: e.target_id})
RETURN e.at AS at, e.action AS action, e.actor_id AS actor_id, e.target_id AS target_id,
       e.ban_id AS ban_id, e.reason AS reason, actor.name AS actor_name,
       target.name AS target_name

// graph.backoffice.FOUNDERS
MATCH (m:Member)
WHERE m.founder = true
OPTIONAL MATCH (m)-[:SPONSORED]->(t:Member)
RETURN m.id AS id, m.name AS name, m.status AS status, count(t) AS sponsees
ORDER BY name

// graph.backoffice.INVITATIONS_BY_STATUS
MATCH (i:Invitation)
RETURN CASE WHEN i.status = 'pending' AND i.expires_at <= $now THEN 'expired'
            ELSE i.status END AS status, count(i) AS invitations

// graph.backoffice.MEMBERS_BY_STATUS
MATCH (m:Member) RETURN m.status AS status, count(m) AS members

// graph.backoffice.MEMBER_FILE
MATCH (m:Member {id: $member_id})
OPTIONAL MATCH (ban:Ban)-[:AGAINST]->(m) WHERE ban.status = 'in_force'
OPTIONAL MATCH (struck:Ban)-[:STRUCK]->(m) WHERE struck.status = 'in_force'
RETURN m {.id, .name, .email, .status, .founder, .admin, .created_at, .departed, .invites_suspended} AS member,
       CASE WHEN ban IS NULL THEN NULL ELSE ban {.id, .reason, .created_at} END AS ban,
       count(DISTINCT struck) AS strikes

// graph.backoffice.OPEN_WORK
OPTIONAL MATCH (ban:Ban) WHERE ban.status = 'in_force'
WITH count(ban) AS bans
OPTIONAL MATCH (r:Report) WHERE r.status = 'open'
WITH bans, count(r) AS reports
OPTIONAL MATCH (a:Appeal) WHERE a.status = 'open'
RETURN bans, reports, count(a) AS appeals

// graph.backoffice.RECORDS
UNWIND $ids AS member_id
MATCH (p:Member {id: member_id})
OPTIONAL MATCH (p)-[:SPONSORED]->(s:Member)
RETURN p.id AS id, p.name AS name, p.status AS status, count(s) AS brought_in,
       count(CASE WHEN s.status = 'banned' THEN s END) AS banned

// graph.backoffice.SEARCH
MATCH (m:Member)
WHERE toLower(m.name) CONTAINS $q OR m.email_key CONTAINS $q OR m.email CONTAINS $q
WITH m ORDER BY m.name LIMIT $limit
RETURN m {.id, .name, .email, .status, .founder, .admin, .created_at, .departed, .invites_suspended} AS member

// graph.backoffice.SPONSEES_OF
UNWIND $ids AS member_id
MATCH (:Member {id: member_id})-[:SPONSORED]->(s:Member)
OPTIONAL MATCH (s)-[:SPONSORED]->(t:Member)
RETURN member_id AS parent, s.id AS id, s.name AS name, s.status AS status,
       count(t) AS sponsees
ORDER BY name

// graph.backoffice.SPONSORS_OF
UNWIND $frontier AS member_id
MATCH (p:Member)-[:SPONSORED]->(:Member {id: member_id})
RETURN DISTINCT p.id AS id, p.name AS name, p.status AS status,
       coalesce(p.founder, false) AS founder

// graph.bans.ALL_OPEN_REQUESTS
MATCH (asker:Member)-[:REQUESTED]->(request:BanRequest)-[:AGAINST]->(b:Member)
WHERE request.status = 'open' AND request.created_at > $now - $request_ttl_s
  AND b.status <> 'banned' AND NOT coalesce(b.departed, false)
  AND (coalesce(asker.admin, false) AND asker.status = 'active')
RETURN b.id AS member_id, b.name AS member_name, asker.id AS actor_id,
       asker.name AS actor_name, request.reason AS reason, request.created_at AS created_at
ORDER BY created_at

// graph.bans.BAN
MATCH (b:Member {id: $member_id})
SET b._lock = true REMOVE b._lock
WITH b
WHERE b.status = $expected_status

CALL {
  WITH b
  UNWIND $sources AS source_id
  MATCH (s:Member {id: source_id})
  OPTIONAL MATCH (s)-[:SPONSORED]->(y:Member)
  RETURN count(DISTINCT CASE WHEN s <> b AND s.status IN ['active', 'departed'] THEN s END)
           AS carrying,
         count(DISTINCT CASE WHEN y <> b AND y.status IN ['active', 'departed']
                             AND NOT (coalesce(y.founder, false) OR y.reinstated_at IS NOT NULL) THEN y END) AS reached
}
CALL {
  WITH b
  UNWIND $suspend AS row
  MATCH (s:Member {id: row.id})
  OPTIONAL MATCH (p:Member)-[:SPONSORED]->(s)
  WITH row, s, sum(CASE WHEN p.status IN ['active', 'departed'] OR p = b THEN 1 ELSE 0 END)
               AS sponsors
  RETURN sum(CASE WHEN sponsors = row.sponsors THEN 0 ELSE 1 END) AS gained,
         collect(s) AS suspended
}
CALL {
  WITH b
  UNWIND $anchors AS anchor_id
  MATCH (a:Member {id: anchor_id})
  WITH a WHERE a.status IN ['active', 'departed']
  RETURN count(a) AS anchoring
}
WITH b, carrying, reached, gained, suspended, anchoring
WHERE carrying = $candidate_count AND reached = $candidate_count AND gained = 0
  AND anchoring = size($anchors)

CALL {
  WITH b
  OPTIONAL MATCH (asker:Member)-[:REQUESTED]->(request:BanRequest)-[:AGAINST]->(b)
  WHERE request.status = 'open' AND request.created_at > $now - $request_ttl_s
  WITH request, asker, (coalesce(asker.admin, false) AND asker.status = 'active') AS by_admin
  RETURN collect(request) AS requests,
         sum(CASE WHEN by_admin AND asker.id <> $actor_id THEN 1 ELSE 0 END) AS seconded,
         sum(CASE WHEN by_admin AND asker.id = $actor_id THEN 1 ELSE 0 END) AS own
}

OPTIONAL MATCH (actor:Member {id: coalesce($actor_id, '')})
WITH b, suspended, requests, seconded, actor
WHERE NOT (coalesce(b.founder, false) OR coalesce(b.admin, false))
   OR (seconded > 0 AND (coalesce(actor.admin, false) AND actor.status = 'active'))
FOREACH (request IN requests |
  SET request.status = 'used', request.ban_id = $ban_id, request.used_at = $now)
SET b.status = 'banned', b.sanctioned_at = $now, b.session_version = b.session_version + 1
CREATE (ban:Ban {id: $ban_id, reason: $reason, actor_id: $actor_id, created_at: $now,
                 status: 'in_force', previous_status: $expected_status})-[:AGAINST]->(b)
CREATE (:AuditEntry {at: $now, action: 'ban', actor_id: $actor_id, target_id: b.id,
                     ban_id: $ban_id, reason: $reason})

FOREACH (s IN suspended |
  SET s.status = 'suspended', s.sanctioned_at = $now
  CREATE (:AuditEntry {at: $now, action: 'suspend', actor_id: $actor_id, target_id: s.id,
                       ban_id: $ban_id, reason: $reason})
  CREATE (s)<-[:UNREAD]-(:Notification {id: randomUUID(), kind: 'suspended', at: $now})
)

WITH b, ban, suspended
OPTIONAL MATCH (b)-[:SENT]->(i:Invitation)
WITH b, ban, suspended, collect(CASE WHEN i.status = 'pending' THEN i END) AS pending
FOREACH (i IN pending | SET i.status = 'revoked', i.revoked_at = $now)
WITH b, ban, suspended, size(pending) AS invitations_revoked
OPTIONAL MATCH (b)-[:OFFERS]->(o:Offer)
WITH b, ban, suspended, invitations_revoked,
     sum(CASE WHEN o.status IN ['active', 'paused'] THEN 1 ELSE 0 END) AS offers_hidden
OPTIONAL MATCH (p:Member)-[:SPONSORED]->(b)
WHERE p.status <> 'banned' AND NOT coalesce(p.departed, false)
OPTIONAL MATCH (p)<-[:STRUCK]-(earlier:Ban)
WITH b, ban, suspended, invitations_revoked, offers_hidden, p,
     sum(CASE WHEN earlier.status = 'in_force' THEN 1 ELSE 0 END) + 1 AS strikes
WITH b, ban, suspended, invitations_revoked, offers_hidden,
     collect(CASE WHEN p IS NOT NULL THEN {member: p, strikes: strikes} END) AS struck
FOREACH (row IN struck | FOREACH (p IN [row.member] |
  CREATE (ban)-[:STRUCK]->(p)
  SET p.invites_suspended = row.strikes >= $strike_threshold
  CREATE (:AuditEntry {at: $now, action: 'strike', actor_id: $actor_id, target_id: p.id,
                       ban_id: $ban_id, reason: $reason})
  CREATE (p)<-[:UNREAD]-(:Notification {id: randomUUID(), kind: 'strike', at: $now})-[:ABOUT]->(ban)
))

WITH *
CALL {
  WITH b
  OPTIONAL MATCH (b)-[:OFFERS]->(o:Offer)
  WITH b, collect(o) + [b] AS subjects
  UNWIND subjects AS subject
  MATCH (r:Report)-[:REPORTS]->(subject)
  WHERE r.status = 'open'
  OPTIONAL MATCH (reporter:Member)-[:FILED]->(r)
  RETURN collect({report: r, reporter: reporter}) AS reports
}
FOREACH (row IN reports | FOREACH (r IN [row.report] |
  SET r.status = 'banned', r.decided_at = $now, r.decided_by = $actor_id)
  FOREACH (reporter IN CASE WHEN row.reporter IS NULL THEN [] ELSE [row.reporter] END |
    CREATE (reporter)<-[:UNREAD]-(:Notification {id: randomUUID(), kind: 'report_upheld', at: $now})
))
FOREACH (closed IN CASE WHEN size(reports) > 0 THEN [size(reports)] ELSE [] END |
  CREATE (:AuditEntry {at: $now, action: 'reports_closed', actor_id: $actor_id,
                       target_id: b.id, reason: 'member banned'}))

FOREACH (job_id IN CASE WHEN $job_id IS NULL THEN [] ELSE [$job_id] END |
  CREATE (:Job {id: job_id, kind: 'ban', status: 'queued', member_id: $member_id,
                ban_id: $ban_id, actor_id: $actor_id, reason: $reason, reached: 0,
                created_at: $now, beat_at: $now, invitations_revoked: invitations_revoked,
                offers_hidden: offers_hidden}))
RETURN ban.id AS ban_id, invitations_revoked, offers_hidden,
       [s IN suspended | {id: s.id, email: s.email, name: s.name}] AS suspended,
       [row IN struck | {id: row.member.id, email: row.member.email, name: row.member.name}]
       AS struck

// graph.bans.BAN_IN_FORCE
MATCH (ban:Ban {id: $ban_id})
RETURN ban.status = 'in_force' AS in_force

// graph.bans.BAN_TARGET
MATCH (b:Member {id: $member_id})

CALL {
  WITH b
  OPTIONAL MATCH (asker:Member)-[:REQUESTED]->(request:BanRequest)-[:AGAINST]->(b)
  WHERE request.status = 'open' AND request.created_at > $now - $request_ttl_s
  WITH request, asker, (coalesce(asker.admin, false) AND asker.status = 'active') AS by_admin
  RETURN collect(request) AS requests,
         sum(CASE WHEN by_admin AND asker.id <> $actor_id THEN 1 ELSE 0 END) AS seconded,
         sum(CASE WHEN by_admin AND asker.id = $actor_id THEN 1 ELSE 0 END) AS own
}

OPTIONAL MATCH (actor:Member {id: coalesce($actor_id, '')})
WITH b, (coalesce(b.founder, false) OR coalesce(b.admin, false)) AS protected, seconded,
     (coalesce(actor.admin, false) AND actor.status = 'active') AS actor_admin
OPTIONAL MATCH (p:Member)-[:SPONSORED]->(b)
WITH b, protected, seconded, actor_admin,
     collect(CASE WHEN p.status <> 'banned' AND NOT coalesce(p.departed, false)
             THEN {id: p.id, email: p.email, name: p.name} END) AS sponsors
OPTIONAL MATCH (b)-[:SENT]->(i:Invitation)
WITH b, protected, seconded, actor_admin, sponsors,
     sum(CASE WHEN i.status = 'pending' THEN 1 ELSE 0 END) AS invitations
OPTIONAL MATCH (b)-[:OFFERS]->(o:Offer)
RETURN b {.id, .email, .name, .status, .departed} AS member, protected, seconded,
       actor_admin, sponsors, invitations,
       sum(CASE WHEN o.status IN ['active', 'paused'] THEN 1 ELSE 0 END) AS offers

// graph.bans.CASCADE
MATCH (b:Member {id: $member_id})
WHERE b.status = 'banned'

CALL {
  WITH b
  UNWIND $sources AS source_id
  MATCH (s:Member {id: source_id})
  OPTIONAL MATCH (s)-[:SPONSORED]->(y:Member)
  RETURN count(DISTINCT CASE WHEN s <> b AND s.status IN ['active', 'departed'] THEN s END)
           AS carrying,
         count(DISTINCT CASE WHEN y <> b AND y.status IN ['active', 'departed']
                             AND NOT (coalesce(y.founder, false) OR y.reinstated_at IS NOT NULL) THEN y END) AS reached
}
CALL {
  WITH b
  UNWIND $suspend AS row
  MATCH (s:Member {id: row.id})
  OPTIONAL MATCH (p:Member)-[:SPONSORED]->(s)
  WITH row, s, sum(CASE WHEN p.status IN ['active', 'departed'] OR p = b THEN 1 ELSE 0 END)
               AS sponsors
  RETURN sum(CASE WHEN sponsors = row.sponsors THEN 0 ELSE 1 END) AS gained,
         collect(s) AS suspended
}
CALL {
  WITH b
  UNWIND $anchors AS anchor_id
  MATCH (a:Member {id: anchor_id})
  WITH a WHERE a.status IN ['active', 'departed']
  RETURN count(a) AS anchoring
}
WITH b, carrying, reached, gained, suspended, anchoring
WHERE carrying = $candidate_count AND reached = $candidate_count AND gained = 0
  AND anchoring = size($anchors)

MATCH (ban:Ban {id: $ban_id})-[:AGAINST]->(b)
WHERE ban.status = 'in_force'

FOREACH (s IN suspended |
  SET s.status = 'suspended', s.sanctioned_at = $now
  CREATE (:AuditEntry {at: $now, action: 'suspend', actor_id: $actor_id, target_id: s.id,
                       ban_id: $ban_id, reason: $reason})
  CREATE (s)<-[:UNREAD]-(:Notification {id: randomUUID(), kind: 'suspended', at: $now})
)

WITH b, ban, suspended
OPTIONAL MATCH (ban)-[:STRUCK]->(p:Member)
RETURN b {.id, .email, .name} AS member,
       [s IN suspended | {id: s.id, email: s.email, name: s.name}] AS suspended,
       collect(CASE WHEN p IS NOT NULL THEN p {.id, .email, .name} END) AS struck

// graph.bans.CHAIN_WALK
UNWIND $frontier AS member_id
MATCH (f:Member {id: member_id})
WITH collect(f) AS level0
CALL {
  WITH level0
  UNWIND level0 AS x
  MATCH (x)-[:SPONSORED]->(y)
  WHERE y.status IN ['active', 'departed'] AND NOT (coalesce(y.founder, false) OR y.reinstated_at IS NOT NULL)
  RETURN collect(DISTINCT y) AS level1
}
CALL {
  WITH level1
  UNWIND level1 AS x
  MATCH (x)-[:SPONSORED]->(y)
  WHERE y.status IN ['active', 'departed'] AND NOT (coalesce(y.founder, false) OR y.reinstated_at IS NOT NULL)
  RETURN collect(DISTINCT y) AS level2
}
CALL {
  WITH level2
  UNWIND level2 AS x
  MATCH (x)-[:SPONSORED]->(y)
  WHERE y.status IN ['active', 'departed'] AND NOT (coalesce(y.founder, false) OR y.reinstated_at IS NOT NULL)
  RETURN collect(DISTINCT y) AS level3
}
CALL {
  WITH level3
  UNWIND level3 AS x
  MATCH (x)-[:SPONSORED]->(y)
  WHERE y.status IN ['active', 'departed'] AND NOT (coalesce(y.founder, false) OR y.reinstated_at IS NOT NULL)
  RETURN collect(DISTINCT y) AS level4
}
CALL {
  WITH level4
  UNWIND level4 AS x
  MATCH (x)-[:SPONSORED]->(y)
  WHERE y.status IN ['active', 'departed'] AND NOT (coalesce(y.founder, false) OR y.reinstated_at IS NOT NULL)
  RETURN collect(DISTINCT y) AS level5
}
CALL {
  WITH level5
  UNWIND level5 AS x
  MATCH (x)-[:SPONSORED]->(y)
  WHERE y.status IN ['active', 'departed'] AND NOT (coalesce(y.founder, false) OR y.reinstated_at IS NOT NULL)
  RETURN collect(DISTINCT y) AS level6
}
CALL {
  WITH level6
  UNWIND level6 AS x
  MATCH (x)-[:SPONSORED]->(y)
  WHERE y.status IN ['active', 'departed'] AND NOT (coalesce(y.founder, false) OR y.reinstated_at IS NOT NULL)
  RETURN collect(DISTINCT y) AS level7
}
CALL {
  WITH level7
  UNWIND level7 AS x
  MATCH (x)-[:SPONSORED]->(y)
  WHERE y.status IN ['active', 'departed'] AND NOT (coalesce(y.founder, false) OR y.reinstated_at IS NOT NULL)
  RETURN collect(DISTINCT y) AS level8
}
UNWIND [level1, level2, level3, level4, level5, level6, level7, level8] AS level
UNWIND level AS d
WITH DISTINCT d
MATCH (p)-[:SPONSORED]->(d)
WHERE p.status IN ['active', 'departed'] OR p.id = $root
RETURN collect(d.id) AS members, collect(p.id) AS sponsors

// graph.bans.MEMBER_EXISTS
MATCH (m:Member {id: $member_id}) RETURN m.id AS id

// graph.bans.OPEN_REQUESTS
MATCH (asker:Member)-[:REQUESTED]->(request:BanRequest)-[:AGAINST]->(b:Member {id: $member_id})
WHERE request.status = 'open' AND request.created_at > $now - $request_ttl_s
  AND (coalesce(asker.admin, false) AND asker.status = 'active')
RETURN b.id AS member_id, b.name AS member_name, asker.id AS actor_id,
       asker.name AS actor_name, request.reason AS reason, request.created_at AS created_at
ORDER BY created_at

// graph.bans.PEOPLE
UNWIND $ids AS member_id
MATCH (m:Member {id: member_id})
RETURN m.id AS id, m.email AS email, m.name AS name

// graph.bans.REINSTATE
MATCH (a:Member {id: $actor_id})
MATCH (m:Member {id: $member_id})
WHERE (coalesce(a.admin, false) AND a.status = 'active') AND m.status = 'suspended'
  AND NOT coalesce(m.departed, false)

CALL {
  WITH m
  UNWIND $sources AS source_id
  MATCH (s:Member {id: source_id})
  OPTIONAL MATCH (s)-[:SPONSORED]->(y:Member)
  RETURN collect(DISTINCT CASE WHEN s.status = 'suspended' THEN s END) AS reactivated,
         count(DISTINCT CASE WHEN y <> m AND y.status = 'suspended' THEN y END) AS reached
}

WITH a, m, reactivated, reached
WHERE size(reactivated) = size($sources) AND reached = size($sources) - 1
SET m.reinstated_at = $now, m.reinstated_by = a.id

FOREACH (s IN reactivated |
  SET s.status = CASE WHEN coalesce(s.departed, false) THEN 'departed' ELSE 'active' END,
      s.sanctioned_at = null
  CREATE (:AuditEntry {at: $now, action: 'reactivate', actor_id: a.id,
                       target_id: s.id, reason: $reason})
  CREATE (s)<-[:UNREAD]-(:Notification {id: randomUUID(), kind: 'reactivated', at: $now})
)

RETURN size(reactivated) AS reactivated

// graph.bans.REQUEST_BAN
MATCH (b:Member {id: $member_id})
SET b._lock = true REMOVE b._lock
WITH b
MATCH (actor:Member {id: $actor_id})
WHERE b.status <> 'banned' AND NOT coalesce(b.departed, false) AND (coalesce(b.founder, false) OR coalesce(b.admin, false))
  AND (coalesce(actor.admin, false) AND actor.status = 'active') AND actor.id <> b.id

CALL {
  WITH b
  OPTIONAL MATCH (asker:Member)-[:REQUESTED]->(request:BanRequest)-[:AGAINST]->(b)
  WHERE request.status = 'open' AND request.created_at > $now - $request_ttl_s
  WITH request, asker, (coalesce(asker.admin, false) AND asker.status = 'active') AS by_admin
  RETURN collect(request) AS requests,
         sum(CASE WHEN by_admin AND asker.id <> $actor_id THEN 1 ELSE 0 END) AS seconded,
         sum(CASE WHEN by_admin AND asker.id = $actor_id THEN 1 ELSE 0 END) AS own
}

FOREACH (go IN CASE WHEN seconded = 0 AND own = 0 THEN [true] ELSE [] END |
  CREATE (actor)-[:REQUESTED]->(:BanRequest {id: $request_id, reason: $reason,
                                             created_at: $now, status: 'open'})-[:AGAINST]->(b)
  CREATE (:AuditEntry {at: $now, action: 'ban_request', actor_id: $actor_id,
                       target_id: b.id, reason: $reason}))
RETURN CASE WHEN seconded > 0 THEN 'seconded' WHEN own > 0 THEN 'pending'
            ELSE 'requested' END AS outcome

// graph.bans.STANDING
MATCH (m:Member {id: $member_id})
OPTIONAL MATCH (ban:Ban)-[:STRUCK]->(m)
WHERE ban.status = 'in_force'
OPTIONAL MATCH (ban)-[:AGAINST]->(b:Member)
WITH m, ban, b ORDER BY ban.created_at
RETURN coalesce(m.invites_suspended, false) AS invites_suspended,
       collect(CASE WHEN ban IS NOT NULL THEN {sponsee: b.name, reason: ban.reason,
                                               at: ban.created_at} END) AS strikes

// graph.bans.SUSPENDED
MATCH (m:Member {id: $member_id})
WHERE m.status = 'suspended' AND NOT coalesce(m.departed, false)
RETURN m.id AS id

// graph.bans.SUSPENDED_WALK
UNWIND $frontier AS member_id
MATCH (f:Member {id: member_id})
WITH collect(f) AS level0
CALL {
  WITH level0
  UNWIND level0 AS x
  MATCH (x)-[:SPONSORED]->(y)
  WHERE y.status = 'suspended'
  RETURN collect(DISTINCT y) AS level1
}
CALL {
  WITH level1
  UNWIND level1 AS x
  MATCH (x)-[:SPONSORED]->(y)
  WHERE y.status = 'suspended'
  RETURN collect(DISTINCT y) AS level2
}
CALL {
  WITH level2
  UNWIND level2 AS x
  MATCH (x)-[:SPONSORED]->(y)
  WHERE y.status = 'suspended'
  RETURN collect(DISTINCT y) AS level3
}
CALL {
  WITH level3
  UNWIND level3 AS x
  MATCH (x)-[:SPONSORED]->(y)
  WHERE y.status = 'suspended'
  RETURN collect(DISTINCT y) AS level4
}
CALL {
  WITH level4
  UNWIND level4 AS x
  MATCH (x)-[:SPONSORED]->(y)
  WHERE y.status = 'suspended'
  RETURN collect(DISTINCT y) AS level5
}
CALL {
  WITH level5
  UNWIND level5 AS x
  MATCH (x)-[:SPONSORED]->(y)
  WHERE y.status = 'suspended'
  RETURN collect(DISTINCT y) AS level6
}
CALL {
  WITH level6
  UNWIND level6 AS x
  MATCH (x)-[:SPONSORED]->(y)
  WHERE y.status = 'suspended'
  RETURN collect(DISTINCT y) AS level7
}
CALL {
  WITH level7
  UNWIND level7 AS x
  MATCH (x)-[:SPONSORED]->(y)
  WHERE y.status = 'suspended'
  RETURN collect(DISTINCT y) AS level8
}
UNWIND [level1, level2, level3, level4, level5, level6, level7, level8] AS level
UNWIND level AS d
WITH DISTINCT d
MATCH (p)-[:SPONSORED]->(d)

RETURN collect(d.id) AS members, collect(p.id) AS sponsors

// graph.bans.UNBAN
MATCH (ban:Ban {id: $ban_id})-[:AGAINST]->(b:Member {id: $member_id})
SET ban._lock = true, b._lock = true REMOVE ban._lock, b._lock
WITH ban, b
WHERE ban.status = 'in_force' AND b.status = 'banned'
OPTIONAL MATCH (p:Member)-[:SPONSORED]->(b)
WITH ban, b, sum(CASE WHEN p.status IN ['active', 'departed'] THEN 1 ELSE 0 END) > 0
             OR (coalesce(b.founder, false) OR b.reinstated_at IS NOT NULL) AS anchored
WHERE anchored = $anchored
CALL {
  WITH b
  UNWIND $sources AS source_id
  MATCH (s:Member {id: source_id})
  OPTIONAL MATCH (s)-[:SPONSORED]->(y:Member)
  RETURN collect(DISTINCT CASE WHEN s <> b AND s.status = 'suspended' THEN s END)
           AS reactivated,
         count(DISTINCT CASE WHEN y <> b AND y.status = 'suspended' THEN y END) AS reached
}
WITH ban, b, reactivated, reached
WHERE size(reactivated) = $reactivating AND reached = $reactivating
SET b.status = $restored_status, b.sanctioned_at = null,
    ban.status = 'lifted', ban.lifted_at = $now, ban.lifted_by = $actor_id,
    ban.lift_reason = $reason
CREATE (:AuditEntry {at: $now, action: 'unban', actor_id: $actor_id, target_id: b.id,
                     ban_id: ban.id, reason: $reason})
CREATE (b)<-[:UNREAD]-(:Notification {id: randomUUID(), kind: 'reactivated', at: $now})

FOREACH (s IN reactivated |
  SET s.status = CASE WHEN coalesce(s.departed, false) THEN 'departed' ELSE 'active' END,
      s.sanctioned_at = null
  CREATE (:AuditEntry {at: $now, action: 'reactivate', actor_id: $actor_id, target_id: s.id,
                       ban_id: ban.id, reason: $reason})
  CREATE (s)<-[:UNREAD]-(:Notification {id: randomUUID(), kind: 'reactivated', at: $now})
)
WITH ban, b, reactivated
OPTIONAL MATCH (b)-[:APPEALED]->(waiting:Appeal)
WHERE waiting.status = 'open'
WITH ban, b, reactivated, collect(waiting) AS appeals
FOREACH (appeal IN appeals |
  SET appeal.status = 'granted', appeal.decided_at = $now, appeal.decided_by = $actor_id,
      appeal.note = $reason
  CREATE (:AuditEntry {at: $now, action: 'appeal_granted', actor_id: $actor_id,
                       target_id: b.id, reason: $reason})
  CREATE (b)<-[:UNREAD]-(:Notification {id: randomUUID(), kind: 'appeal_granted', at: $now})
)
WITH ban, b, reactivated
OPTIONAL MATCH (ban)-[:STRUCK]->(p:Member)
OPTIONAL MATCH (p)<-[:STRUCK]-(other:Ban)
WITH ban, b, reactivated, p,
     sum(CASE WHEN other.status = 'in_force' THEN 1 ELSE 0 END) AS strikes
WITH ban, b, reactivated,
     collect(CASE WHEN p IS NOT NULL THEN {member: p, strikes: strikes} END) AS withdrawn
FOREACH (row IN withdrawn | FOREACH (p IN [row.member] |
  SET p.invites_suspended = row.strikes >= $strike_threshold
  CREATE (:AuditEntry {at: $now, action: 'strike_withdrawn', actor_id: $actor_id,
                       target_id: p.id, ban_id: ban.id, reason: $reason})))
RETURN b.status AS status,
       [s IN reactivated | {id: s.id, email: s.email, name: s.name}] AS reactivated,
       [row IN withdrawn | {id: row.member.id, email: row.member.email, name: row.member.name}]
       AS withdrawn

// graph.bans.UNBAN_TARGET
MATCH (ban:Ban)-[:AGAINST]->(b:Member {id: $member_id})
WHERE ban.status = 'in_force'
OPTIONAL MATCH (p:Member)-[:SPONSORED]->(b)
WITH ban, b, sum(CASE WHEN p.status IN ['active', 'departed'] THEN 1 ELSE 0 END) AS carriers
RETURN b {.id, .email, .name, .status} AS member, ban.id AS ban_id,
       ban.previous_status AS previous_status,
       carriers > 0 OR (coalesce(b.founder, false) OR b.reinstated_at IS NOT NULL) AS anchored

// graph.bans.VOUCHERS
MATCH (m:Member {id: $member_id})-[:SPONSORED*1..2]-(k:Member)
WITH DISTINCT m, k WHERE k.status = 'active' AND k <> m
RETURN k.id AS id, k.name AS name
ORDER BY name
LIMIT 50

// graph.bans.VOUCH_FOR_SUSPENDED
MATCH (v:Member {id: $voucher_id})
MATCH (m:Member {id: $member_id})
WHERE (v.status = 'active' AND NOT coalesce(v.invites_suspended, false)) AND m.status = 'suspended'
  AND NOT coalesce(m.departed, false) AND NOT (v)-[:SPONSORED]-(m)

CALL {
  WITH m
  UNWIND $sources AS source_id
  MATCH (s:Member {id: source_id})
  OPTIONAL MATCH (s)-[:SPONSORED]->(y:Member)
  RETURN collect(DISTINCT CASE WHEN s.status = 'suspended' THEN s END) AS reactivated,
         count(DISTINCT CASE WHEN y <> m AND y.status = 'suspended' THEN y END) AS reached
}

WITH v, m, reactivated, reached
WHERE size(reactivated) = size($sources) AND reached = size($sources) - 1
CREATE (v)-[:SPONSORED {via: 'vouch', at: $now}]->(m)

FOREACH (s IN reactivated |
  SET s.status = CASE WHEN coalesce(s.departed, false) THEN 'departed' ELSE 'active' END,
      s.sanctioned_at = null
  CREATE (:AuditEntry {at: $now, action: 'reactivate', actor_id: v.id,
                       target_id: s.id, reason: $reason})
  CREATE (s)<-[:UNREAD]-(:Notification {id: randomUUID(), kind: 'reactivated', at: $now})
)

RETURN size(reactivated) AS reactivated

// graph.bans.VOUCH_POSSIBLE
MATCH (v:Member {id: $voucher_id})
MATCH (m:Member {id: $member_id})
RETURN (v.status = 'active' AND NOT coalesce(v.invites_suspended, false)) AND m.status = 'suspended'
       AND NOT coalesce(m.departed, false)
       AND size([(v)-[:SPONSORED]-(m) | v]) = 0 AS possible

// graph.blocks.BLOCK[3]
MATCH (me:Member {id: $member_id})
WHERE me.status = 'active'
WITH me, [{n: me, via: null}] AS frontier, 0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

OPTIONAL MATCH (target:Member {id: $profile_id})
WITH me, target, [c IN circle WHERE c.n = target | c.degree][0] AS degree

CALL {
  WITH me, target
  OPTIONAL MATCH (target)-[:ASKED]->(asked:Conversation)-[:ABOUT]->(:Offer)<-[:OFFERS]-(me)
  RETURN count(asked) > 0 AS wrote_to_me
}

CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}

WITH me, target, degree, blocked, wrote_to_me
WHERE target IS NOT NULL
  AND (me = target OR degree IS NOT NULL
       OR (me.status = 'active' AND target.status = 'active' AND wrote_to_me))

WITH me, target
WHERE me <> target
SET me._lock = true REMOVE me._lock
WITH me, target
MERGE (me)-[b:BLOCKED]->(target)
ON CREATE SET b.at = $now
RETURN target.name AS name

// graph.blocks.BLOCK[6]
MATCH (me:Member {id: $member_id})
WHERE me.status = 'active'
WITH me, [{n: me, via: null}] AS frontier, 0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

OPTIONAL MATCH (target:Member {id: $profile_id})
WITH me, target, [c IN circle WHERE c.n = target | c.degree][0] AS degree

CALL {
  WITH me, target
  OPTIONAL MATCH (target)-[:ASKED]->(asked:Conversation)-[:ABOUT]->(:Offer)<-[:OFFERS]-(me)
  RETURN count(asked) > 0 AS wrote_to_me
}

CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}

WITH me, target, degree, blocked, wrote_to_me
WHERE target IS NOT NULL
  AND (me = target OR degree IS NOT NULL
       OR (me.status = 'active' AND target.status = 'active' AND wrote_to_me))

WITH me, target
WHERE me <> target
SET me._lock = true REMOVE me._lock
WITH me, target
MERGE (me)-[b:BLOCKED]->(target)
ON CREATE SET b.at = $now
RETURN target.name AS name

// graph.blocks.MY_BLOCKS
MATCH (:Member {id: $member_id})-[b:BLOCKED]->(them:Member)
WITH them, min(b.at) AS at
RETURN them {.id, .name} AS member, at
ORDER BY at DESC, member.id

// graph.blocks.UNBLOCK
MATCH (:Member {id: $member_id})-[b:BLOCKED]->(them:Member {id: $blocked_id})
DELETE b
RETURN DISTINCT them.name AS name

// graph.charter.CHARTER_IN_FORCE
MATCH (c:Charter)
RETURN c.version AS version, c.text AS text, c.published_at AS published_at, 0 AS accepted
ORDER BY version DESC
LIMIT 1

// graph.charter.CHARTER_VERSIONS
MATCH (c:Charter)
OPTIONAL MATCH (m:Member {charter_version: c.version})
WITH c, count(m) AS accepted
RETURN c.version AS version, c.text AS text, c.published_at AS published_at, accepted
ORDER BY version DESC

// graph.charter.PUBLISH_CHARTER
OPTIONAL MATCH (c:Charter)
WITH coalesce(max(c.version), 0) + 1 AS version
CREATE (:Charter {version: version, text: $text, published_at: $now, author_id: $actor_id})
CREATE (:AuditEntry {at: $now, action: 'charter', actor_id: $actor_id, target_id: null,
                     reason: 'version ' + toString(version)})
RETURN version

// graph.conversations.CONVERSATION
MATCH (me:Member {id: $member_id})
MATCH (asker:Member)-[:ASKED]->(c:Conversation {id: $conversation_id})-[:ABOUT]->(o:Offer)
      <-[:OFFERS]-(owner:Member)
WHERE me = asker OR me = owner

CALL {
  WITH asker, owner
  OPTIONAL MATCH block = (asker)-[:BLOCKED]-(owner)
  RETURN count(block) > 0 AS blocked
}

CALL {
  WITH c
  MATCH (c)-[:HAS]->(m:Message)<-[:WROTE]-(author:Member)
  RETURN collect({id: m.id, body: m.body, at: m.at, author: author {.id, .name}}) AS messages
}
RETURN c.id AS id, o {.id, .title} AS offer, asker {.id, .name, .status} AS asker,
       owner {.id, .name, .status} AS owner, messages, blocked

// graph.conversations.MY_CONVERSATIONS[3]
MATCH (me:Member {id: $member_id})
WITH me, CASE WHEN me.status = 'active' THEN [{n: me, via: null}] ELSE [] END AS frontier,
     0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

CALL {
  WITH me
  MATCH (me)-[:ASKED]->(c:Conversation)
  RETURN collect(c) AS asked
}
CALL {
  WITH me
  MATCH (me)-[:OFFERS]->(:Offer)<-[:ABOUT]-(c:Conversation)
  RETURN collect(c) AS received
}
UNWIND asked + received AS c
MATCH (asker:Member)-[:ASKED]->(c)-[:ABOUT]->(o:Offer)<-[:OFFERS]-(owner:Member)
WITH me, c, o, asker, owner,
     [x IN circle WHERE x.n = CASE WHEN me = asker THEN owner ELSE asker END][0] AS reach
WITH me, c, o, asker, owner, reach.degree AS degree, reach.via AS via
MATCH (c)-[:HAS]->(m:Message)
OPTIONAL MATCH (m)<-[:ABOUT]-(unread:Notification)-[:UNREAD]->(me)
WITH c, o, asker, owner, degree, via, collect(m) AS messages, count(unread) AS unread
WITH c, o, asker, owner, degree, via, unread,
     reduce(last = head(messages), m IN messages |
            CASE WHEN m.at > last.at THEN m ELSE last END) AS last
RETURN c.id AS id, c.updated_at AS updated_at, o {.id, .title} AS offer,
       asker {.id, .name} AS asker, owner {.id, .name} AS owner,
       last.body AS last_body, unread, degree,
       CASE WHEN via IS NULL THEN null ELSE via {.id, .name} END AS via
ORDER BY updated_at DESC, id

// graph.conversations.MY_CONVERSATIONS[6]
MATCH (me:Member {id: $member_id})
WITH me, CASE WHEN me.status = 'active' THEN [{n: me, via: null}] ELSE [] END AS frontier,
     0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

CALL {
  WITH me
  MATCH (me)-[:ASKED]->(c:Conversation)
  RETURN collect(c) AS asked
}
CALL {
  WITH me
  MATCH (me)-[:OFFERS]->(:Offer)<-[:ABOUT]-(c:Conversation)
  RETURN collect(c) AS received
}
UNWIND asked + received AS c
MATCH (asker:Member)-[:ASKED]->(c)-[:ABOUT]->(o:Offer)<-[:OFFERS]-(owner:Member)
WITH me, c, o, asker, owner,
     [x IN circle WHERE x.n = CASE WHEN me = asker THEN owner ELSE asker END][0] AS reach
WITH me, c, o, asker, owner, reach.degree AS degree, reach.via AS via
MATCH (c)-[:HAS]->(m:Message)
OPTIONAL MATCH (m)<-[:ABOUT]-(unread:Notification)-[:UNREAD]->(me)
WITH c, o, asker, owner, degree, via, collect(m) AS messages, count(unread) AS unread
WITH c, o, asker, owner, degree, via, unread,
     reduce(last = head(messages), m IN messages |
            CASE WHEN m.at > last.at THEN m ELSE last END) AS last
RETURN c.id AS id, c.updated_at AS updated_at, o {.id, .title} AS offer,
       asker {.id, .name} AS asker, owner {.id, .name} AS owner,
       last.body AS last_body, unread, degree,
       CASE WHEN via IS NULL THEN null ELSE via {.id, .name} END AS via
ORDER BY updated_at DESC, id

// graph.conversations.PATH_TO_OTHER[3]
MATCH (me:Member {id: $member_id})
MATCH (asker:Member)-[:ASKED]->(:Conversation {id: $conversation_id})-[:ABOUT]->(:Offer)
      <-[:OFFERS]-(owner:Member)
WHERE me = asker OR me = owner
WITH me, CASE WHEN me = asker THEN owner ELSE asker END AS target

WITH me, target, null AS hit, 0 AS depth,
     CASE WHEN me.status = 'active' AND target.status = 'active' AND me <> target
          THEN [{n: target, walk: [target]}] ELSE [] END AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

WITH me, target, hit, me = target AND me.status = 'active' AS itself
WITH me, target,
     CASE WHEN itself THEN 0 ELSE hit.degree END AS degree,
     CASE WHEN itself THEN [me] WHEN hit IS NULL THEN null
          ELSE [me] + reverse(hit.walk) END AS path,
     CASE WHEN itself THEN 1 ELSE coalesce(hit.strength, 0) END AS strength

CALL {
  WITH path
  UNWIND range(1, size(coalesce(path, [])) - 1) AS i
  WITH i, path[i - 1] AS before, path[i] AS step
  OPTIONAL MATCH (before)-[forward:SPONSORED]->(step)
  OPTIONAL MATCH (step)-[backward:SPONSORED]->(before)
  RETURN collect({i: i, via: coalesce(forward.via, backward.via),
                  forward: forward IS NOT NULL}) AS links
}

RETURN degree, strength, [n IN path | n {.id, .name}] AS path, links

// graph.conversations.PATH_TO_OTHER[6]
MATCH (me:Member {id: $member_id})
MATCH (asker:Member)-[:ASKED]->(:Conversation {id: $conversation_id})-[:ABOUT]->(:Offer)
      <-[:OFFERS]-(owner:Member)
WHERE me = asker OR me = owner
WITH me, CASE WHEN me = asker THEN owner ELSE asker END AS target

WITH me, target, null AS hit, 0 AS depth,
     CASE WHEN me.status = 'active' AND target.status = 'active' AND me <> target
          THEN [{n: target, walk: [target]}] ELSE [] END AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

WITH me, target, hit, me = target AND me.status = 'active' AS itself
WITH me, target,
     CASE WHEN itself THEN 0 ELSE hit.degree END AS degree,
     CASE WHEN itself THEN [me] WHEN hit IS NULL THEN null
          ELSE [me] + reverse(hit.walk) END AS path,
     CASE WHEN itself THEN 1 ELSE coalesce(hit.strength, 0) END AS strength

CALL {
  WITH path
  UNWIND range(1, size(coalesce(path, [])) - 1) AS i
  WITH i, path[i - 1] AS before, path[i] AS step
  OPTIONAL MATCH (before)-[forward:SPONSORED]->(step)
  OPTIONAL MATCH (step)-[backward:SPONSORED]->(before)
  RETURN collect({i: i, via: coalesce(forward.via, backward.via),
                  forward: forward IS NOT NULL}) AS links
}

RETURN degree, strength, [n IN path | n {.id, .name}] AS path, links

// graph.conversations.REPLY
MATCH (me:Member {id: $member_id})
MATCH (asker:Member)-[:ASKED]->(c:Conversation {id: $conversation_id})-[:ABOUT]->(o:Offer)
      <-[:OFFERS]-(owner:Member)
WHERE (me = asker OR me = owner) AND asker.status = 'active' AND owner.status = 'active'

CALL {
  WITH asker, owner
  OPTIONAL MATCH block = (asker)-[:BLOCKED]-(owner)
  RETURN count(block) > 0 AS blocked
}

WITH me, asker, c, o, owner, blocked
WHERE NOT blocked
SET me._lock = true REMOVE me._lock
WITH me, c, o, CASE WHEN me = owner THEN asker ELSE owner END AS other

OPTIONAL MATCH (earlier:Message {id: $message_id})
WITH me, c, o, other, earlier IS NULL AS is_new
FOREACH (_ IN CASE WHEN is_new THEN [1] ELSE [] END |
  SET c.updated_at = $now
  CREATE (c)-[:HAS]->(message:Message {id: $message_id, body: $body, at: $now})<-[:WROTE]-(me)
  CREATE (other)<-[:UNREAD]-(:Notification {id: randomUUID(), kind: 'message', at: $now})-[:ABOUT]->(message)
)

RETURN other {.name, .email, .locale} AS other, o.title AS title, is_new,
       NOT 'message' IN coalesce(other.mail_off, []) AS mailed

// graph.conversations.REQUESTS
MATCH (:Member {id: $member_id})-[:OFFERS]->(:Offer {id: $offer_id})<-[:ABOUT]-(c:Conversation)
      <-[:ASKED]-(asker:Member)
RETURN c.id AS id, c.updated_at AS updated_at, asker {.id, .name} AS asker
ORDER BY updated_at DESC, id

// graph.conversations.START[3]
MATCH (me:Member {id: $member_id})
WITH me, CASE WHEN me.status = 'active' THEN [{n: me, via: null}] ELSE [] END AS frontier,
     0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

OPTIONAL MATCH (target:Member)-[:OFFERS]->(o:Offer {id: $offer_id})
WITH me, target, o, [c IN circle WHERE c.n = target | c.degree][0] AS degree
CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}
WITH me, target, o, degree, blocked
WHERE me = target
   OR (me.status = 'active' AND target.status = 'active' AND o.status = 'active' AND NOT o.hidden
       AND (o.visibility = 0 OR o.visibility >= degree) AND NOT blocked)

WITH me, target, o
WHERE me <> target
SET me._lock = true REMOVE me._lock
WITH me, target, o
MERGE (me)-[:ASKED]->(c:Conversation)-[:ABOUT]->(o)
ON CREATE SET c.id = $conversation_id, c.created_at = $now
WITH me, c, o, target AS other

OPTIONAL MATCH (earlier:Message {id: $message_id})
WITH me, c, o, other, earlier IS NULL AS is_new
FOREACH (_ IN CASE WHEN is_new THEN [1] ELSE [] END |
  SET c.updated_at = $now
  CREATE (c)-[:HAS]->(message:Message {id: $message_id, body: $body, at: $now})<-[:WROTE]-(me)
  CREATE (other)<-[:UNREAD]-(:Notification {id: randomUUID(), kind: 'message', at: $now})-[:ABOUT]->(message)
)

RETURN c.id AS id, c.id = $conversation_id AS started, is_new, o.title AS title,
       coalesce(o.kind, 'offer') = 'request' AS request,
       other {.name, .email, .locale} AS owner, NOT 'message' IN coalesce(other.mail_off, []) AS mailed

// graph.conversations.START[6]
MATCH (me:Member {id: $member_id})
WITH me, CASE WHEN me.status = 'active' THEN [{n: me, via: null}] ELSE [] END AS frontier,
     0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

OPTIONAL MATCH (target:Member)-[:OFFERS]->(o:Offer {id: $offer_id})
WITH me, target, o, [c IN circle WHERE c.n = target | c.degree][0] AS degree
CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}
WITH me, target, o, degree, blocked
WHERE me = target
   OR (me.status = 'active' AND target.status = 'active' AND o.status = 'active' AND NOT o.hidden
       AND (o.visibility = 0 OR o.visibility >= degree) AND NOT blocked)

WITH me, target, o
WHERE me <> target
SET me._lock = true REMOVE me._lock
WITH me, target, o
MERGE (me)-[:ASKED]->(c:Conversation)-[:ABOUT]->(o)
ON CREATE SET c.id = $conversation_id, c.created_at = $now
WITH me, c, o, target AS other

OPTIONAL MATCH (earlier:Message {id: $message_id})
WITH me, c, o, other, earlier IS NULL AS is_new
FOREACH (_ IN CASE WHEN is_new THEN [1] ELSE [] END |
  SET c.updated_at = $now
  CREATE (c)-[:HAS]->(message:Message {id: $message_id, body: $body, at: $now})<-[:WROTE]-(me)
  CREATE (other)<-[:UNREAD]-(:Notification {id: randomUUID(), kind: 'message', at: $now})-[:ABOUT]->(message)
)

RETURN c.id AS id, c.id = $conversation_id AS started, is_new, o.title AS title,
       coalesce(o.kind, 'offer') = 'request' AS request,
       other {.name, .email, .locale} AS owner, NOT 'message' IN coalesce(other.mail_off, []) AS mailed

// graph.departure.EXPORT
MATCH (m:Member {id: $member_id})
OPTIONAL MATCH (inviter:Member)-[:SENT]->(received:Invitation)-[:REDEEMED_BY]->(m)
WITH m, head(collect(CASE WHEN received IS NOT NULL THEN
     {name: inviter.name, email: received.email, note: received.note,
      created_at: received.created_at} END)) AS invited_by
OPTIONAL MATCH (p:Member)-[sponsored:SPONSORED]->(m)
WITH m, invited_by, collect(CASE WHEN p IS NOT NULL THEN {name: p.name, via: sponsored.via,
                                                          at: sponsored.at} END) AS sponsors
OPTIONAL MATCH (m)-[sponsoring:SPONSORED]->(s:Member)
WITH m, invited_by, sponsors,
     collect(CASE WHEN s IS NOT NULL THEN {name: s.name, via: sponsoring.via,
                                           at: sponsoring.at} END) AS sponsees
OPTIONAL MATCH (m)-[:SENT]->(i:Invitation)
WITH m, invited_by, sponsors, sponsees,
     collect(CASE WHEN i IS NOT NULL THEN {email: i.email, note: i.note, status: i.status,
                                           created_at: i.created_at} END) AS invitations
OPTIONAL MATCH (m)-[:OFFERS]->(o:Offer)
WITH m, invited_by, sponsors, sponsees, invitations,
     collect(CASE WHEN o IS NOT NULL THEN {id: o.id, title: o.title,
                                           description: o.description,
                                           category: o.category, status: o.status,
                                           created_at: o.created_at,
                                           photos: coalesce(o.photos, [])} END) AS offers
OPTIONAL MATCH (m)-[:WROTE]->(message:Message)
OPTIONAL MATCH (message)<-[:HAS]-(:Conversation)-[:ABOUT]->(about:Offer)
WITH m, invited_by, sponsors, sponsees, invitations, offers,
     collect(CASE WHEN message IS NOT NULL THEN {body: message.body, at: message.at,
                                                 offer: about.title} END) AS messages
OPTIONAL MATCH (m)-[:OFFERED]->(given:Vouch)-[:FOR]->(vouched:Member)
WITH m, invited_by, sponsors, sponsees, invitations, offers, messages,
     collect(CASE WHEN given IS NOT NULL THEN {member: vouched.name, note: given.note,
                                               status: given.status,
                                               created_at: given.created_at} END)
     AS vouches_given
OPTIONAL MATCH (voucher:Member)-[:OFFERED]->(got:Vouch)-[:FOR]->(m)
WITH m, invited_by, sponsors, sponsees, invitations, offers, messages, vouches_given,
     collect(CASE WHEN got IS NOT NULL THEN {voucher: voucher.name, note: got.note,
                                             status: got.status,
                                             created_at: got.created_at} END)
     AS vouches_received
OPTIONAL MATCH (m)-[:FILED]->(r:Report)
OPTIONAL MATCH (r)-[:REPORTS]->(subject)
WITH m, invited_by, sponsors, sponsees, invitations, offers, messages, vouches_given,
     vouches_received,
     collect(CASE WHEN r IS NOT NULL THEN {kind: r.kind, reason: r.reason, text: r.text,
                                           status: r.status, created_at: r.created_at,
                                           about: coalesce(subject.title, subject.name)} END)
     AS reports_filed
OPTIONAL MATCH (m)-[:WROTE_REFERENCE]->(written:Reference)-[:REFERS_TO]->(reviewed:Member)
WITH m, invited_by, sponsors, sponsees, invitations, offers, messages, vouches_given,
     vouches_received, reports_filed,
     collect(CASE WHEN written IS NOT NULL THEN {member: reviewed.name, rating: written.rating,
                                                 text: written.text,
                                                 created_at: written.created_at} END)
     AS references_written
OPTIONAL MATCH (reviewer:Member)-[:WROTE_REFERENCE]->(got:Reference)-[:REFERS_TO]->(m)
WITH m, invited_by, sponsors, sponsees, invitations, offers, messages, vouches_given,
     vouches_received, reports_filed, references_written,
     collect(CASE WHEN got IS NOT NULL THEN {author: reviewer.name, rating: got.rating,
                                             text: got.text, created_at: got.created_at} END)
     AS references_received
OPTIONAL MATCH (m)<-[seen:UNREAD|READ]-(n:Notification)
OPTIONAL MATCH (n)-[:ABOUT]->(subject)
OPTIONAL MATCH (subject)<-[:WROTE]-(writer:Member)
WITH m, invited_by, sponsors, sponsees, invitations, offers, messages, vouches_given,
     vouches_received, reports_filed, references_written, references_received,
     collect(CASE WHEN n IS NOT NULL THEN {kind: n.kind, at: n.at, read: type(seen) = 'READ',
                                           about: coalesce(subject.name, writer.name)} END)
     AS notifications
OPTIONAL MATCH (m)-[:APPEALED]->(a:Appeal)
RETURN m {.id, .email, .name, .status, .created_at, .locale, .founder, .bio, .photo} AS member,
       invited_by, sponsors, sponsees, invitations, offers, messages, vouches_given,
       vouches_received, reports_filed, references_written, references_received,
       notifications,
       collect(CASE WHEN a IS NOT NULL THEN {kind: a.kind, text: a.text, status: a.status,
                                             created_at: a.created_at,
                                             decided_at: a.decided_at, note: a.note} END)
       AS appeals

// graph.departure.LEAVE
MATCH (m:Member {id: $member_id})
WHERE m.status IN ['active', 'pending', 'suspended'] AND NOT coalesce(m.departed, false)
OPTIONAL MATCH (p:Member)-[:SPONSORED]->(m)
WITH m, sum(CASE WHEN p.status IN ['active', 'departed'] THEN 1 ELSE 0 END) > 0
        OR (coalesce(m.founder, false) OR m.reinstated_at IS NOT NULL) AS anchored
SET m.status = CASE WHEN anchored AND m.status <> 'suspended' THEN 'departed'
                    ELSE 'suspended' END,
    m.departed = true, m.departed_at = $now, m.name = '', m.email = $tombstone,
    m.email_key = $tombstone, m.password_hash = null, m.locale = null, m.admin = false,
    m.photo = null, m.bio = null,
    m.session_version = m.session_version + 1, m.location = null
CREATE (:AuditEntry {at: $now, action: 'leave', actor_id: m.id, target_id: m.id})
WITH m
OPTIONAL MATCH (m)-[:SPONSORED]->(sponsee:Member)
WHERE sponsee.status IN ['active', 'pending', 'suspended'] AND NOT coalesce(sponsee.departed, false)
WITH m, collect(sponsee) AS sponsees
FOREACH (sponsee IN sponsees | CREATE (sponsee)<-[:UNREAD]-(:Notification {id: randomUUID(), kind: 'sponsor_left', at: $now})
)
WITH m
OPTIONAL MATCH (m)-[home:LIVES_IN]->()
WITH m, collect(home) AS homes
FOREACH (r IN homes | DELETE r)
WITH m
OPTIONAL MATCH (m)-[:SENT]->(i:Invitation)
WITH m, collect(CASE WHEN i.status = 'pending' THEN i END) AS pending
FOREACH (i IN pending | SET i.status = 'revoked', i.revoked_at = $now)
WITH m
OPTIONAL MATCH (m)-[:SENT|REDEEMED_BY]-(i:Invitation)
WITH m, collect(DISTINCT i) AS invitations
FOREACH (i IN invitations | SET i.email = '', i.email_key = null, i.note = '')
WITH m
OPTIONAL MATCH (m)-[:OFFERED|FOR]-(v:Vouch)
WITH m, collect(DISTINCT v) AS vouches
FOREACH (v IN vouches | SET v.note = '')
WITH m
OPTIONAL MATCH (m)<-[:REFERS_TO]-(about:Reference)
WITH m, collect(about) AS about
FOREACH (r IN about | SET r.text = '')
WITH m
OPTIONAL MATCH (m)-[:OFFERS]->(o:Offer)
WITH m, collect(o) + [m] AS subjects
UNWIND subjects AS subject
OPTIONAL MATCH (report:Report)-[:REPORTS]->(subject)
WITH m, collect(DISTINCT report) AS reported
OPTIONAL MATCH (m)-[:FILED]->(filed:Report)
WITH m, reported, collect(DISTINCT filed) AS filed
FOREACH (r IN reported + filed | SET r.text = '')
WITH m
OPTIONAL MATCH (m)-[:OFFERS]->(o:Offer)
OPTIONAL MATCH (o)<-[:ABOUT]-(about:Conversation)
WITH m, collect(DISTINCT o) AS offers, collect(DISTINCT about) AS conversations
OPTIONAL MATCH (m)-[:ASKED]->(asked:Conversation)
WITH m, offers, conversations, collect(DISTINCT asked) AS asked
WITH m, offers, conversations + asked AS conversations
UNWIND (CASE WHEN conversations = [] THEN [null] ELSE conversations END) AS c
OPTIONAL MATCH (c)-[:HAS]->(message:Message)
OPTIONAL MATCH (message)<-[:ABOUT]-(told:Notification)
WITH m, offers, collect(DISTINCT c) AS conversations,
     collect(DISTINCT message) + collect(DISTINCT told) AS messages
FOREACH (x IN messages | DETACH DELETE x)
FOREACH (x IN conversations | DETACH DELETE x)
FOREACH (x IN offers | DETACH DELETE x)
WITH m
OPTIONAL MATCH (m)-[:OFFERED|FOR|APPEALED]-(x)
WHERE (x:Vouch AND x.status = 'offered') OR x:Appeal
WITH m, collect(DISTINCT x) AS loose
OPTIONAL MATCH (m)<-[:UNREAD|READ]-(n:Notification)
WITH m, loose, collect(n) AS notifications
FOREACH (x IN loose + notifications | DETACH DELETE x)
RETURN m.status AS status

// graph.favourites.FAVOURITES[3]
MATCH (me:Member {id: $member_id})
WHERE me.status = 'active'
WITH me, [{n: me, via: null}] AS frontier, 0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

MATCH (me)-[:STARRED]->(o:Offer)<-[:OFFERS]-(target:Member)
WITH me, circle, o, target
WITH me, target, o, [c IN circle WHERE c.n = target | c.degree][0] AS degree
CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}
WITH me, target, o, degree, blocked
WHERE me = target
   OR (me.status = 'active' AND target.status = 'active' AND o.status = 'active' AND NOT o.hidden
       AND (o.visibility = 0 OR o.visibility >= degree) AND NOT blocked)

MATCH (me)-[star:STARRED]->(o)
RETURN o {.id, .title, .description, .category, .area, .price, .price_unit, .currency, .visibility, .status, .hidden, .created_at, .updated_at, .available_from, .available_until, .photos, kind: coalesce(o.kind, 'offer')} AS offer, target {.id, .name} AS owner, degree,
       star.at AS starred_at
ORDER BY starred_at DESC, offer.id

// graph.favourites.FAVOURITES[6]
MATCH (me:Member {id: $member_id})
WHERE me.status = 'active'
WITH me, [{n: me, via: null}] AS frontier, 0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

MATCH (me)-[:STARRED]->(o:Offer)<-[:OFFERS]-(target:Member)
WITH me, circle, o, target
WITH me, target, o, [c IN circle WHERE c.n = target | c.degree][0] AS degree
CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}
WITH me, target, o, degree, blocked
WHERE me = target
   OR (me.status = 'active' AND target.status = 'active' AND o.status = 'active' AND NOT o.hidden
       AND (o.visibility = 0 OR o.visibility >= degree) AND NOT blocked)

MATCH (me)-[star:STARRED]->(o)
RETURN o {.id, .title, .description, .category, .area, .price, .price_unit, .currency, .visibility, .status, .hidden, .created_at, .updated_at, .available_from, .available_until, .photos, kind: coalesce(o.kind, 'offer')} AS offer, target {.id, .name} AS owner, degree,
       star.at AS starred_at
ORDER BY starred_at DESC, offer.id

// graph.favourites.STAR[3]
MATCH (me:Member {id: $member_id})
WITH me, CASE WHEN me.status = 'active' THEN [{n: me, via: null}] ELSE [] END AS frontier,
     0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

OPTIONAL MATCH (target:Member)-[:OFFERS]->(o:Offer {id: $offer_id})
WITH me, target, o, [c IN circle WHERE c.n = target | c.degree][0] AS degree
CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}
WITH me, target, o, degree, blocked
WHERE me = target
   OR (me.status = 'active' AND target.status = 'active' AND o.status = 'active' AND NOT o.hidden
       AND (o.visibility = 0 OR o.visibility >= degree) AND NOT blocked)

WITH me, target, o
WHERE me <> target
SET me._lock = true REMOVE me._lock
WITH me, o
OPTIONAL MATCH (me)-[:STARRED]->(earlier:Offer)
WITH me, o, sum(CASE WHEN earlier = o THEN 1 ELSE 0 END) AS stars
FOREACH (_ IN CASE WHEN stars = 0 THEN [1] ELSE [] END |
  CREATE (me)-[:STARRED {at: $now}]->(o))
RETURN o.id AS id

// graph.favourites.STAR[6]
MATCH (me:Member {id: $member_id})
WITH me, CASE WHEN me.status = 'active' THEN [{n: me, via: null}] ELSE [] END AS frontier,
     0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

OPTIONAL MATCH (target:Member)-[:OFFERS]->(o:Offer {id: $offer_id})
WITH me, target, o, [c IN circle WHERE c.n = target | c.degree][0] AS degree
CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}
WITH me, target, o, degree, blocked
WHERE me = target
   OR (me.status = 'active' AND target.status = 'active' AND o.status = 'active' AND NOT o.hidden
       AND (o.visibility = 0 OR o.visibility >= degree) AND NOT blocked)

WITH me, target, o
WHERE me <> target
SET me._lock = true REMOVE me._lock
WITH me, o
OPTIONAL MATCH (me)-[:STARRED]->(earlier:Offer)
WITH me, o, sum(CASE WHEN earlier = o THEN 1 ELSE 0 END) AS stars
FOREACH (_ IN CASE WHEN stars = 0 THEN [1] ELSE [] END |
  CREATE (me)-[:STARRED {at: $now}]->(o))
RETURN o.id AS id

// graph.favourites.UNSTAR[3]
MATCH (me:Member {id: $member_id})
WITH me, CASE WHEN me.status = 'active' THEN [{n: me, via: null}] ELSE [] END AS frontier,
     0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

OPTIONAL MATCH (target:Member)-[:OFFERS]->(o:Offer {id: $offer_id})
WITH me, target, o, [c IN circle WHERE c.n = target | c.degree][0] AS degree
CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}
WITH me, target, o, degree, blocked
WHERE me = target
   OR (me.status = 'active' AND target.status = 'active' AND o.status = 'active' AND NOT o.hidden
       AND (o.visibility = 0 OR o.visibility >= degree) AND NOT blocked)

WITH me, o
OPTIONAL MATCH (me)-[star:STARRED]->(o)
DELETE star
RETURN o.id AS id

// graph.favourites.UNSTAR[6]
MATCH (me:Member {id: $member_id})
WITH me, CASE WHEN me.status = 'active' THEN [{n: me, via: null}] ELSE [] END AS frontier,
     0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

OPTIONAL MATCH (target:Member)-[:OFFERS]->(o:Offer {id: $offer_id})
WITH me, target, o, [c IN circle WHERE c.n = target | c.degree][0] AS degree
CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}
WITH me, target, o, degree, blocked
WHERE me = target
   OR (me.status = 'active' AND target.status = 'active' AND o.status = 'active' AND NOT o.hidden
       AND (o.visibility = 0 OR o.visibility >= degree) AND NOT blocked)

WITH me, o
OPTIONAL MATCH (me)-[star:STARRED]->(o)
DELETE star
RETURN o.id AS id

// graph.importer.EXISTING_MEMBERS
UNWIND $keys AS key
MATCH (m:Member {email_key: key})
RETURN m.email_key AS email_key

// graph.importer.IMPORT
UNWIND $members AS row
MERGE (m:Member {email_key: row.email_key})
ON CREATE SET m += row, m.status = 'active', m.admin = false, m.session_version = 1,
              m.created_at = $now, m.imported = true
WITH count(*) AS merged
UNWIND $sponsorships AS link
MATCH (a:Member {email_key: link.sponsor})
MATCH (b:Member {email_key: link.sponsee})
WHERE NOT (b)-[:SPONSORED]->(a)
MERGE (a)-[r:SPONSORED]->(b)
ON CREATE SET r.via = 'import', r.at = $now
RETURN count(r) AS sponsorships

// graph.invitations.INVITATIONS_LEFT
MATCH (s:Member {id: $sponsor_id})
OPTIONAL MATCH (s)-[:SENT]->(i:Invitation)
WITH s, sum(CASE WHEN i.status = 'redeemed' OR (i.status = 'pending' AND i.expires_at > $now)
             THEN 1 ELSE 0 END) AS used
RETURN coalesce(s.invite_quota, $default_quota) - used AS left

// graph.invitations.INVITATION_BY_TOKEN
MATCH (s:Member)-[:SENT]->(i:Invitation {token_hash: $token_hash})
RETURN i {.id, .email, .note, .status, .created_at, .expires_at} AS invitation,
       s.name AS sponsor_name, (s.status = 'active' AND NOT coalesce(s.invites_suspended, false)) AS sponsor_may_sponsor

// graph.invitations.INVITE
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
     (s.status = 'active' AND NOT coalesce(s.invites_suspended, false)) AS may_invite
WITH s, existing IS NOT NULL AS taken, used, already_invited, sent_today, quota, may_invite,
     may_invite AND existing IS NULL AND already_invited = 0 AND used < quota
     AND sent_today < $per_day AS ok
FOREACH (_ IN CASE WHEN ok THEN [1] ELSE [] END |
  CREATE (s)-[:SENT]->(:Invitation {id: $id, token_hash: $token_hash, email: $email,
                                    email_key: $email_key, note: $note, status: 'pending',
                                    created_at: $now, expires_at: $expires_at}))
RETURN ok, taken, used, quota, already_invited, may_invite, sent_today

// graph.invitations.LIST_SENT
MATCH (s:Member {id: $sponsor_id})-[:SENT]->(i:Invitation)
OPTIONAL MATCH (i)-[:REDEEMED_BY]->(m:Member)
RETURN i {.id, .email, .note, .status, .created_at, .expires_at} AS invitation,
       m.name AS member_name, m.id AS member_id
ORDER BY i.created_at DESC

// graph.invitations.REDEEM
MATCH (s:Member)-[:SENT]->(i:Invitation {token_hash: $token_hash})
SET i._lock = true REMOVE i._lock
WITH s, i
OPTIONAL MATCH (charter:Charter)
WITH s, i, coalesce(max(charter.version), 0) AS in_force
WHERE i.status = 'pending' AND i.expires_at > $now AND (s.status = 'active' AND NOT coalesce(s.invites_suspended, false))
  AND in_force = $charter_version
SET i.status = 'redeemed', i.redeemed_at = $now
CREATE (m:Member {id: $member_id, email: i.email, email_key: i.email_key, name: $name,
                  password_hash: $password_hash, status: $status, founder: false,
                  admin: false, session_version: 1, created_at: $now, confirmed: false,
                  charter_version: CASE WHEN in_force > 0 THEN in_force END,
                  charter_accepted_at: CASE WHEN in_force > 0 THEN $now END,
                  locale: $locale})
CREATE (s)-[:SPONSORED {via: 'invitation', at: $now}]->(m)
CREATE (i)-[:REDEEMED_BY]->(m)
CREATE (s)<-[:UNREAD]-(:Notification {id: randomUUID(), kind: 'invitation_accepted', at: $now})-[:ABOUT]->(m)

RETURN m.id AS id, m.status AS status

// graph.invitations.REVOKE
MATCH (s:Member {id: $sponsor_id})-[:SENT]->(i:Invitation {id: $invitation_id})
SET i._lock = true REMOVE i._lock
WITH i
WHERE i.status = 'pending'
SET i.status = 'revoked', i.revoked_at = $now
RETURN i.id AS id

// graph.invitations.SENT_BY
MATCH (:Member {id: $sponsor_id})-[:SENT]->(i:Invitation {id: $invitation_id})
RETURN i.id AS id

// graph.jobs.BEAT_JOB
MATCH (j:Job {id: $id})
WHERE j.status = 'running' AND j.runner = $runner
SET j.reached = $reached, j.beat_at = $now
RETURN j.id AS id

// graph.jobs.CLAIM_JOB
MATCH (j:Job {id: $id})
SET j._lock = true REMOVE j._lock
WITH j
WHERE j.status = 'queued' OR (j.status = 'running' AND j.beat_at < $stale_before)
SET j.status = 'running', j.runner = $runner, j.beat_at = $now
RETURN j.id AS id

// graph.jobs.CREATE_PREVIEW_JOB
MATCH (m:Member {id: $member_id})
CREATE (j:Job {id: $id, kind: 'ban_preview', status: 'queued', member_id: m.id,
               actor_id: $actor_id, reason: $reason, reached: 0, created_at: $now,
               beat_at: $now})
RETURN j.id AS id

// graph.jobs.END_JOB
MATCH (j:Job {id: $id})
WHERE j.status = 'running' AND j.runner = $runner
SET j.status = $status, j.result = $result, j.error = $error, j.beat_at = $now,
    j.ended_at = $now
RETURN j.id AS id

// graph.jobs.JOB
MATCH (j:Job {id: $id})
RETURN j {.id, .kind, .status, .member_id, .actor_id, .reason, .reached, .ban_id,
          .invitations_revoked, .offers_hidden, .result, .error, .created_at, .beat_at} AS job

// graph.jobs.STALE_JOBS
MATCH (j:Job)
WHERE j.status IN ['queued', 'running'] AND j.beat_at < $stale_before
RETURN j.id AS id

// graph.members.ADDRESSES_WITH_A_TAG
MATCH (m:Member)
WHERE m.email CONTAINS '+'
RETURN 'member' AS kind, m.id AS id, m.email AS email, m.email_key AS key
UNION ALL
MATCH (i:Invitation {status: 'pending'})
WHERE i.email CONTAINS '+'
RETURN 'invitation' AS kind, i.id AS id, i.email AS email, i.email_key AS key

// graph.members.CONFIRM_ADDRESS
MATCH (m:Member {id: $id})
SET m._lock = true REMOVE m._lock
WITH m
WHERE m.confirmed = false AND NOT coalesce(m.departed, false)
SET m.confirmed = true
RETURN m.id AS id

// graph.members.COUNT_MEMBERS
MATCH (m:Member) RETURN count(m) AS members

// graph.members.CREATE_FOUNDER
CREATE (m:Member {id: $id, email: $email, email_key: $email_key, name: $name,
                  status: 'active', founder: true, admin: $admin, session_version: 1,
                  created_at: $now})
FOREACH (_ IN CASE WHEN $admin THEN [1] ELSE [] END |
    CREATE (:AuditEntry {at: $now, action: 'grant_admin', actor_id: null, target_id: m.id,
                         reason: 'grant admin'}))
RETURN m.id AS id

// graph.members.END_ALL_SESSIONS
MATCH (m:Member {id: $id})
SET m.session_version = m.session_version + 1
RETURN m.session_version AS session_version

// graph.members.GET_MEMBER_BY_EMAIL_KEY
MATCH (m:Member {email_key: $email_key}) RETURN m {.id, .email, .name, .status, .founder, .admin, .session_version, .password_hash, .created_at, .locale, .confirmed, .hide_whole_network} AS member

// graph.members.GET_MEMBER_BY_ID
MATCH (m:Member {id: $id}) RETURN m {.id, .email, .name, .status, .founder, .admin, .session_version, .password_hash, .created_at, .locale, .confirmed, .hide_whole_network} AS member

// graph.members.GET_SIGNED_IN_MEMBER
MATCH (m:Member {id: $id})
CALL {
  WITH m
  OPTIONAL MATCH (m)<-[:UNREAD]-(n:Notification)
  WITH n LIMIT 100
  RETURN count(n) AS unread
}

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
RETURN m {.id, .email, .name, .status, .founder, .admin, .session_version, .password_hash, .created_at, .locale, .confirmed, .hide_whole_network} AS member, first_steps, unread

// graph.members.REHASH_PASSWORD
MATCH (m:Member {id: $id})
WHERE m.password_hash = $old_hash
SET m.password_hash = $new_hash
RETURN count(m) AS changed

// graph.members.REKEY
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

// graph.members.SET_BIO
MATCH (m:Member {id: $id})
WHERE m.status = 'active'
SET m.bio = $bio
RETURN m.bio AS bio

// graph.members.SET_LOCALE
MATCH (m:Member {id: $id})
SET m.locale = $locale
RETURN m.locale AS locale

// graph.members.SET_PASSWORD
MATCH (m:Member {id: $id})
WHERE m.session_version = $expected_version
SET m.password_hash = $password_hash, m.session_version = m.session_version + 1
RETURN m.session_version AS session_version

// graph.members.UNCLAIMED
UNWIND $email_keys AS key
MATCH (m:Member {email_key: key})
WHERE m.status = 'active' AND m.password_hash IS NULL
RETURN m {.id, .email, .name, .status, .founder, .admin, .session_version, .password_hash, .created_at, .locale, .confirmed, .hide_whole_network} AS member
ORDER BY m.email_key

// graph.migrations.MARK_MIGRATED
MERGE (d:Migration {name: $name})
SET d.version = $version, d.done_at = $now
RETURN d.name AS name

// graph.migrations.MIGRATION_VERSION
MATCH (d:Migration {name: $name}) RETURN d.version AS version

// graph.notifications.MAIL_OFF
MATCH (m:Member {id: $member_id})
RETURN coalesce(m.mail_off, []) AS kinds

// graph.notifications.MARK_ALL_READ
MATCH (m:Member {id: $member_id})
SET m._lock = true REMOVE m._lock
WITH m
MATCH (m)<-[unread:UNREAD]-(n:Notification)
DELETE unread
CREATE (n)-[:READ]->(m)
RETURN count(n) AS marked

// graph.notifications.MARK_CONVERSATION_READ
MATCH (m:Member {id: $member_id})
SET m._lock = true REMOVE m._lock
WITH m
MATCH (m)<-[unread:UNREAD]-(n:Notification)-[:ABOUT]->(:Message)<-[:HAS]-
      (:Conversation {id: $conversation_id})
DELETE unread
CREATE (n)-[:READ]->(m)
RETURN count(n) AS marked

// graph.notifications.MARK_READ
MATCH (n:Notification {id: $id})
SET n._lock = true REMOVE n._lock
WITH n
MATCH (n)-[unread:UNREAD]->(m:Member {id: $member_id})
DELETE unread
CREATE (n)-[:READ]->(m)
RETURN n.id AS id

// graph.notifications.ONE
MATCH (:Member {id: $member_id})<-[state:UNREAD|READ]-(n:Notification {id: $id})
WITH n, type(state) = 'UNREAD' AS unread

OPTIONAL MATCH (n)-[:ABOUT]->(x)
OPTIONAL MATCH (c:Conversation)-[:HAS]->(x)
OPTIONAL MATCH (c)-[:ABOUT]->(o:Offer)
OPTIONAL MATCH (author:Member)-[:WROTE]->(x)
OPTIONAL MATCH (x)-[:AGAINST]->(banned:Member)
WITH n, unread, x, c, o, coalesce(author, banned, x) AS who

RETURN n.kind AS kind, who.id AS member_id, c.id AS conversation_id

// graph.notifications.PAGE
MATCH (:Member {id: $member_id})<-[state:UNREAD|READ]-(n:Notification)
WITH n, type(state) = 'UNREAD' AS unread
ORDER BY n.at DESC, n.id
SKIP $skip LIMIT $limit

OPTIONAL MATCH (n)-[:ABOUT]->(x)
OPTIONAL MATCH (c:Conversation)-[:HAS]->(x)
OPTIONAL MATCH (c)-[:ABOUT]->(o:Offer)
OPTIONAL MATCH (author:Member)-[:WROTE]->(x)
OPTIONAL MATCH (x)-[:AGAINST]->(banned:Member)
WITH n, unread, x, c, o, coalesce(author, banned, x) AS who

RETURN n.id AS id, n.kind AS kind, n.at AS at, unread,
       who.name AS name, who.id AS member_id,
       c.id AS conversation_id, o.title AS title, x.body AS body
ORDER BY at DESC, id

// graph.notifications.SET_MAIL_OFF
MATCH (m:Member {id: $member_id})
SET m.mail_off = $kinds
RETURN m.id AS id

// graph.notifications.WANTING_MAIL[appeal]
UNWIND $ids AS member_id
MATCH (m:Member {id: member_id})
WHERE NOT 'appeal' IN coalesce(m.mail_off, [])
RETURN m.id AS id

// graph.notifications.WANTING_MAIL[message]
UNWIND $ids AS member_id
MATCH (m:Member {id: member_id})
WHERE NOT 'message' IN coalesce(m.mail_off, [])
RETURN m.id AS id

// graph.notifications.WANTING_MAIL[sanction]
UNWIND $ids AS member_id
MATCH (m:Member {id: member_id})
WHERE NOT 'sanction' IN coalesce(m.mail_off, [])
RETURN m.id AS id

// graph.notifications.WANTING_MAIL[strike]
UNWIND $ids AS member_id
MATCH (m:Member {id: member_id})
WHERE NOT 'strike' IN coalesce(m.mail_off, [])
RETURN m.id AS id

// graph.offers.CREATE_OFFER
MATCH (owner:Member {id: $owner_id})
WHERE owner.status = 'active'
SET owner._lock = true REMOVE owner._lock
WITH owner
MERGE (owner)-[:OFFERS]->(o:Offer {id: $id})
ON CREATE SET o.title = $title, o.description = $description, o.category = $category,
    o.area = $area, o.price = $price, o.price_unit = $price_unit, o.currency = $currency,
    o.search_text = $search_text, o.visibility = $visibility, o.kind = $kind,
    o.status = 'active', o.hidden = false, o.created_at = $now, o.updated_at = $now,
    o.available_from = $available_from, o.available_until = $available_until

WITH o
OPTIONAL MATCH (o)-[old:AT|WHOLE_NETWORK_AT]->()
WITH o, collect(old) AS old
FOREACH (r IN old | DELETE r)
WITH o
OPTIONAL MATCH (p:Place {id: coalesce($place_id, '')})
FOREACH (x IN CASE WHEN p IS NULL THEN [] ELSE [p] END | CREATE (o)-[:AT]->(x))
FOREACH (x IN CASE WHEN p IS NULL OR o.visibility <> 0 THEN [] ELSE [p] END |
  CREATE (o)-[:WHOLE_NETWORK_AT]->(x))
SET o.location = p.location
RETURN o.id AS id

// graph.offers.DELETE_OFFER
MATCH (:Member {id: $owner_id})-[:OFFERS]->(o:Offer {id: $offer_id})
OPTIONAL MATCH (o)<-[:ABOUT]-(c:Conversation)
OPTIONAL MATCH (c)-[:HAS]->(m:Message)
OPTIONAL MATCH (m)<-[:ABOUT]-(told:Notification)
WITH o, collect(DISTINCT c) AS conversations,
     collect(DISTINCT m) + collect(DISTINCT told) AS messages
FOREACH (m IN messages | DETACH DELETE m)
FOREACH (c IN conversations | DETACH DELETE c)
DETACH DELETE o
RETURN size(conversations) AS conversations

// graph.offers.FEED[3]
MATCH (me:Member {id: $member_id})
WHERE me.status = 'active'
WITH me, [{n: me, via: null}] AS frontier, 0 AS depth, [] AS found

CALL {
  WITH found
  UNWIND CASE WHEN $radius IS NULL AND size(found) >= $window THEN found ELSE [] END AS row
  WITH DISTINCT row.o AS o
  ORDER BY o.created_at DESC
  LIMIT $window
  RETURN CASE WHEN count(o) < $window THEN null ELSE min(o.created_at) END AS floor
}

CALL {
  WITH me, frontier, depth, floor
  UNWIND CASE WHEN $max_degree IS NULL OR depth < $max_degree THEN frontier ELSE [] END AS f
  WITH me, floor, depth + 1 AS degree, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-()-[:OFFERS]->(o)
  WHERE (floor IS NULL OR o.created_at >= floor) AND o.status = 'active' AND NOT o.hidden AND (o.visibility = 0 OR o.visibility >= degree)
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
  RETURN collect({o: o, owner: owner, degree: degree, via: coalesce(via, owner)}) AS offers
}

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth + 1 < $hops AND ($max_degree IS NULL OR depth + 1 < $max_degree) THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, next AS frontier, found + offers AS found, depth + 1 AS depth

CALL {
  WITH found
  UNWIND CASE WHEN $radius IS NULL AND size(found) >= $window THEN found ELSE [] END AS row
  WITH DISTINCT row.o AS o
  ORDER BY o.created_at DESC
  LIMIT $window
  RETURN CASE WHEN count(o) < $window THEN null ELSE min(o.created_at) END AS floor
}

CALL {
  WITH me, frontier, depth, floor
  UNWIND CASE WHEN $max_degree IS NULL OR depth < $max_degree THEN frontier ELSE [] END AS f
  WITH me, floor, depth + 1 AS degree, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-()-[:OFFERS]->(o)
  WHERE (floor IS NULL OR o.created_at >= floor) AND o.status = 'active' AND NOT o.hidden AND (o.visibility = 0 OR o.visibility >= degree)
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
  RETURN collect({o: o, owner: owner, degree: degree, via: coalesce(via, owner)}) AS offers
}

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth + 1 < $hops AND ($max_degree IS NULL OR depth + 1 < $max_degree) THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, next AS frontier, found + offers AS found, depth + 1 AS depth

CALL {
  WITH found
  UNWIND CASE WHEN $radius IS NULL AND size(found) >= $window THEN found ELSE [] END AS row
  WITH DISTINCT row.o AS o
  ORDER BY o.created_at DESC
  LIMIT $window
  RETURN CASE WHEN count(o) < $window THEN null ELSE min(o.created_at) END AS floor
}

CALL {
  WITH me, frontier, depth, floor
  UNWIND CASE WHEN $max_degree IS NULL OR depth < $max_degree THEN frontier ELSE [] END AS f
  WITH me, floor, depth + 1 AS degree, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-()-[:OFFERS]->(o)
  WHERE (floor IS NULL OR o.created_at >= floor) AND o.status = 'active' AND NOT o.hidden AND (o.visibility = 0 OR o.visibility >= degree)
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
  RETURN collect({o: o, owner: owner, degree: degree, via: coalesce(via, owner)}) AS offers
}

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth + 1 < $hops AND ($max_degree IS NULL OR depth + 1 < $max_degree) THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, next AS frontier, found + offers AS found, depth + 1 AS depth

CALL {
  WITH me, found
  UNWIND found AS row
  WITH me, row.o AS o, row.owner AS owner, min(row.degree) AS degree,
       collect([row.degree, row.via]) AS vias
  WITH me, o, owner, degree, [v IN vias WHERE v[0] = degree][0][1] AS via
  ORDER BY 
  CASE WHEN degree IS NULL THEN 1 ELSE 0 END,
  CASE WHEN $radius IS NULL THEN 0 ELSE coalesce(degree, $hops + 1) END,
  CASE WHEN $radius IS NULL THEN 0 ELSE distance(me.location, o.location) END,
  o.created_at DESC, o.id DESC

  LIMIT $window
  RETURN collect({o: o, owner: owner, degree: degree, via: via}) AS near
}
WITH me, near
WITH me, near, [row IN near | row.o] AS near_offers, [] AS far

CALL {
  WITH me, far, near_offers
  UNWIND CASE WHEN $max_degree IS NULL AND NOT coalesce(me.hide_whole_network, false) AND $radius IS NULL
         AND size(near_offers) + size(far) < $window THEN [1] ELSE [] END AS tier
  MATCH (o:Offer)
  WHERE o.visibility = 0 AND o.created_at >= $since_0 AND o.status = 'active' AND NOT o.hidden
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

    AND NOT o IN near_offers
  WITH me, o
  ORDER BY o.created_at DESC, o.id DESC
  WITH me, collect(o) AS candidates
  UNWIND candidates AS o
  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
  WITH o, owner
  LIMIT $window
  RETURN collect({o: o, owner: owner}) AS newest
}
WITH me, near, near_offers, CASE WHEN size(near_offers) + size(far) < $window THEN newest ELSE far END AS far

CALL {
  WITH me, far, near_offers
  UNWIND CASE WHEN $max_degree IS NULL AND NOT coalesce(me.hide_whole_network, false) AND $radius IS NULL
         AND size(near_offers) + size(far) < $window THEN [1] ELSE [] END AS tier
  MATCH (o:Offer)
  WHERE o.visibility = 0 AND o.created_at >= $since_1 AND o.status = 'active' AND NOT o.hidden
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

    AND NOT o IN near_offers
  WITH me, o
  ORDER BY o.created_at DESC, o.id DESC
  WITH me, collect(o) AS candidates
  UNWIND candidates AS o
  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
  WITH o, owner
  LIMIT $window
  RETURN collect({o: o, owner: owner}) AS newest
}
WITH me, near, near_offers, CASE WHEN size(near_offers) + size(far) < $window THEN newest ELSE far END AS far

CALL {
  WITH me, far, near_offers
  UNWIND CASE WHEN $max_degree IS NULL AND NOT coalesce(me.hide_whole_network, false) AND $radius IS NULL
         AND size(near_offers) + size(far) < $window THEN [1] ELSE [] END AS tier
  MATCH (o:Offer)
  WHERE o.visibility = 0 AND o.created_at >= $since_2 AND o.status = 'active' AND NOT o.hidden
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

    AND NOT o IN near_offers
  WITH me, o
  ORDER BY o.created_at DESC, o.id DESC
  WITH me, collect(o) AS candidates
  UNWIND candidates AS o
  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
  WITH o, owner
  LIMIT $window
  RETURN collect({o: o, owner: owner}) AS newest
}
WITH me, near, near_offers, CASE WHEN size(near_offers) + size(far) < $window THEN newest ELSE far END AS far

CALL {
  WITH me, far, near_offers
  UNWIND CASE WHEN $max_degree IS NULL AND NOT coalesce(me.hide_whole_network, false) AND $radius IS NULL
         AND size(near_offers) + size(far) < $window THEN [1] ELSE [] END AS tier
  MATCH (o:Offer)
  WHERE o.visibility = 0 AND o.created_at >= $since_3 AND o.status = 'active' AND NOT o.hidden
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

    AND NOT o IN near_offers
  WITH me, o
  ORDER BY o.created_at DESC, o.id DESC
  WITH me, collect(o) AS candidates
  UNWIND candidates AS o
  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
  WITH o, owner
  LIMIT $window
  RETURN collect({o: o, owner: owner}) AS newest
}
WITH me, near, near_offers, CASE WHEN size(near_offers) + size(far) < $window THEN newest ELSE far END AS far

CALL {
  WITH me, far, near_offers
  UNWIND CASE WHEN $max_degree IS NULL AND NOT coalesce(me.hide_whole_network, false) AND $radius IS NULL
         AND size(near_offers) + size(far) < $window THEN [1] ELSE [] END AS tier
  MATCH (o:Offer)
  WHERE o.visibility = 0 AND o.created_at >= 0 AND o.status = 'active' AND NOT o.hidden
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

    AND NOT o IN near_offers
  WITH me, o
  ORDER BY o.created_at DESC, o.id DESC
  WITH me, collect(o) AS candidates
  UNWIND candidates AS o
  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
  WITH o, owner
  LIMIT $window
  RETURN collect({o: o, owner: owner}) AS newest
}
WITH me, near, near_offers, CASE WHEN size(near_offers) + size(far) < $window THEN newest ELSE far END AS far

CALL {
  WITH me, near_offers
  UNWIND CASE WHEN $max_degree IS NULL AND NOT coalesce(me.hide_whole_network, false) AND $radius IS NOT NULL
         AND $here IS NOT NULL AND me.location IS NOT NULL AND size(near_offers) < $window
         THEN [1] ELSE [] END AS in_reach
  MATCH (p:Place)
  WHERE distance(p.location, point($here)) <= $radius
  WITH me, near_offers, collect(p) AS places
  UNWIND places AS p
  MATCH (p)<-[:WHOLE_NETWORK_AT]-(o:Offer)
  WHERE o.visibility = 0 AND o.status = 'active' AND NOT o.hidden
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

    AND NOT o IN near_offers
  WITH me, o
  ORDER BY distance(o.location, me.location), o.created_at DESC, o.id DESC
  WITH me, collect(o) AS candidates
  UNWIND candidates AS o
  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
  WITH o, owner
  LIMIT $window
  RETURN collect({o: o, owner: owner}) AS nearby
}
WITH me, near, far + nearby AS far

UNWIND near + far AS row
WITH me, row.o AS o, row.owner AS owner, row.degree AS degree, row.via AS via
OPTIONAL MATCH (o)-[:AT]->(p:Place)
WITH me, o, owner, degree, via, p
ORDER BY 
  CASE WHEN degree IS NULL THEN 1 ELSE 0 END,
  CASE WHEN $radius IS NULL THEN 0 ELSE coalesce(degree, $hops + 1) END,
  CASE WHEN $radius IS NULL THEN 0 ELSE distance(me.location, o.location) END,
  o.created_at DESC, o.id DESC

SKIP $skip
LIMIT $limit
RETURN o {.id, .title, .description, .category, .area, .price, .price_unit, .currency, .visibility, .status, .hidden, .created_at, .updated_at, .available_from, .available_until, .photos, kind: coalesce(o.kind, 'offer')} AS offer, owner {.id, .name} AS owner, degree,
       CASE WHEN via IS NULL THEN null ELSE via {.id, .name} END AS via,
       CASE WHEN p IS NULL THEN null ELSE p {.id, .name, .region} END AS place,
       distance(me.location, o.location) AS distance

// graph.offers.FEED[6]
MATCH (me:Member {id: $member_id})
WHERE me.status = 'active'
WITH me, [{n: me, via: null}] AS frontier, 0 AS depth, [] AS found

CALL {
  WITH found
  UNWIND CASE WHEN $radius IS NULL AND size(found) >= $window THEN found ELSE [] END AS row
  WITH DISTINCT row.o AS o
  ORDER BY o.created_at DESC
  LIMIT $window
  RETURN CASE WHEN count(o) < $window THEN null ELSE min(o.created_at) END AS floor
}

CALL {
  WITH me, frontier, depth, floor
  UNWIND CASE WHEN $max_degree IS NULL OR depth < $max_degree THEN frontier ELSE [] END AS f
  WITH me, floor, depth + 1 AS degree, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-()-[:OFFERS]->(o)
  WHERE (floor IS NULL OR o.created_at >= floor) AND o.status = 'active' AND NOT o.hidden AND (o.visibility = 0 OR o.visibility >= degree)
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
  RETURN collect({o: o, owner: owner, degree: degree, via: coalesce(via, owner)}) AS offers
}

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth + 1 < $hops AND ($max_degree IS NULL OR depth + 1 < $max_degree) THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, next AS frontier, found + offers AS found, depth + 1 AS depth

CALL {
  WITH found
  UNWIND CASE WHEN $radius IS NULL AND size(found) >= $window THEN found ELSE [] END AS row
  WITH DISTINCT row.o AS o
  ORDER BY o.created_at DESC
  LIMIT $window
  RETURN CASE WHEN count(o) < $window THEN null ELSE min(o.created_at) END AS floor
}

CALL {
  WITH me, frontier, depth, floor
  UNWIND CASE WHEN $max_degree IS NULL OR depth < $max_degree THEN frontier ELSE [] END AS f
  WITH me, floor, depth + 1 AS degree, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-()-[:OFFERS]->(o)
  WHERE (floor IS NULL OR o.created_at >= floor) AND o.status = 'active' AND NOT o.hidden AND (o.visibility = 0 OR o.visibility >= degree)
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
  RETURN collect({o: o, owner: owner, degree: degree, via: coalesce(via, owner)}) AS offers
}

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth + 1 < $hops AND ($max_degree IS NULL OR depth + 1 < $max_degree) THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, next AS frontier, found + offers AS found, depth + 1 AS depth

CALL {
  WITH found
  UNWIND CASE WHEN $radius IS NULL AND size(found) >= $window THEN found ELSE [] END AS row
  WITH DISTINCT row.o AS o
  ORDER BY o.created_at DESC
  LIMIT $window
  RETURN CASE WHEN count(o) < $window THEN null ELSE min(o.created_at) END AS floor
}

CALL {
  WITH me, frontier, depth, floor
  UNWIND CASE WHEN $max_degree IS NULL OR depth < $max_degree THEN frontier ELSE [] END AS f
  WITH me, floor, depth + 1 AS degree, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-()-[:OFFERS]->(o)
  WHERE (floor IS NULL OR o.created_at >= floor) AND o.status = 'active' AND NOT o.hidden AND (o.visibility = 0 OR o.visibility >= degree)
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
  RETURN collect({o: o, owner: owner, degree: degree, via: coalesce(via, owner)}) AS offers
}

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth + 1 < $hops AND ($max_degree IS NULL OR depth + 1 < $max_degree) THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, next AS frontier, found + offers AS found, depth + 1 AS depth

CALL {
  WITH found
  UNWIND CASE WHEN $radius IS NULL AND size(found) >= $window THEN found ELSE [] END AS row
  WITH DISTINCT row.o AS o
  ORDER BY o.created_at DESC
  LIMIT $window
  RETURN CASE WHEN count(o) < $window THEN null ELSE min(o.created_at) END AS floor
}

CALL {
  WITH me, frontier, depth, floor
  UNWIND CASE WHEN $max_degree IS NULL OR depth < $max_degree THEN frontier ELSE [] END AS f
  WITH me, floor, depth + 1 AS degree, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-()-[:OFFERS]->(o)
  WHERE (floor IS NULL OR o.created_at >= floor) AND o.status = 'active' AND NOT o.hidden AND (o.visibility = 0 OR o.visibility >= degree)
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
  RETURN collect({o: o, owner: owner, degree: degree, via: coalesce(via, owner)}) AS offers
}

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth + 1 < $hops AND ($max_degree IS NULL OR depth + 1 < $max_degree) THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, next AS frontier, found + offers AS found, depth + 1 AS depth

CALL {
  WITH found
  UNWIND CASE WHEN $radius IS NULL AND size(found) >= $window THEN found ELSE [] END AS row
  WITH DISTINCT row.o AS o
  ORDER BY o.created_at DESC
  LIMIT $window
  RETURN CASE WHEN count(o) < $window THEN null ELSE min(o.created_at) END AS floor
}

CALL {
  WITH me, frontier, depth, floor
  UNWIND CASE WHEN $max_degree IS NULL OR depth < $max_degree THEN frontier ELSE [] END AS f
  WITH me, floor, depth + 1 AS degree, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-()-[:OFFERS]->(o)
  WHERE (floor IS NULL OR o.created_at >= floor) AND o.status = 'active' AND NOT o.hidden AND (o.visibility = 0 OR o.visibility >= degree)
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
  RETURN collect({o: o, owner: owner, degree: degree, via: coalesce(via, owner)}) AS offers
}

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth + 1 < $hops AND ($max_degree IS NULL OR depth + 1 < $max_degree) THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, next AS frontier, found + offers AS found, depth + 1 AS depth

CALL {
  WITH found
  UNWIND CASE WHEN $radius IS NULL AND size(found) >= $window THEN found ELSE [] END AS row
  WITH DISTINCT row.o AS o
  ORDER BY o.created_at DESC
  LIMIT $window
  RETURN CASE WHEN count(o) < $window THEN null ELSE min(o.created_at) END AS floor
}

CALL {
  WITH me, frontier, depth, floor
  UNWIND CASE WHEN $max_degree IS NULL OR depth < $max_degree THEN frontier ELSE [] END AS f
  WITH me, floor, depth + 1 AS degree, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-()-[:OFFERS]->(o)
  WHERE (floor IS NULL OR o.created_at >= floor) AND o.status = 'active' AND NOT o.hidden AND (o.visibility = 0 OR o.visibility >= degree)
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
  RETURN collect({o: o, owner: owner, degree: degree, via: coalesce(via, owner)}) AS offers
}

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth + 1 < $hops AND ($max_degree IS NULL OR depth + 1 < $max_degree) THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, next AS frontier, found + offers AS found, depth + 1 AS depth

CALL {
  WITH me, found
  UNWIND found AS row
  WITH me, row.o AS o, row.owner AS owner, min(row.degree) AS degree,
       collect([row.degree, row.via]) AS vias
  WITH me, o, owner, degree, [v IN vias WHERE v[0] = degree][0][1] AS via
  ORDER BY 
  CASE WHEN degree IS NULL THEN 1 ELSE 0 END,
  CASE WHEN $radius IS NULL THEN 0 ELSE coalesce(degree, $hops + 1) END,
  CASE WHEN $radius IS NULL THEN 0 ELSE distance(me.location, o.location) END,
  o.created_at DESC, o.id DESC

  LIMIT $window
  RETURN collect({o: o, owner: owner, degree: degree, via: via}) AS near
}
WITH me, near
WITH me, near, [row IN near | row.o] AS near_offers, [] AS far

CALL {
  WITH me, far, near_offers
  UNWIND CASE WHEN $max_degree IS NULL AND NOT coalesce(me.hide_whole_network, false) AND $radius IS NULL
         AND size(near_offers) + size(far) < $window THEN [1] ELSE [] END AS tier
  MATCH (o:Offer)
  WHERE o.visibility = 0 AND o.created_at >= $since_0 AND o.status = 'active' AND NOT o.hidden
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

    AND NOT o IN near_offers
  WITH me, o
  ORDER BY o.created_at DESC, o.id DESC
  WITH me, collect(o) AS candidates
  UNWIND candidates AS o
  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
  WITH o, owner
  LIMIT $window
  RETURN collect({o: o, owner: owner}) AS newest
}
WITH me, near, near_offers, CASE WHEN size(near_offers) + size(far) < $window THEN newest ELSE far END AS far

CALL {
  WITH me, far, near_offers
  UNWIND CASE WHEN $max_degree IS NULL AND NOT coalesce(me.hide_whole_network, false) AND $radius IS NULL
         AND size(near_offers) + size(far) < $window THEN [1] ELSE [] END AS tier
  MATCH (o:Offer)
  WHERE o.visibility = 0 AND o.created_at >= $since_1 AND o.status = 'active' AND NOT o.hidden
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

    AND NOT o IN near_offers
  WITH me, o
  ORDER BY o.created_at DESC, o.id DESC
  WITH me, collect(o) AS candidates
  UNWIND candidates AS o
  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
  WITH o, owner
  LIMIT $window
  RETURN collect({o: o, owner: owner}) AS newest
}
WITH me, near, near_offers, CASE WHEN size(near_offers) + size(far) < $window THEN newest ELSE far END AS far

CALL {
  WITH me, far, near_offers
  UNWIND CASE WHEN $max_degree IS NULL AND NOT coalesce(me.hide_whole_network, false) AND $radius IS NULL
         AND size(near_offers) + size(far) < $window THEN [1] ELSE [] END AS tier
  MATCH (o:Offer)
  WHERE o.visibility = 0 AND o.created_at >= $since_2 AND o.status = 'active' AND NOT o.hidden
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

    AND NOT o IN near_offers
  WITH me, o
  ORDER BY o.created_at DESC, o.id DESC
  WITH me, collect(o) AS candidates
  UNWIND candidates AS o
  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
  WITH o, owner
  LIMIT $window
  RETURN collect({o: o, owner: owner}) AS newest
}
WITH me, near, near_offers, CASE WHEN size(near_offers) + size(far) < $window THEN newest ELSE far END AS far

CALL {
  WITH me, far, near_offers
  UNWIND CASE WHEN $max_degree IS NULL AND NOT coalesce(me.hide_whole_network, false) AND $radius IS NULL
         AND size(near_offers) + size(far) < $window THEN [1] ELSE [] END AS tier
  MATCH (o:Offer)
  WHERE o.visibility = 0 AND o.created_at >= $since_3 AND o.status = 'active' AND NOT o.hidden
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

    AND NOT o IN near_offers
  WITH me, o
  ORDER BY o.created_at DESC, o.id DESC
  WITH me, collect(o) AS candidates
  UNWIND candidates AS o
  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
  WITH o, owner
  LIMIT $window
  RETURN collect({o: o, owner: owner}) AS newest
}
WITH me, near, near_offers, CASE WHEN size(near_offers) + size(far) < $window THEN newest ELSE far END AS far

CALL {
  WITH me, far, near_offers
  UNWIND CASE WHEN $max_degree IS NULL AND NOT coalesce(me.hide_whole_network, false) AND $radius IS NULL
         AND size(near_offers) + size(far) < $window THEN [1] ELSE [] END AS tier
  MATCH (o:Offer)
  WHERE o.visibility = 0 AND o.created_at >= 0 AND o.status = 'active' AND NOT o.hidden
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

    AND NOT o IN near_offers
  WITH me, o
  ORDER BY o.created_at DESC, o.id DESC
  WITH me, collect(o) AS candidates
  UNWIND candidates AS o
  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
  WITH o, owner
  LIMIT $window
  RETURN collect({o: o, owner: owner}) AS newest
}
WITH me, near, near_offers, CASE WHEN size(near_offers) + size(far) < $window THEN newest ELSE far END AS far

CALL {
  WITH me, near_offers
  UNWIND CASE WHEN $max_degree IS NULL AND NOT coalesce(me.hide_whole_network, false) AND $radius IS NOT NULL
         AND $here IS NOT NULL AND me.location IS NOT NULL AND size(near_offers) < $window
         THEN [1] ELSE [] END AS in_reach
  MATCH (p:Place)
  WHERE distance(p.location, point($here)) <= $radius
  WITH me, near_offers, collect(p) AS places
  UNWIND places AS p
  MATCH (p)<-[:WHOLE_NETWORK_AT]-(o:Offer)
  WHERE o.visibility = 0 AND o.status = 'active' AND NOT o.hidden
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

    AND NOT o IN near_offers
  WITH me, o
  ORDER BY distance(o.location, me.location), o.created_at DESC, o.id DESC
  WITH me, collect(o) AS candidates
  UNWIND candidates AS o
  MATCH (owner)-[:OFFERS]->(o)
  WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
  WITH o, owner
  LIMIT $window
  RETURN collect({o: o, owner: owner}) AS nearby
}
WITH me, near, far + nearby AS far

UNWIND near + far AS row
WITH me, row.o AS o, row.owner AS owner, row.degree AS degree, row.via AS via
OPTIONAL MATCH (o)-[:AT]->(p:Place)
WITH me, o, owner, degree, via, p
ORDER BY 
  CASE WHEN degree IS NULL THEN 1 ELSE 0 END,
  CASE WHEN $radius IS NULL THEN 0 ELSE coalesce(degree, $hops + 1) END,
  CASE WHEN $radius IS NULL THEN 0 ELSE distance(me.location, o.location) END,
  o.created_at DESC, o.id DESC

SKIP $skip
LIMIT $limit
RETURN o {.id, .title, .description, .category, .area, .price, .price_unit, .currency, .visibility, .status, .hidden, .created_at, .updated_at, .available_from, .available_until, .photos, kind: coalesce(o.kind, 'offer')} AS offer, owner {.id, .name} AS owner, degree,
       CASE WHEN via IS NULL THEN null ELSE via {.id, .name} END AS via,
       CASE WHEN p IS NULL THEN null ELSE p {.id, .name, .region} END AS place,
       distance(me.location, o.location) AS distance

// graph.offers.HOME_POINT
MATCH (me:Member {id: $member_id})
RETURN me.location.latitude AS latitude, me.location.longitude AS longitude

// graph.offers.LINK_WHOLE_NETWORK_OFFERS
UNWIND $ids AS offer_id
MATCH (o:Offer {id: offer_id})
SET o._lock = true REMOVE o._lock
WITH o
MATCH (o)-[:AT]->(p:Place)
WHERE o.visibility = 0 AND NOT (o)-[:WHOLE_NETWORK_AT]->(p)
CREATE (o)-[:WHOLE_NETWORK_AT]->(p)
RETURN count(o) AS linked

// graph.offers.OFFER_PAGE[3]
MATCH (me:Member {id: $member_id})
WITH me, CASE WHEN me.status = 'active' THEN [{n: me, via: null}] ELSE [] END AS frontier,
     0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

OPTIONAL MATCH (target:Member)-[:OFFERS]->(o:Offer {id: $offer_id})
OPTIONAL MATCH (me)-[:ASKED]->(asked:Conversation)-[:ABOUT]->(o)
WITH me, target, o, [c IN circle WHERE c.n = target | c.degree][0] AS degree, count(asked) > 0 AS asked_about
CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}
WITH me, target, o, degree, asked_about, blocked
WHERE me = target
   OR (me.status = 'active' AND target.status = 'active' AND o.status = 'active' AND NOT o.hidden
       AND (o.visibility = 0 OR o.visibility >= degree) AND NOT blocked)
   OR (me.status = 'active' AND target.status = 'active'
       AND o.status = 'closed' AND NOT o.hidden AND asked_about AND NOT blocked)
WITH me, target

WITH me, target, null AS hit, 0 AS depth,
     CASE WHEN me.status = 'active' AND target.status = 'active' AND me <> target
          THEN [{n: target, walk: [target]}] ELSE [] END AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

WITH me, target, hit, me = target AND me.status = 'active' AS itself
WITH me, target,
     CASE WHEN itself THEN 0 ELSE hit.degree END AS degree,
     CASE WHEN itself THEN [me] WHEN hit IS NULL THEN null
          ELSE [me] + reverse(hit.walk) END AS path,
     CASE WHEN itself THEN 1 ELSE coalesce(hit.strength, 0) END AS strength

CALL {
  WITH me, target
  MATCH (me)-[:SPONSORED]-(author:Member)-[:WROTE_REFERENCE]->(r:Reference)
        -[:REFERS_TO]->(target)
  WHERE author.status = 'active' AND r.rating = 'positive'
    AND me <> target
  RETURN count(DISTINCT author) AS recommending
}

MATCH (target)-[:OFFERS]->(o:Offer {id: $offer_id})
CALL {
  WITH me, o
  OPTIONAL MATCH (me)-[star:STARRED]->(o)
  RETURN count(star) > 0 AS starred
}
OPTIONAL MATCH (o)-[:AT]->(p:Place)

CALL {
  WITH path
  UNWIND range(1, size(coalesce(path, [])) - 1) AS i
  WITH i, path[i - 1] AS before, path[i] AS step
  OPTIONAL MATCH (before)-[forward:SPONSORED]->(step)
  OPTIONAL MATCH (step)-[backward:SPONSORED]->(before)
  RETURN collect({i: i, via: coalesce(forward.via, backward.via),
                  forward: forward IS NOT NULL}) AS links
}

RETURN o {.id, .title, .description, .category, .area, .price, .price_unit, .currency, .visibility, .status, .hidden, .created_at, .updated_at, .available_from, .available_until, .photos, kind: coalesce(o.kind, 'offer')} AS offer, target {.id, .name} AS owner, degree, strength,
       [n IN path | n {.id, .name}] AS path, links, recommending, starred,
       CASE WHEN p IS NULL THEN null ELSE p {.id, .name, .region} END AS place,
       distance(me.location, o.location) AS distance

// graph.offers.OFFER_PAGE[6]
MATCH (me:Member {id: $member_id})
WITH me, CASE WHEN me.status = 'active' THEN [{n: me, via: null}] ELSE [] END AS frontier,
     0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

OPTIONAL MATCH (target:Member)-[:OFFERS]->(o:Offer {id: $offer_id})
OPTIONAL MATCH (me)-[:ASKED]->(asked:Conversation)-[:ABOUT]->(o)
WITH me, target, o, [c IN circle WHERE c.n = target | c.degree][0] AS degree, count(asked) > 0 AS asked_about
CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}
WITH me, target, o, degree, asked_about, blocked
WHERE me = target
   OR (me.status = 'active' AND target.status = 'active' AND o.status = 'active' AND NOT o.hidden
       AND (o.visibility = 0 OR o.visibility >= degree) AND NOT blocked)
   OR (me.status = 'active' AND target.status = 'active'
       AND o.status = 'closed' AND NOT o.hidden AND asked_about AND NOT blocked)
WITH me, target

WITH me, target, null AS hit, 0 AS depth,
     CASE WHEN me.status = 'active' AND target.status = 'active' AND me <> target
          THEN [{n: target, walk: [target]}] ELSE [] END AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

WITH me, target, hit, me = target AND me.status = 'active' AS itself
WITH me, target,
     CASE WHEN itself THEN 0 ELSE hit.degree END AS degree,
     CASE WHEN itself THEN [me] WHEN hit IS NULL THEN null
          ELSE [me] + reverse(hit.walk) END AS path,
     CASE WHEN itself THEN 1 ELSE coalesce(hit.strength, 0) END AS strength

CALL {
  WITH me, target
  MATCH (me)-[:SPONSORED]-(author:Member)-[:WROTE_REFERENCE]->(r:Reference)
        -[:REFERS_TO]->(target)
  WHERE author.status = 'active' AND r.rating = 'positive'
    AND me <> target
  RETURN count(DISTINCT author) AS recommending
}

MATCH (target)-[:OFFERS]->(o:Offer {id: $offer_id})
CALL {
  WITH me, o
  OPTIONAL MATCH (me)-[star:STARRED]->(o)
  RETURN count(star) > 0 AS starred
}
OPTIONAL MATCH (o)-[:AT]->(p:Place)

CALL {
  WITH path
  UNWIND range(1, size(coalesce(path, [])) - 1) AS i
  WITH i, path[i - 1] AS before, path[i] AS step
  OPTIONAL MATCH (before)-[forward:SPONSORED]->(step)
  OPTIONAL MATCH (step)-[backward:SPONSORED]->(before)
  RETURN collect({i: i, via: coalesce(forward.via, backward.via),
                  forward: forward IS NOT NULL}) AS links
}

RETURN o {.id, .title, .description, .category, .area, .price, .price_unit, .currency, .visibility, .status, .hidden, .created_at, .updated_at, .available_from, .available_until, .photos, kind: coalesce(o.kind, 'offer')} AS offer, target {.id, .name} AS owner, degree, strength,
       [n IN path | n {.id, .name}] AS path, links, recommending, starred,
       CASE WHEN p IS NULL THEN null ELSE p {.id, .name, .region} END AS place,
       distance(me.location, o.location) AS distance

// graph.offers.OWN_OFFER
MATCH (:Member {id: $owner_id})-[:OFFERS]->(o:Offer {id: $offer_id})
RETURN o {.id, .title, .description, .category, .area, .price, .price_unit, .currency, .visibility, .status, .hidden, .created_at, .updated_at, .available_from, .available_until, .photos, kind: coalesce(o.kind, 'offer')} AS offer

// graph.offers.OWN_OFFERS
MATCH (:Member {id: $owner_id})-[:OFFERS]->(o:Offer)
CALL {
  WITH o
  OPTIONAL MATCH (o)<-[:ABOUT]-(c:Conversation)
  RETURN count(c) AS requests
}
RETURN o {.id, .title, .description, .category, .area, .price, .price_unit, .currency, .visibility, .status, .hidden, .created_at, .updated_at, .available_from, .available_until, .photos, kind: coalesce(o.kind, 'offer')} AS offer, requests
ORDER BY offer.created_at DESC, offer.id DESC

// graph.offers.PROFILE[3]
MATCH (me:Member {id: $member_id})
WHERE me.status = 'active'
WITH me, [{n: me, via: null}] AS frontier, 0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

OPTIONAL MATCH (target:Member {id: $profile_id})
WITH me, target, [c IN circle WHERE c.n = target | c.degree][0] AS degree

CALL {
  WITH me, target
  OPTIONAL MATCH (target)-[:ASKED]->(asked:Conversation)-[:ABOUT]->(:Offer)<-[:OFFERS]-(me)
  RETURN count(asked) > 0 AS wrote_to_me
}

CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}

WITH me, target, degree, blocked, wrote_to_me
WHERE target IS NOT NULL
  AND (me = target OR degree IS NOT NULL
       OR (me.status = 'active' AND target.status = 'active' AND wrote_to_me))
  AND (me = target OR NOT blocked)
WITH me, target

WITH me, target, null AS hit, 0 AS depth,
     CASE WHEN me.status = 'active' AND target.status = 'active' AND me <> target
          THEN [{n: target, walk: [target]}] ELSE [] END AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

WITH me, target, hit, me = target AND me.status = 'active' AS itself
WITH me, target,
     CASE WHEN itself THEN 0 ELSE hit.degree END AS degree,
     CASE WHEN itself THEN [me] WHEN hit IS NULL THEN null
          ELSE [me] + reverse(hit.walk) END AS path,
     CASE WHEN itself THEN 1 ELSE coalesce(hit.strength, 0) END AS strength

CALL {
  WITH path
  UNWIND range(1, size(coalesce(path, [])) - 1) AS i
  WITH i, path[i - 1] AS before, path[i] AS step
  OPTIONAL MATCH (before)-[forward:SPONSORED]->(step)
  OPTIONAL MATCH (step)-[backward:SPONSORED]->(before)
  RETURN collect({i: i, via: coalesce(forward.via, backward.via),
                  forward: forward IS NOT NULL}) AS links
}

WITH target, degree, path, strength, links
CALL {
  WITH target, degree
  MATCH (target)-[:OFFERS]->(o:Offer)
  WHERE o.status = 'active' AND NOT o.hidden AND (o.visibility = 0 OR o.visibility >= degree)
  RETURN collect(o {.id, .title, .description, .category, .area, .price, .price_unit, .currency, .visibility, .status, .hidden, .created_at, .updated_at, .available_from, .available_until, .photos, kind: coalesce(o.kind, 'offer')}) AS offers
}

CALL {
  WITH target
  MATCH (author:Member)-[:WROTE_REFERENCE]->(r:Reference)-[:REFERS_TO]->(target)
  WHERE author.status <> 'banned'
  RETURN collect({reference: r {.id, .exchange, .rating, .text, .created_at},
                  author: author {.id, .name, .departed}}) AS references
}

RETURN target {.id, .name, .created_at, .photo, .bio} AS member, degree, strength, offers,
       references, [n IN path | n {.id, .name}] AS path, links

// graph.offers.PROFILE[6]
MATCH (me:Member {id: $member_id})
WHERE me.status = 'active'
WITH me, [{n: me, via: null}] AS frontier, 0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

OPTIONAL MATCH (target:Member {id: $profile_id})
WITH me, target, [c IN circle WHERE c.n = target | c.degree][0] AS degree

CALL {
  WITH me, target
  OPTIONAL MATCH (target)-[:ASKED]->(asked:Conversation)-[:ABOUT]->(:Offer)<-[:OFFERS]-(me)
  RETURN count(asked) > 0 AS wrote_to_me
}

CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}

WITH me, target, degree, blocked, wrote_to_me
WHERE target IS NOT NULL
  AND (me = target OR degree IS NOT NULL
       OR (me.status = 'active' AND target.status = 'active' AND wrote_to_me))
  AND (me = target OR NOT blocked)
WITH me, target

WITH me, target, null AS hit, 0 AS depth,
     CASE WHEN me.status = 'active' AND target.status = 'active' AND me <> target
          THEN [{n: target, walk: [target]}] ELSE [] END AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

WITH me, target, hit, me = target AND me.status = 'active' AS itself
WITH me, target,
     CASE WHEN itself THEN 0 ELSE hit.degree END AS degree,
     CASE WHEN itself THEN [me] WHEN hit IS NULL THEN null
          ELSE [me] + reverse(hit.walk) END AS path,
     CASE WHEN itself THEN 1 ELSE coalesce(hit.strength, 0) END AS strength

CALL {
  WITH path
  UNWIND range(1, size(coalesce(path, [])) - 1) AS i
  WITH i, path[i - 1] AS before, path[i] AS step
  OPTIONAL MATCH (before)-[forward:SPONSORED]->(step)
  OPTIONAL MATCH (step)-[backward:SPONSORED]->(before)
  RETURN collect({i: i, via: coalesce(forward.via, backward.via),
                  forward: forward IS NOT NULL}) AS links
}

WITH target, degree, path, strength, links
CALL {
  WITH target, degree
  MATCH (target)-[:OFFERS]->(o:Offer)
  WHERE o.status = 'active' AND NOT o.hidden AND (o.visibility = 0 OR o.visibility >= degree)
  RETURN collect(o {.id, .title, .description, .category, .area, .price, .price_unit, .currency, .visibility, .status, .hidden, .created_at, .updated_at, .available_from, .available_until, .photos, kind: coalesce(o.kind, 'offer')}) AS offers
}

CALL {
  WITH target
  MATCH (author:Member)-[:WROTE_REFERENCE]->(r:Reference)-[:REFERS_TO]->(target)
  WHERE author.status <> 'banned'
  RETURN collect({reference: r {.id, .exchange, .rating, .text, .created_at},
                  author: author {.id, .name, .departed}}) AS references
}

RETURN target {.id, .name, .created_at, .photo, .bio} AS member, degree, strength, offers,
       references, [n IN path | n {.id, .name}] AS path, links

// graph.offers.SEARCH_FEED[3]
MATCH (me:Member {id: $member_id})
WHERE me.status = 'active'
WITH me, [{n: me, via: null}] AS frontier, 0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

WITH me, circle
CALL db.index.fulltext.queryNodes('fulltext_offer_search_text', $query) YIELD node
WITH me, circle, node AS o
WHERE o.status = 'active' AND NOT o.hidden
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

MATCH (owner)-[:OFFERS]->(o)
WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
WITH me, o, owner, [c IN circle WHERE c.n = owner][0] AS reach
WITH me, o, owner, reach.degree AS degree, reach.via AS via
WHERE (o.visibility = 0 OR o.visibility >= degree)
  AND ($max_degree IS NULL OR degree <= $max_degree)
  AND (degree IS NOT NULL OR NOT coalesce(me.hide_whole_network, false))
OPTIONAL MATCH (o)-[:AT]->(p:Place)
WITH me, o, owner, degree, via, p
ORDER BY 
  CASE WHEN degree IS NULL THEN 1 ELSE 0 END,
  CASE WHEN $radius IS NULL THEN 0 ELSE coalesce(degree, $hops + 1) END,
  CASE WHEN $radius IS NULL THEN 0 ELSE distance(me.location, o.location) END,
  o.created_at DESC, o.id DESC

SKIP $skip
LIMIT $limit
RETURN o {.id, .title, .description, .category, .area, .price, .price_unit, .currency, .visibility, .status, .hidden, .created_at, .updated_at, .available_from, .available_until, .photos, kind: coalesce(o.kind, 'offer')} AS offer, owner {.id, .name} AS owner, degree,
       CASE WHEN via IS NULL THEN null ELSE via {.id, .name} END AS via,
       CASE WHEN p IS NULL THEN null ELSE p {.id, .name, .region} END AS place,
       distance(me.location, o.location) AS distance

// graph.offers.SEARCH_FEED[6]
MATCH (me:Member {id: $member_id})
WHERE me.status = 'active'
WITH me, [{n: me, via: null}] AS frontier, 0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

WITH me, circle
CALL db.index.fulltext.queryNodes('fulltext_offer_search_text', $query) YIELD node
WITH me, circle, node AS o
WHERE o.status = 'active' AND NOT o.hidden
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

MATCH (owner)-[:OFFERS]->(o)
WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
WITH me, o, owner, [c IN circle WHERE c.n = owner][0] AS reach
WITH me, o, owner, reach.degree AS degree, reach.via AS via
WHERE (o.visibility = 0 OR o.visibility >= degree)
  AND ($max_degree IS NULL OR degree <= $max_degree)
  AND (degree IS NOT NULL OR NOT coalesce(me.hide_whole_network, false))
OPTIONAL MATCH (o)-[:AT]->(p:Place)
WITH me, o, owner, degree, via, p
ORDER BY 
  CASE WHEN degree IS NULL THEN 1 ELSE 0 END,
  CASE WHEN $radius IS NULL THEN 0 ELSE coalesce(degree, $hops + 1) END,
  CASE WHEN $radius IS NULL THEN 0 ELSE distance(me.location, o.location) END,
  o.created_at DESC, o.id DESC

SKIP $skip
LIMIT $limit
RETURN o {.id, .title, .description, .category, .area, .price, .price_unit, .currency, .visibility, .status, .hidden, .created_at, .updated_at, .available_from, .available_until, .photos, kind: coalesce(o.kind, 'offer')} AS offer, owner {.id, .name} AS owner, degree,
       CASE WHEN via IS NULL THEN null ELSE via {.id, .name} END AS via,
       CASE WHEN p IS NULL THEN null ELSE p {.id, .name, .region} END AS place,
       distance(me.location, o.location) AS distance

// graph.offers.SEARCH_FEED_FALKORDB[3]
MATCH (me:Member {id: $member_id})
WHERE me.status = 'active'
WITH me, [{n: me, via: null}] AS frontier, 0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

WITH me, circle
CALL db.idx.fulltext.queryNodes('Offer', $query) YIELD node
WITH me, circle, node AS o
WHERE o.status = 'active' AND NOT o.hidden
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

MATCH (owner)-[:OFFERS]->(o)
WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
WITH me, o, owner, [c IN circle WHERE c.n = owner][0] AS reach
WITH me, o, owner, reach.degree AS degree, reach.via AS via
WHERE (o.visibility = 0 OR o.visibility >= degree)
  AND ($max_degree IS NULL OR degree <= $max_degree)
  AND (degree IS NOT NULL OR NOT coalesce(me.hide_whole_network, false))
OPTIONAL MATCH (o)-[:AT]->(p:Place)
WITH me, o, owner, degree, via, p
ORDER BY 
  CASE WHEN degree IS NULL THEN 1 ELSE 0 END,
  CASE WHEN $radius IS NULL THEN 0 ELSE coalesce(degree, $hops + 1) END,
  CASE WHEN $radius IS NULL THEN 0 ELSE distance(me.location, o.location) END,
  o.created_at DESC, o.id DESC

SKIP $skip
LIMIT $limit
RETURN o {.id, .title, .description, .category, .area, .price, .price_unit, .currency, .visibility, .status, .hidden, .created_at, .updated_at, .available_from, .available_until, .photos, kind: coalesce(o.kind, 'offer')} AS offer, owner {.id, .name} AS owner, degree,
       CASE WHEN via IS NULL THEN null ELSE via {.id, .name} END AS via,
       CASE WHEN p IS NULL THEN null ELSE p {.id, .name, .region} END AS place,
       distance(me.location, o.location) AS distance

// graph.offers.SEARCH_FEED_FALKORDB[6]
MATCH (me:Member {id: $member_id})
WHERE me.status = 'active'
WITH me, [{n: me, via: null}] AS frontier, 0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

WITH me, circle
CALL db.idx.fulltext.queryNodes('Offer', $query) YIELD node
WITH me, circle, node AS o
WHERE o.status = 'active' AND NOT o.hidden
  AND ($category IS NULL OR o.category = $category)
  AND ($radius IS NULL OR distance(o.location, me.location) <= $radius)
  AND ($kind IS NULL OR coalesce(o.kind, 'offer') = $kind)

MATCH (owner)-[:OFFERS]->(o)
WHERE owner.status = 'active' AND owner <> me AND NOT (me)-[:BLOCKED]-(owner)
WITH me, o, owner, [c IN circle WHERE c.n = owner][0] AS reach
WITH me, o, owner, reach.degree AS degree, reach.via AS via
WHERE (o.visibility = 0 OR o.visibility >= degree)
  AND ($max_degree IS NULL OR degree <= $max_degree)
  AND (degree IS NOT NULL OR NOT coalesce(me.hide_whole_network, false))
OPTIONAL MATCH (o)-[:AT]->(p:Place)
WITH me, o, owner, degree, via, p
ORDER BY 
  CASE WHEN degree IS NULL THEN 1 ELSE 0 END,
  CASE WHEN $radius IS NULL THEN 0 ELSE coalesce(degree, $hops + 1) END,
  CASE WHEN $radius IS NULL THEN 0 ELSE distance(me.location, o.location) END,
  o.created_at DESC, o.id DESC

SKIP $skip
LIMIT $limit
RETURN o {.id, .title, .description, .category, .area, .price, .price_unit, .currency, .visibility, .status, .hidden, .created_at, .updated_at, .available_from, .available_until, .photos, kind: coalesce(o.kind, 'offer')} AS offer, owner {.id, .name} AS owner, degree,
       CASE WHEN via IS NULL THEN null ELSE via {.id, .name} END AS via,
       CASE WHEN p IS NULL THEN null ELSE p {.id, .name, .region} END AS place,
       distance(me.location, o.location) AS distance

// graph.offers.SET_SEARCH_TEXTS
UNWIND $offers AS row
MATCH (o:Offer {id: row.id})
WHERE o.search_text IS NULL
SET o.search_text = row.text
RETURN count(o) AS indexed

// graph.offers.SET_STATUS
MATCH (:Member {id: $owner_id})-[:OFFERS]->(o:Offer {id: $offer_id})
WHERE o.status IN $from_statuses
SET o.status = $status, o.updated_at = $now
RETURN o.status AS status

// graph.offers.SET_WHOLE_NETWORK_SHOWN
MATCH (me:Member {id: $member_id})
SET me.hide_whole_network = NOT $shown
RETURN me.id AS id

// graph.offers.UNLINKED_WHOLE_NETWORK_OFFERS
MATCH (o:Offer)-[:AT]->(p:Place)
WHERE o.visibility = 0 AND NOT (o)-[:WHOLE_NETWORK_AT]->(p)
RETURN o.id AS id

// graph.offers.UNSEARCHABLE_OFFERS
MATCH (o:Offer)
WHERE o.search_text IS NULL
RETURN o.id AS id, o.title AS title, o.description AS description, o.area AS area

// graph.offers.UPDATE_OFFER
MATCH (:Member {id: $owner_id})-[:OFFERS]->(o:Offer {id: $id})
SET o.title = $title, o.description = $description, o.category = $category, o.area = $area,
    o.price = $price, o.price_unit = $price_unit, o.currency = $currency,
    o.search_text = $search_text, o.visibility = $visibility, o.kind = $kind,
    o.available_from = $available_from, o.available_until = $available_until,
    o.updated_at = $now

WITH o
OPTIONAL MATCH (o)-[old:AT|WHOLE_NETWORK_AT]->()
WITH o, collect(old) AS old
FOREACH (r IN old | DELETE r)
WITH o
OPTIONAL MATCH (p:Place {id: coalesce($place_id, '')})
FOREACH (x IN CASE WHEN p IS NULL THEN [] ELSE [p] END | CREATE (o)-[:AT]->(x))
FOREACH (x IN CASE WHEN p IS NULL OR o.visibility <> 0 THEN [] ELSE [p] END |
  CREATE (o)-[:WHOLE_NETWORK_AT]->(x))
SET o.location = p.location
RETURN o.id AS id

// graph.photos.ADD_OFFER_PHOTO
MATCH (owner:Member {id: $owner_id})-[:OFFERS]->(o:Offer {id: $offer_id})
WHERE owner.status = 'active'
SET o._lock = true REMOVE o._lock
WITH o
WHERE size(coalesce(o.photos, [])) < $max_photos
SET o.photos = coalesce(o.photos, []) + [$photo_id]
RETURN size(o.photos) AS photos

// graph.photos.MEMBER_PHOTO
MATCH (m:Member {id: $member_id}) RETURN m.photo AS photo

// graph.photos.REMOVE_OFFER_PHOTO
MATCH (:Member {id: $owner_id})-[:OFFERS]->(o:Offer {id: $offer_id})
WHERE $photo_id IN coalesce(o.photos, [])
SET o.photos = [p IN o.photos WHERE p <> $photo_id]
RETURN size(o.photos) AS photos

// graph.photos.SET_MEMBER_PHOTO
MATCH (m:Member {id: $member_id})
WHERE m.status = 'active'
SET m.photo = $photo_id
RETURN m.id AS id

// graph.photos.VISIBLE_MEMBER_PHOTO[3]
MATCH (me:Member {id: $member_id})
WHERE me.status = 'active'
WITH me, [{n: me, via: null}] AS frontier, 0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

OPTIONAL MATCH (target:Member {id: $profile_id})
WITH me, target, [c IN circle WHERE c.n = target | c.degree][0] AS degree

CALL {
  WITH me, target
  OPTIONAL MATCH (target)-[:ASKED]->(asked:Conversation)-[:ABOUT]->(:Offer)<-[:OFFERS]-(me)
  RETURN count(asked) > 0 AS wrote_to_me
}

CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}

WITH me, target, degree, blocked, wrote_to_me
WHERE target IS NOT NULL
  AND (me = target OR degree IS NOT NULL
       OR (me.status = 'active' AND target.status = 'active' AND wrote_to_me))
  AND (me = target OR NOT blocked)

WITH target
WHERE target.photo = $photo_id
RETURN target.id AS member_id

// graph.photos.VISIBLE_MEMBER_PHOTO[6]
MATCH (me:Member {id: $member_id})
WHERE me.status = 'active'
WITH me, [{n: me, via: null}] AS frontier, 0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

OPTIONAL MATCH (target:Member {id: $profile_id})
WITH me, target, [c IN circle WHERE c.n = target | c.degree][0] AS degree

CALL {
  WITH me, target
  OPTIONAL MATCH (target)-[:ASKED]->(asked:Conversation)-[:ABOUT]->(:Offer)<-[:OFFERS]-(me)
  RETURN count(asked) > 0 AS wrote_to_me
}

CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}

WITH me, target, degree, blocked, wrote_to_me
WHERE target IS NOT NULL
  AND (me = target OR degree IS NOT NULL
       OR (me.status = 'active' AND target.status = 'active' AND wrote_to_me))
  AND (me = target OR NOT blocked)

WITH target
WHERE target.photo = $photo_id
RETURN target.id AS member_id

// graph.photos.VISIBLE_OFFER_PHOTO[3]
MATCH (me:Member {id: $member_id})
WITH me, CASE WHEN me.status = 'active' THEN [{n: me, via: null}] ELSE [] END AS frontier,
     0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

OPTIONAL MATCH (target:Member)-[:OFFERS]->(o:Offer {id: $offer_id})
WITH me, target, o, [c IN circle WHERE c.n = target | c.degree][0] AS degree
CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}
WITH me, target, o, degree, blocked
WHERE me = target
   OR (me.status = 'active' AND target.status = 'active' AND o.status = 'active' AND NOT o.hidden
       AND (o.visibility = 0 OR o.visibility >= degree) AND NOT blocked)

WITH target, o
WHERE $photo_id IN coalesce(o.photos, [])
RETURN target.id AS owner_id

// graph.photos.VISIBLE_OFFER_PHOTO[6]
MATCH (me:Member {id: $member_id})
WITH me, CASE WHEN me.status = 'active' THEN [{n: me, via: null}] ELSE [] END AS frontier,
     0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

OPTIONAL MATCH (target:Member)-[:OFFERS]->(o:Offer {id: $offer_id})
WITH me, target, o, [c IN circle WHERE c.n = target | c.degree][0] AS degree
CALL {
  WITH me, target
  OPTIONAL MATCH block = (me)-[:BLOCKED]-(target)
  RETURN count(block) > 0 AS blocked
}
WITH me, target, o, degree, blocked
WHERE me = target
   OR (me.status = 'active' AND target.status = 'active' AND o.status = 'active' AND NOT o.hidden
       AND (o.visibility = 0 OR o.visibility >= degree) AND NOT blocked)

WITH target, o
WHERE $photo_id IN coalesce(o.photos, [])
RETURN target.id AS owner_id

// graph.places.FIND_PLACES
MATCH (p:Place)
WHERE p.key STARTS WITH $key
RETURN p {.id, .name, .region} AS place, p.key = $key AS exact
ORDER BY p.population DESC, p.id
LIMIT $limit

// graph.places.GET_PLACE
MATCH (p:Place {id: $place_id}) RETURN p {.id, .name, .region} AS place

// graph.places.HOME_OF
MATCH (:Member {id: $member_id})-[:LIVES_IN]->(p:Place)
RETURN p {.id, .name, .region} AS place

// graph.places.LOAD_PLACES
UNWIND $rows AS row
MERGE (p:Place {id: row.id})
ON CREATE SET p.location = point({latitude: row.latitude, longitude: row.longitude})
SET p.name = row.name, p.key = row.key, p.region = row.region, p.population = row.population
RETURN count(p) AS places

// graph.places.PLACE_OF_OFFER
MATCH (:Offer {id: $offer_id})-[:AT]->(p:Place)
RETURN p {.id, .name, .region} AS place

// graph.places.SET_HOME
MATCH (m:Member {id: $member_id})
WHERE m.status = 'active'
MATCH (p:Place {id: $place_id})
OPTIONAL MATCH (m)-[old:LIVES_IN]->()
WITH m, p, collect(old) AS old
FOREACH (r IN old | DELETE r)
CREATE (m)-[:LIVES_IN]->(p)
SET m.location = p.location
RETURN p.id AS id

// graph.references.EXCHANGE_STATE
MATCH (asker:Member)-[:ASKED]->(c:Conversation {id: $conversation_id})-[:ABOUT]->(o:Offer)
      <-[:OFFERS]-(owner:Member)

WITH asker, c, owner
WHERE $member_id IN [asker.id, owner.id]
OPTIONAL MATCH (:Member {id: $member_id})-[:WROTE_REFERENCE]->(mine:Reference)
WHERE mine.conversation_id = c.id
RETURN c.done AS done, count(mine) > 0 AS reviewed, owner.id = $member_id AS owner

// graph.references.LEAVE_REFERENCE
MATCH (asker:Member)-[:ASKED]->(c:Conversation {id: $conversation_id})-[:ABOUT]->(o:Offer)
      <-[:OFFERS]-(owner:Member)

MATCH (me:Member {id: $member_id})
WHERE (me = asker OR me = owner) AND asker.status = 'active' AND owner.status = 'active'
SET c._lock = true REMOVE c._lock
WITH me, c, CASE WHEN me = owner THEN asker ELSE owner END AS other
WHERE c.done IS NOT NULL
OPTIONAL MATCH (me)-[:WROTE_REFERENCE]->(earlier:Reference)
WHERE earlier.conversation_id = c.id
WITH me, c, other, collect(earlier.id) AS earlier
WHERE earlier = [] OR earlier = [$id]
FOREACH (_ IN CASE WHEN earlier = [] THEN [1] ELSE [] END |
  CREATE (me)-[:WROTE_REFERENCE]->(:Reference {id: $id, conversation_id: c.id,
                                               exchange: c.done, rating: $rating,
                                               text: $text, created_at: $now})
         -[:REFERS_TO]->(other))
FOREACH (_ IN CASE WHEN earlier = [] AND $rating = 'negative' THEN [1] ELSE [] END |
  CREATE (me)-[:FILED]->(:Report {id: $report_id, kind: 'reference', reason: $reason,
                                  text: $text, status: 'open', created_at: $now})
         -[:REPORTS]->(other)
  CREATE (:AuditEntry {at: $now, action: 'report', actor_id: me.id, target_id: other.id,
                       reason: $reason}))
RETURN earlier = [] AS new

// graph.references.MARK_DONE
MATCH (asker:Member)-[:ASKED]->(c:Conversation {id: $conversation_id})-[:ABOUT]->(o:Offer)
      <-[:OFFERS]-(owner:Member)

WHERE owner.id = $member_id AND owner.status = 'active' AND asker.status = 'active'
SET c.done = coalesce(c.done, $exchange), c.done_at = coalesce(c.done_at, $now)
RETURN c.done AS done

// graph.roles.SET_ADMIN
MATCH (m:Member {id: $member_id})
WHERE coalesce(m.admin, false) <> $admin AND NOT coalesce(m.departed, false)
SET m.admin = $admin
CREATE (:AuditEntry {at: $now, action: $action, actor_id: $actor_id, target_id: m.id,
                     reason: $reason})
RETURN m.id AS id

// graph.sanction_appeals.APPEAL
MATCH (m:Member)-[:APPEALED]->(a:Appeal {id: $appeal_id})
OPTIONAL MATCH (sanction:AuditEntry {target_id: m.id, at: m.sanctioned_at})
WHERE sanction.action = CASE a.kind WHEN 'banned' THEN 'ban' ELSE 'suspend' END
WITH m, a, collect(sanction.reason) AS reasons
RETURN a.id AS id, a.kind AS kind, a.status AS status, a.text AS text,
       a.created_at AS created_at, m.id AS member_id, m.name AS member_name,
       m.email AS member_email, m.status AS member_status, reasons[0] AS ban_reason

// graph.sanction_appeals.APPEAL_STATE
MATCH (m:Member {id: $member_id})
OPTIONAL MATCH (m)-[:APPEALED]->(a:Appeal)
RETURN m.status AS status, coalesce(m.sanctioned_at, 0) AS sanctioned_at,
       collect(a.created_at) AS appealed_at

// graph.sanction_appeals.DECIDE_APPEAL
MATCH (m:Member)-[:APPEALED]->(a:Appeal {id: $appeal_id})
SET m._lock = true REMOVE m._lock
WITH m, a
WHERE a.status = 'open'
SET a.status = $decision, a.decided_at = $now, a.decided_by = $actor_id, a.note = $note
CREATE (:AuditEntry {at: $now, action: 'appeal_' + $decision, actor_id: $actor_id,
                     target_id: m.id, reason: $note})
CREATE (m)<-[:UNREAD]-(:Notification {id: randomUUID(), kind: 'appeal_' + $decision, at: $now})
RETURN m.id AS member_id

// graph.sanction_appeals.FILE_APPEAL
MATCH (m:Member {id: $member_id})
WHERE m.status IN ['banned', 'suspended'] AND NOT coalesce(m.departed, false)
OPTIONAL MATCH (m)-[:APPEALED]->(earlier:Appeal)
WITH m, sum(CASE WHEN earlier.created_at >= coalesce(m.sanctioned_at, 0) THEN 1 ELSE 0 END)
        AS already
WHERE already = 0
CREATE (m)-[:APPEALED]->(:Appeal {id: $id, kind: m.status, text: $text, status: 'open',
                                  created_at: $now})
CREATE (:AuditEntry {at: $now, action: 'appeal', actor_id: m.id, target_id: m.id})
RETURN $id AS id

// graph.sanction_appeals.OPEN_APPEALS
MATCH (m:Member)-[:APPEALED]->(a:Appeal)
WHERE a.status = 'open'
OPTIONAL MATCH (sanction:AuditEntry {target_id: m.id, at: m.sanctioned_at})
WHERE sanction.action = CASE a.kind WHEN 'banned' THEN 'ban' ELSE 'suspend' END
WITH m, a, collect(sanction.reason) AS reasons
RETURN a.id AS id, a.kind AS kind, a.status AS status, a.text AS text,
       a.created_at AS created_at, m.id AS member_id, m.name AS member_name,
       m.email AS member_email, m.status AS member_status, reasons[0] AS ban_reason
ORDER BY created_at

// graph.sponsorship.CONFIRM_VOUCH
MATCH (v:Member)-[:OFFERED]->(vouch:Vouch {id: $vouch_id})-[:FOR]->(m:Member {id: $member_id})
WHERE vouch.status = 'offered' AND (v.status = 'active' AND NOT coalesce(v.invites_suspended, false)) AND m.status = 'active'
  AND NOT (v)-[:SPONSORED]-(m)
SET vouch.status = 'confirmed', vouch.answered_at = $now
CREATE (v)-[:SPONSORED {via: 'vouch', at: $now}]->(m)
CREATE (v)<-[:UNREAD]-(:Notification {id: randomUUID(), kind: 'vouch_accepted', at: $now})-[:ABOUT]->(m)

RETURN v.name AS voucher

// graph.sponsorship.DECLINE_VOUCH
MATCH (:Member)-[:OFFERED]->(vouch:Vouch {id: $vouch_id})-[:FOR]->(:Member {id: $member_id})
WHERE vouch.status = 'offered'
SET vouch.status = 'declined', vouch.answered_at = $now
RETURN vouch.id AS id

// graph.sponsorship.MAY_BRING_IN
MATCH (s:Member {id: $member_id}) RETURN (s.status = 'active' AND NOT coalesce(s.invites_suspended, false)) AS may

// graph.sponsorship.NETWORK
MATCH (me:Member {id: $member_id})
OPTIONAL MATCH (sponsor:Member)-[r:SPONSORED]->(me)
WITH me, collect(CASE WHEN sponsor IS NULL THEN NULL ELSE
     {id: sponsor.id, name: sponsor.name, status: sponsor.status, via: r.via, at: r.at} END)
     AS sponsors
OPTIONAL MATCH (me)-[r2:SPONSORED]->(sponsee:Member)
RETURN sponsors, collect(CASE WHEN sponsee IS NULL THEN NULL ELSE
       {id: sponsee.id, name: sponsee.name, status: sponsee.status, via: r2.via, at: r2.at} END)
       AS sponsees

// graph.sponsorship.OFFER_VOUCH
MATCH (v:Member {id: $voucher_id})
MATCH (m:Member {email_key: $email_key})
WHERE (v.status = 'active' AND NOT coalesce(v.invites_suspended, false)) AND m.status = 'active' AND v <> m
  AND NOT (v)-[:SPONSORED]-(m)
  AND NOT (v)-[:OFFERED]->(:Vouch {status: 'offered'})-[:FOR]->(m)
CREATE (v)-[:OFFERED]->(:Vouch {id: $id, status: 'offered', note: $note, created_at: $now})
       -[:FOR]->(m)
CREATE (m)<-[:UNREAD]-(:Notification {id: randomUUID(), kind: 'vouch_offered', at: $now})-[:ABOUT]->(v)

RETURN $id AS id

// graph.sponsorship.SPONSORSHIPS_AMONG
MATCH (a:Member)-[:SPONSORED]->(b:Member)
WHERE a.id IN $ids AND b.id IN $ids
RETURN a.id AS sponsor, b.id AS sponsee
ORDER BY sponsor, sponsee

// graph.sponsorship.SPONSOR_PENDING
MATCH (s:Member {id: $sponsor_id})
MATCH (m:Member {id: $member_id})
WHERE (s.status = 'active' AND NOT coalesce(s.invites_suspended, false)) AND m.status = 'pending' AND s <> m
  AND NOT (s)-[:SPONSORED]-(m)
CREATE (s)-[:SPONSORED {via: 'vouch', at: $now}]->(m)
WITH m
MATCH (sponsor:Member {status: 'active'})-[:SPONSORED]->(m)
WITH m, count(sponsor) AS sponsors
SET m.status = CASE WHEN sponsors >= $required THEN 'active' ELSE m.status END
RETURN m.status AS status, sponsors

// graph.sponsorship.VOUCHES_FOR
MATCH (v:Member)-[:OFFERED]->(vouch:Vouch {status: 'offered'})-[:FOR]->(:Member {id: $member_id})
WHERE v.status = 'active'
RETURN vouch.id AS id, vouch.note AS note, v.name AS voucher_name, v.id AS voucher_id
ORDER BY vouch.created_at

// graph.trust.CIRCLE_COUNTS[3]
MATCH (me:Member {id: $member_id})
WHERE me.status = 'active'
WITH me, [{n: me, via: null}] AS frontier, 0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

RETURN [degree IN range(1, $hops) | size([c IN circle WHERE c.degree = degree])] AS counts

// graph.trust.CIRCLE_COUNTS[6]
MATCH (me:Member {id: $member_id})
WHERE me.status = 'active'
WITH me, [{n: me, via: null}] AS frontier, 0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

RETURN [degree IN range(1, $hops) | size([c IN circle WHERE c.degree = degree])] AS counts

// graph.trust.CIRCLE_MEMBERS[3]
MATCH (me:Member {id: $member_id})
WHERE me.status = 'active'
WITH me, [{n: me, via: null}] AS frontier, 0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

UNWIND circle AS c
RETURN c.n.id AS id, c.n.email AS email, c.n.name AS name, c.degree AS degree
ORDER BY degree, email

// graph.trust.CIRCLE_MEMBERS[6]
MATCH (me:Member {id: $member_id})
WHERE me.status = 'active'
WITH me, [{n: me, via: null}] AS frontier, 0 AS depth, [] AS levels

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH me, frontier, depth
  UNWIND CASE WHEN depth < $hops THEN frontier ELSE [] END AS f
  WITH me, f.n AS x, f.via AS via
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active' AND y <> me
  WITH y, head(collect(coalesce(via, y))) AS via
  RETURN collect({n: y, via: via}) AS next
}

WITH me, levels + [next] AS levels, next AS frontier, depth + 1 AS depth

CALL {
  WITH levels
  UNWIND range(1, size(levels)) AS degree
  UNWIND levels[degree - 1] AS entry
  WITH entry.n AS n, min(degree) AS degree, collect([degree, entry.via]) AS entries
  RETURN collect({n: n, degree: degree,
                  via: [e IN entries WHERE e[0] = degree][0][1]}) AS circle
}
WITH me, circle

UNWIND circle AS c
RETURN c.n.id AS id, c.n.email AS email, c.n.name AS name, c.degree AS degree
ORDER BY degree, email

// graph.trust.TRUST_PATH[3]
MATCH (me:Member {id: $from_id})
MATCH (target:Member {id: $to_id})

WITH me, target, null AS hit, 0 AS depth,
     CASE WHEN me.status = 'active' AND target.status = 'active' AND me <> target
          THEN [{n: target, walk: [target]}] ELSE [] END AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

WITH me, target, hit, me = target AND me.status = 'active' AS itself
WITH me, target,
     CASE WHEN itself THEN 0 ELSE hit.degree END AS degree,
     CASE WHEN itself THEN [me] WHEN hit IS NULL THEN null
          ELSE [me] + reverse(hit.walk) END AS path,
     CASE WHEN itself THEN 1 ELSE coalesce(hit.strength, 0) END AS strength

RETURN degree, strength, [n IN path | n {.id, .name, .email}] AS path

// graph.trust.TRUST_PATH[6]
MATCH (me:Member {id: $from_id})
MATCH (target:Member {id: $to_id})

WITH me, target, null AS hit, 0 AS depth,
     CASE WHEN me.status = 'active' AND target.status = 'active' AND me <> target
          THEN [{n: target, walk: [target]}] ELSE [] END AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

CALL {
  WITH me, frontier
  UNWIND frontier AS f
  WITH me, f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(me)
  WITH DISTINCT x, walk
  RETURN count(x) AS contacts, head(collect(walk)) AS walk
}
WITH me, target, depth + 1 AS depth, frontier,
     CASE WHEN hit IS NULL AND contacts > 0
          THEN {degree: depth + 1, strength: contacts, walk: walk} ELSE hit END AS hit
CALL {
  WITH frontier, hit, depth
  UNWIND CASE WHEN hit IS NULL AND depth < $hops THEN frontier ELSE [] END AS f
  WITH f.n AS x, f.walk AS walk
  MATCH (x)-[:SPONSORED]-(y)
  WHERE y.status = 'active'
  WITH y, head(collect(walk)) AS walk
  RETURN collect({n: y, walk: walk + [y]}) AS next
}
WITH me, target, hit, depth, next AS frontier

WITH me, target, hit, me = target AND me.status = 'active' AS itself
WITH me, target,
     CASE WHEN itself THEN 0 ELSE hit.degree END AS degree,
     CASE WHEN itself THEN [me] WHEN hit IS NULL THEN null
          ELSE [me] + reverse(hit.walk) END AS path,
     CASE WHEN itself THEN 1 ELSE coalesce(hit.strength, 0) END AS strength

RETURN degree, strength, [n IN path | n {.id, .name, .email}] AS path

