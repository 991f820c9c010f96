"""Reference computations of the trust rules, in plain Python, shared by the tests that
compare the engine (or the whole app) with them: a breadth-first search over trust links,
and reachability from the founders over sponsorships.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

# Statuses a sponsor chain may pass through (graph.bans): a departed member stays a link.
CHAIN = frozenset({"active", "departed"})


@dataclass
class Community:
    """A random community: statuses by member id, undirected trust links, offers."""

    statuses: dict[str, str]
    links: set[frozenset[str]]
    offers: list[dict]

    def neighbours(self, member: str) -> list[str]:
        """Active members linked to an active member."""
        if self.statuses[member] != "active":
            return []
        return [other for link in self.links if member in link
                for other in link - {member} if self.statuses[other] == "active"]

    def distances(self, source: str) -> dict[str, int]:
        """Shortest trust distances from source, through active members only."""
        if self.statuses[source] != "active":
            return {}
        found = {source: 0}
        queue = deque([source])
        while queue:
            member = queue.popleft()
            for other in self.neighbours(member):
                if other not in found:
                    found[other] = found[member] + 1
                    queue.append(other)
        return found

    def degree(self, source: str, target: str, max_hops: int) -> int | None:
        """The degree of target seen from source, None beyond max_hops."""
        distance = self.distances(source).get(target)
        return distance if distance is not None and distance <= max_hops else None

    def strength(self, source: str, target: str, max_hops: int) -> int:
        """How many of source's contacts reach target in degree - 1 steps."""
        degree = self.degree(source, target, max_hops)
        if degree is None:
            return 0
        if degree <= 1:
            return 1
        return sum(self.distances(contact).get(target) == degree - 1
                   for contact in self.neighbours(source))

    def sees(self, viewer: str, offer: dict, max_hops: int) -> bool:
        """Whether viewer may open the offer's page: the rule of
        graph.offers.with_visible_offer, in plain Python."""
        owner = offer["owner"]
        if viewer == owner:
            return True
        if self.statuses[viewer] != "active" or self.statuses[owner] != "active":
            return False
        if offer["status"] != "active" or offer["hidden"]:
            return False
        degree = self.degree(viewer, owner, max_hops)
        return offer["visibility"] == 0 or (degree is not None and degree <= offer["visibility"])

    def feed(self, viewer: str, max_hops: int) -> list[dict]:
        """The offers of viewer's feed in its order (graph.offers.FEED): those of their
        circle first, then whole-network offers of members beyond it, each newest first."""
        shown = sorted((o for o in self.offers
                        if o["owner"] != viewer and self.sees(viewer, o, max_hops)),
                       key=lambda o: (o["created_at"], o["id"]), reverse=True)
        return sorted(shown, key=lambda o: self.degree(viewer, o["owner"], max_hops) is None)


def anchored(founders: Iterable[str], statuses: dict[str, str],
             sponsorships: Iterable[tuple[str, str]], passable: frozenset[str] = CHAIN) -> set[str]:
    """Members reachable from the founders along SPONSORED edges, through passable members."""
    below: dict[str, set[str]] = {}
    for sponsor, sponsee in sponsorships:
        below.setdefault(sponsor, set()).add(sponsee)
    reached = {f for f in founders if statuses[f] in passable}
    stack = list(reached)
    while stack:
        for sponsee in below.get(stack.pop(), ()):
            if sponsee not in reached and statuses[sponsee] in passable:
                reached.add(sponsee)
                stack.append(sponsee)
    return reached
