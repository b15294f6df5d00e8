"""The pure parts of graph.analytics: the projection to a co-investment network, and the scores,
checked against networkx computing the same measures on the same edges."""
from __future__ import annotations

import random

import networkx as nx
import pytest

from graph.analytics import project, score
from graph.errors import DealgraphError


def backers(seed=3, companies=120, investors=70):
    """Each company's investors, drawn at random: some twice, some companies with one investor."""
    rng = random.Random(seed)
    pool = [f"inv-{i:03d}" for i in range(investors)]
    out = []
    for _ in range(companies):
        chosen = rng.sample(pool, rng.randint(1, 6))
        out.append(chosen + chosen[:1])  # a repeated investor counts once
    return out


def expected_graph(companies, min_shared=1) -> nx.Graph:
    """The co-investment network, built the obvious way."""
    g = nx.Graph()
    for investors in companies:
        distinct = sorted(set(investors))
        for i, a in enumerate(distinct):
            for b in distinct[i + 1:]:
                w = g.get_edge_data(a, b, {"weight": 0})["weight"]
                g.add_edge(a, b, weight=w + 1)
    g.remove_edges_from([(a, b) for a, b, w in g.edges(data="weight") if w < min_shared])
    g.remove_nodes_from([n for n in list(g) if g.degree(n) == 0])
    return g


def as_networkx(p) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(p.ids)
    g.add_weighted_edges_from((p.ids[s], p.ids[t], w) for s, t, w in zip(p.source, p.target, p.weight))
    return g


@pytest.mark.parametrize("min_shared", [1, 2, 3])
def test_projection_joins_investors_of_the_same_company(min_shared):
    companies = backers()
    p = project(iter(companies), min_shared)
    want = expected_graph(companies, min_shared)
    got = as_networkx(p)
    assert p.ids == sorted(want)                                 # numbered by id
    assert {frozenset(e): w for *e, w in got.edges(data="weight")} == \
           {frozenset(e): w for *e, w in want.edges(data="weight")}
    assert all(s < t for s, t in zip(p.source, p.target))
    assert p.companies == len(companies)


def test_projection_does_not_depend_on_the_order_companies_arrive_in():
    companies = backers()
    shuffled = [list(reversed(c)) for c in reversed(companies)]
    a, b = project(companies), project(shuffled)
    assert a.ids == b.ids
    assert (a.source == b.source).all() and (a.target == b.target).all() and (a.weight == b.weight).all()


def test_projection_folds_pairs_in_chunks_to_the_same_edges(monkeypatch):
    import graph.analytics as analytics

    companies = backers(seed=5, companies=300)
    whole = project(companies)
    monkeypatch.setattr(analytics, "PAIR_BUFFER", 7)             # fold every few companies
    folded = project(companies)
    assert whole.ids == folded.ids and (whole.weight == folded.weight).all()
    assert (whole.source == folded.source).all() and (whole.target == folded.target).all()


@pytest.mark.parametrize("bad", [0, -1, 1.5, "2", True])
def test_min_shared_must_be_a_whole_number_of_at_least_one(bad):
    with pytest.raises(DealgraphError, match="min-shared"):
        project([["a", "b"]], bad)


def test_scores_equal_networkx_on_the_same_edges():
    p = project(backers())
    s = score(p)
    g = as_networkx(p)
    pagerank = nx.pagerank(g, alpha=0.85, weight="weight", tol=1e-12, max_iter=10_000)
    betweenness = nx.betweenness_centrality(g, normalized=True)
    for k, node in enumerate(p.ids):
        assert s.degree[k] == g.degree(node)
        assert s.weighted_degree[k] == g.degree(node, weight="weight")
        assert s.pagerank[k] == pytest.approx(pagerank[node], rel=1e-6)
        assert s.betweenness[k] == pytest.approx(betweenness[node], abs=1e-12)
    partition = [{p.ids[k] for k in range(p.nodes) if s.community[k] == c} for c in range(s.communities)]
    assert s.modularity == pytest.approx(nx.community.modularity(g, partition, weight="weight"), abs=1e-12)
    assert s.modularity > 0.1                                      # the random graph still has some structure
    sizes = [len(c) for c in partition]
    assert sizes == sorted(sizes, reverse=True)                   # community 0 is the largest
    assert s.parameters["betweenness"]["exact"] is True


def test_scores_are_the_same_on_a_rerun():
    p = project(backers(seed=11, companies=400, investors=200))
    first, again = score(p), score(p)
    assert (first.community == again.community).all()
    assert (first.pagerank == again.pagerank).all()


def test_betweenness_is_estimated_beyond_the_exact_size_and_says_how():
    p = project(backers(seed=4, companies=300, investors=150))
    exact = score(p).betweenness
    sampled = score(p, exact_max=10, error=0.01, seed=9)
    how = sampled.parameters["betweenness"]
    assert how["exact"] is False and how["algorithm"] == "kadabra" and how["seed"] == 9 and how["samples"] > 0
    assert not (sampled.betweenness == exact).all()
    assert abs(sampled.betweenness - exact).max() <= 0.01                  # KADABRA's guarantee
    assert (score(p, exact_max=10, error=0.01, seed=9).betweenness == sampled.betweenness).all()  # seeded
    top = int(exact.argmax())                                              # the main broker stays near the top
    assert sampled.betweenness[top] >= sorted(sampled.betweenness)[-3]


def test_an_empty_network_has_no_scores():
    p = project([["only-one"], []])
    s = score(p)
    assert p.nodes == 0 and p.edges == 0 and list(s.rows(p.ids)) == [] and s.modularity == 0.0
