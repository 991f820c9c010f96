"""Every trust computation agrees with an independent reference: a breadth-first search in
Python over the same random graphs, with pending, suspended and banned members among them.

Each example builds a graph of at most 30 members, their sponsorships and their offers on the
real engine in one write (a fresh graph of its own), then compares, for every member and a
random maximum degree: the circle and its counts per degree, the whole feed (so the
visibility of every offer), and for a spread of pairs the degree, path, strength, profile
and offer page.
"""

from __future__ import annotations

import pytest
from engines import new_graph_name
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import Community

from graph import offers, trust
from graph.engine import GraphEngine
from graph.errors import NotFound

STATUSES = ("active", "active", "active", "active", "pending", "suspended", "banned")

BUILD = """
UNWIND $members AS m
CREATE (n:Member {id: m.id, name: m.name, email: m.email, status: m.status})
WITH collect(n) AS nodes
FOREACH (link IN $links |
  FOREACH (a IN [n IN nodes WHERE n.id = link.sponsor] |
    FOREACH (b IN [n IN nodes WHERE n.id = link.sponsee] | CREATE (a)-[:SPONSORED]->(b))))
FOREACH (offer IN $offers |
  FOREACH (owner IN [n IN nodes WHERE n.id = offer.owner] |
    CREATE (owner)-[:OFFERS]->(:Offer {
      id: offer.id, title: offer.id, description: 'reference', category: 'tools',
      area: 'Lyon', currency: 'EUR', visibility: offer.visibility, status: offer.status,
      hidden: offer.hidden, created_at: offer.created_at, updated_at: offer.created_at})))
RETURN size(nodes) AS members
"""


@st.composite
def communities(draw) -> Community:
    """Members each sponsored by 1 to 3 earlier ones (so circles overlap), in any status."""
    size = draw(st.integers(min_value=1, max_value=30))
    ids = [f"m{n}" for n in range(size)]
    statuses = {member: draw(st.sampled_from(STATUSES)) for member in ids}
    links = {frozenset((ids[sponsor], ids[n])) for n in range(1, size)
             for sponsor in draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=3))}
    offer = st.fixed_dictionaries({
        "owner": st.sampled_from(ids), "visibility": st.sampled_from(offers.VISIBILITIES),
        "status": st.sampled_from(("active", "active", "active", "paused", "closed")),
        "hidden": st.sampled_from((False, False, False, True)),
    })
    drawn = draw(st.lists(offer, max_size=12))
    return Community(statuses, links, [{**o, "id": f"o{n}", "created_at": 1000.0 + n}
                                       for n, o in enumerate(drawn)])


@pytest.fixture
def fresh_engine(backend):
    """A factory of fresh (empty) graphs on the test's engine, each dropped afterwards."""
    made: list[GraphEngine] = []

    def make() -> GraphEngine:
        made.append(backend.open_engine(new_graph_name()))
        made[-1].drop_graph()
        return made[-1]

    yield make
    for engine in made:
        engine.drop_graph()
        engine.close()


def build(engine: GraphEngine, community: Community) -> None:
    """Write the community in one statement."""
    members = [{"id": member, "name": member.upper(), "email": f"{member}@reference.test",
                "status": status} for member, status in community.statuses.items()]
    # Trust ignores the direction of a sponsorship: any fixed one will do.
    links = [{"sponsor": a, "sponsee": b} for a, b in (sorted(link) for link in community.links)]
    engine.write(BUILD, {"members": members, "links": links, "offers": community.offers})


def check_path(community: Community, source: str, target: str, max_hops: int,
               found: trust.TrustPath | offers.OfferView) -> None:
    """Same degree and strength as the reference, and a shortest path of active members."""
    degree = community.degree(source, target, max_hops)
    assert found.degree == degree
    assert found.strength == community.strength(source, target, max_hops)
    if degree is None:
        assert found.path is None
        return
    steps = [step.id for step in found.path]
    assert steps[0] == source and steps[-1] == target and len(steps) == degree + 1
    assert all(community.statuses[step] == "active" for step in steps)
    assert all(frozenset(pair) in community.links for pair in zip(steps, steps[1:], strict=False))


# fresh_engine makes a new graph per example, so sharing the fixture between examples is safe.
SHARED_FIXTURE = [HealthCheck.function_scoped_fixture]


@settings(max_examples=50, deadline=None, suppress_health_check=SHARED_FIXTURE)
@given(community=communities(), max_hops=st.integers(1, trust.MAX_HOPS))
def test_trust_and_visibility_agree_with_a_reference_search(fresh_engine, community, max_hops):
    engine = fresh_engine()
    build(engine, community)
    members = list(community.statuses)

    def spread(index: int, steps: tuple[int, ...]) -> set[str]:
        return {members[(index + step) % len(members)] for step in steps}

    for index, viewer in enumerate(members):
        expected_circle = sorted(
            (degree, f"{member}@reference.test")
            for member, degree in community.distances(viewer).items()
            if 0 < degree <= max_hops)
        circle = trust.circle_members(engine, viewer, max_hops)
        assert [(m.degree, m.email) for m in circle] == expected_circle
        assert trust.circle_counts(engine, viewer, max_hops) == [
            sum(degree == d for degree, _ in expected_circle) for d in range(1, max_hops + 1)]

        feed = offers.feed(engine, viewer, max_hops, per_page=100)
        assert [item.offer.id for item in feed.items] == [
            o["id"] for o in community.feed(viewer, max_hops)]
        for item in feed.items:
            assert item.degree == community.degree(viewer, item.owner.id, max_hops)
            if item.degree is not None:
                assert community.distances(item.via.id).get(item.owner.id) == item.degree - 1
                assert item.via.id in community.neighbours(viewer)

        # Itself and a spread of others: over many random graphs, every kind of pair.
        for target in spread(index, (0, 1, 7)):
            check_path(community, viewer, target, max_hops,
                       trust.trust_path(engine, viewer, target, max_hops))
        target = members[(index + 3) % len(members)]
        degree = community.degree(viewer, target, max_hops)
        if degree is None:
            with pytest.raises(NotFound):
                offers.profile_for(engine, viewer, target, max_hops)
        else:
            profile = offers.profile_for(engine, viewer, target, max_hops)
            assert profile.degree == degree
            assert {o.id for o in profile.offers} == {
                o["id"] for o in community.offers if o["owner"] == target
                and o["status"] == "active" and not o["hidden"]
                and (o["visibility"] == 0 or o["visibility"] >= degree)}

    # The page of each offer, for its owner and a spread of others.
    for number, offer in enumerate(community.offers):
        for viewer in spread(number, (0, 2, 9)) | {offer["owner"]}:
            if community.sees(viewer, offer, max_hops):
                check_path(community, viewer, offer["owner"], max_hops,
                           offers.offer_for(engine, viewer, offer["id"], max_hops))
            else:
                with pytest.raises(NotFound):
                    offers.offer_for(engine, viewer, offer["id"], max_hops)


@settings(max_examples=25, deadline=None, suppress_health_check=SHARED_FIXTURE)
@given(community=communities(), max_degree=st.none() | st.integers(1, 3),
       per_page=st.integers(1, 4))
def test_feed_filters_and_pages_agree_with_the_reference(fresh_engine, community, max_degree,
                                                          per_page):
    engine = fresh_engine()
    build(engine, community)
    viewer = "m0"
    degrees = {o["id"]: community.degree(viewer, o["owner"], 3) for o in community.offers}
    within = [o["id"] for o in community.feed(viewer, 3) if max_degree is None
              or (degrees[o["id"]] is not None and degrees[o["id"]] <= max_degree)]
    pages, page = [], 1
    while True:
        found = offers.feed(engine, viewer, 3, page=page, per_page=per_page,
                            max_degree=max_degree)
        pages += [item.offer.id for item in found.items]
        if not found.has_next:
            break
        page += 1
    assert pages == within
