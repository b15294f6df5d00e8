"""Who matters in the co-investment network: centrality and communities, written onto the entities.

Two investors are joined when they back the same company; the edge's weight is how many companies
they back together. `analyze(conn)` reads that network with ONE read query (each company's
distinct investors, company by company, so the server streams and never aggregates the whole
graph), builds the projection in Python and scores every investor in it:

  degree           how many distinct co-investors it has
  weighted_degree  the same, counting each co-investor once per company backed together
  pagerank         weighted PageRank (damping 0.85): high when it co-invests a lot with investors
                   that themselves co-invest a lot
  betweenness      the share of shortest co-investment paths (in hops) between other investors that
                   run through it: the brokers between groups. Exact up to EXACT_BETWEENNESS_MAX
                   investors; beyond, estimated by sampling shortest paths (KADABRA, Borassi and
                   Natale 2016) to within BETWEENNESS_ERROR of the exact value for every investor
                   with BETWEENNESS_CONFIDENCE, with a fixed seed; the number of paths sampled and
                   the seed are recorded in the Analysis's `parameters`. (Sampling whole BFS trees
                   from 64 sources instead took 20x longer on the bench graphs for a worse top 10.)
  community        Louvain communities (weighted, fixed seed, so a re-run gives the same answer),
                   numbered by size: 0 is the largest

The scores are written back in batches as Entity properties of exactly those names (investors no
longer in the network lose theirs), and the run is recorded as one
(:Analysis {id, ran_at, status, as_of, min_shared, nodes, edges, communities, modularity, investments,
parameters}): status 'running' until the last score is written, then 'complete'.

Memory is bounded by the projection, not by the investment rows: rows arrive a company at a time and
only their investor pairs are kept, as numpy arrays that are summed into distinct edges every
PAIR_BUFFER pairs (one 8-byte key and one weight per edge). The scoring engine is networkit (MIT,
C++): networkx, the reference the tests compare against, needed 8 s to build its graph, 45 s for
Louvain and 2.4 s per betweenness source (470 MB) on the 100,000-investment bench graph (413,160
ties), where networkit took about 1 s for each of graph, PageRank and Louvain (160 MB); the
1,000,000-investment graph has 10x the ties. (Both measured on the same busy shared machine.)
PageRank agrees with networkx's to a relative 1e-6, exact betweenness to 1e-12 (the tests).

Staleness: an analysis describes the graph as it was when it ran. `stale_warning(conn)` says so once
the graph has changed since: any load or import recorded after `ran_at` (graph.imports: every batched
import, and every `dealgraph load` that changed something, leaves an (:Import) with its times), a
different number of investments (Neo4j's count store answers that without reading a row), or fewer
scored investors than the analysis wrote (`dealgraph load` sets an entity's properties to exactly the
dataset's, scores included; the `community` index counts them). Writes by other programs that change
dates or properties without adding or removing investments are not noticed.
"""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from . import values
from .batch import progress, write_batches
from .errors import DealgraphError
from .schema import ensure_schema

SCORES = ("degree", "weighted_degree", "pagerank", "betweenness", "community")
DAMPING = 0.85
PAGERANK_TOLERANCE = 1e-8
SEED = 42
EXACT_BETWEENNESS_MAX = 5_000   # investors: exact betweenness costs O(nodes x edges)
BETWEENNESS_ERROR = 0.01        # beyond that, estimated to within this (absolute, normalized) ...
BETWEENNESS_CONFIDENCE = 0.9    # ... for every investor at once, with this probability (KADABRA)
PAIR_BUFFER = 4_000_000         # investor pairs held before they are summed into edges
RUNNING, COMPLETE = "running", "complete"

# The one read: each company's distinct investors (as of a date). The CALL runs per company, so the
# server streams rows instead of grouping every investment at once.
NETWORK_QUERY = """
MATCH (company:Entity) WHERE EXISTS { (company)<-[:INVESTED_IN]-(:Entity) }
CALL (company) {
  MATCH (company)<-[r:INVESTED_IN]-(investor:Entity)
  WHERE $as_of IS NULL OR (r.date IS NULL OR left(r.date, size($as_of)) <= $as_of) AND coalesce(r.until + '~' > $as_of + '~', true)
  RETURN collect(DISTINCT investor.id) AS investors
}
WITH investors WHERE size(investors) > 1
RETURN investors
"""


# -- the projection (pure) ------------------------------------------------------------------------
@dataclass
class Projection:
    """The co-investment network: investors (entity ids, sorted) and weighted undirected edges.

    Edge k joins ids[source[k]] and ids[target[k]] (source < target) with weight[k] companies in
    common; edges are sorted by (source, target), so the same graph always gives the same arrays.
    """

    ids: list
    source: "np.ndarray"
    target: "np.ndarray"
    weight: "np.ndarray"
    companies: int = 0   # companies with at least two investors, read

    @property
    def nodes(self) -> int:
        return len(self.ids)

    @property
    def edges(self) -> int:
        return len(self.source)


def project(company_investors: Iterable[list], min_shared: int = 1, advance=None) -> Projection:
    """The co-investment network of an iterable of each company's investors (entity ids).

    Investors listed twice for one company count once. Edges backed by fewer than `min_shared`
    companies are dropped, and investors left without an edge are not in the network. `advance(n)`
    is called every 1,000 companies (a progress bar).
    """
    import numpy as np

    if not isinstance(min_shared, int) or isinstance(min_shared, bool) or min_shared < 1:
        raise DealgraphError(f"min-shared must be a whole number of at least 1, not {min_shared!r}")
    index: dict[str, int] = {}
    keys = np.empty(0, np.int64)
    weights = np.empty(0, np.int64)
    by_size: dict[int, list] = {}   # companies not yet paired, by their number of investors
    held = companies = 0

    def fold(keys, weights):
        """Pair the held companies' investors and sum the pairs into the distinct edges so far.

        Companies with the same number of investors are paired together, as one matrix (a row per
        company) indexed by the upper triangle: numpy works per size, not per company."""
        pending = [keys]
        counts = [weights]
        for size, rows in by_size.items():
            members = np.array(rows, np.int64)
            i, j = np.triu_indices(size, 1)
            pending.append(((members[:, i] << 32) | members[:, j]).ravel())   # rows are sorted: i's < j's
            counts.append(np.ones(len(pending[-1]), np.int64))
        by_size.clear()
        distinct, where = np.unique(np.concatenate(pending), return_inverse=True)
        summed = np.bincount(where.ravel(), weights=np.concatenate(counts), minlength=len(distinct))
        return distinct, summed.astype(np.int64)

    for investors in company_investors:
        members = sorted({index.setdefault(i, len(index)) for i in investors})
        companies += 1
        if advance and companies % 1000 == 0:
            advance(1000)
        size = len(members)
        if size < 2:
            continue
        by_size.setdefault(size, []).append(members)
        held += size * (size - 1) // 2
        if held >= PAIR_BUFFER:
            keys, weights = fold(keys, weights)
            held = 0
    if advance:
        advance(companies % 1000)
    if by_size:
        keys, weights = fold(keys, weights)
    keep = weights >= min_shared
    keys, weights = keys[keep], weights[keep]
    # Number the investors in the network by id, so the same graph gives the same numbering (and
    # the same communities) whatever order the server streamed the companies in.
    first_seen = np.array(list(index), dtype=object)
    source, target = keys >> 32, keys & 0xFFFFFFFF
    present = np.unique(np.concatenate([source, target]))
    order = present[np.argsort(first_seen[present].astype(str), kind="stable")]
    number = np.full(len(index), -1, np.int64)
    number[order] = np.arange(len(order))
    a, b = number[source], number[target]
    source, target = np.minimum(a, b), np.maximum(a, b)
    sort = np.lexsort((target, source))
    return Projection([str(x) for x in first_seen[order]], source[sort], target[sort],
                      weights[sort].astype(np.float64), companies)


# -- the scores (pure) ------------------------------------------------------------------------------
@dataclass
class Scores:
    """Every investor's scores (arrays in Projection order), the modularity, and how they were made."""

    degree: "np.ndarray"
    weighted_degree: "np.ndarray"
    pagerank: "np.ndarray"
    betweenness: "np.ndarray"
    community: "np.ndarray"
    modularity: float
    parameters: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)

    @property
    def communities(self) -> int:
        return int(self.community.max()) + 1 if len(self.community) else 0

    def rows(self, ids) -> Iterator[dict]:
        """One row per investor, as written onto its entity."""
        for k, entity in enumerate(ids):
            yield {"id": entity, "degree": int(self.degree[k]), "weighted_degree": int(self.weighted_degree[k]),
                   "pagerank": float(self.pagerank[k]), "betweenness": float(self.betweenness[k]),
                   "community": int(self.community[k])}


def score(p: Projection, *, seed: int = SEED, exact_max: int = EXACT_BETWEENNESS_MAX,
          error: float = BETWEENNESS_ERROR, step=None) -> Scores:
    """Degree, weighted degree, PageRank, betweenness and Louvain communities of a projection.

    `step(name)` is called before each computation (progress); the seconds each took are returned.
    Deterministic: one thread and a fixed seed, so the same projection gives the same scores.
    """
    import numpy as np
    import networkit as nk

    seconds: dict[str, float] = {}
    n = p.nodes
    exact = n <= exact_max
    parameters = {
        "engine": f"networkit {nk.__version__}",
        "pagerank": {"damping": DAMPING, "weighted": True, "tolerance": PAGERANK_TOLERANCE},
        "betweenness": {"exact": exact, "exact_max_nodes": exact_max, "weighted": False, "normalized": True,
                        **({} if exact else {"algorithm": "kadabra", "error": error,
                                             "confidence": BETWEENNESS_CONFIDENCE, "seed": seed})},
        "community": {"algorithm": "louvain", "weighted": True, "resolution": 1.0, "seed": seed},
    }
    if n == 0:
        empty = np.empty(0)
        return Scores(empty, empty, empty, empty, np.empty(0, np.int64), 0.0, parameters, seconds)
    nk.engineering.setNumberOfThreads(1)   # with a fixed seed, one thread is what makes Louvain repeatable
    nk.engineering.setSeed(seed, False)

    def timed(name, work):
        if step:
            step(name)
        started = time.perf_counter()
        out = work()
        seconds[name] = time.perf_counter() - started
        return out

    degree = np.bincount(p.source, minlength=n) + np.bincount(p.target, minlength=n)
    weighted = (np.bincount(p.source, weights=p.weight, minlength=n)
                + np.bincount(p.target, weights=p.weight, minlength=n))
    ends = (p.source.astype(np.uint64), p.target.astype(np.uint64))
    weighted_graph = timed("graph", lambda: nk.GraphFromCoo((p.weight, ends), n=n, weighted=True, directed=False))

    def pagerank():
        pr = nk.centrality.PageRank(weighted_graph, damp=DAMPING, tol=PAGERANK_TOLERANCE)
        pr.run()
        return np.array(pr.scores())

    def betweenness():
        # In hops: a co-investment tie is a tie however many companies it shares.
        hops = nk.GraphFromCoo((np.ones(p.edges), ends), n=n, weighted=False, directed=False)
        if exact:
            algorithm = nk.centrality.Betweenness(hops, normalized=True)
            algorithm.run()
            return np.array(algorithm.scores())
        algorithm = nk.centrality.KadabraBetweenness(hops, error, 1 - BETWEENNESS_CONFIDENCE)
        algorithm.run()
        parameters["betweenness"]["samples"] = algorithm.getNumberOfIterations()
        # KADABRA's scores come out twice the normalized betweenness of networkx and of the exact
        # count above (measured: ratio 2.0 on test graphs, within its error): halved, the same measure.
        return np.array(algorithm.scores()) / 2

    def communities():
        plm = nk.community.PLM(weighted_graph, refine=False, gamma=1.0, par="none")
        plm.run()
        partition = plm.getPartition()   # held: networkit crashes if the Partition is a temporary
        raw = np.array(partition.getVector(), np.int64)
        # Number communities by size (0: the largest), ties by their first investor id.
        labels, first, sizes = np.unique(raw, return_index=True, return_counts=True)
        rank = np.lexsort((first, -sizes))
        renumber = np.empty(len(labels), np.int64)
        renumber[rank] = np.arange(len(labels))
        modularity = nk.community.Modularity().getQuality(partition, weighted_graph)
        return renumber[np.searchsorted(labels, raw)], modularity

    pr = timed("pagerank", pagerank)
    bc = timed("betweenness", betweenness)
    community, modularity = timed("communities", communities)
    return Scores(degree, weighted, pr, bc, community, modularity, parameters, seconds)


# -- against Neo4j ----------------------------------------------------------------------------------
@dataclass
class Analysis:
    """What one `analyze` did: the record it wrote, and the seconds each step took."""

    id: str
    as_of: str | None
    min_shared: int
    nodes: int
    edges: int
    communities: int
    modularity: float
    investments: int
    parameters: dict
    cleared: int = 0
    seconds: dict = field(default_factory=dict)


def read_network(conn, as_of: str | None = None) -> Iterator[list]:
    """Each company's distinct investor ids (companies with two or more), streamed by one read query."""
    def work(tx):
        for record in tx.run(NETWORK_QUERY, as_of=as_of):
            yield record[0]

    # A generator cannot be a managed transaction's work (it would run after the transaction
    # closed), so the rows are streamed in a session's own read transaction.
    with conn.session(default_access_mode="READ", fetch_size=2000) as session:
        with session.begin_transaction() as tx:
            yield from work(tx)


def check_as_of(as_of):
    if as_of is None:
        return None
    try:
        return values.date(as_of)
    except ValueError as exc:
        raise DealgraphError(f"as-of: {exc}") from None


WRITE_SCORES = """
UNWIND $rows AS row
MATCH (e:Entity {id: row.id})
SET e.degree = row.degree, e.weighted_degree = row.weighted_degree, e.pagerank = row.pagerank,
    e.betweenness = row.betweenness, e.community = row.community
"""
CLEAR_SCORES = """
UNWIND $rows AS row
MATCH (e:Entity {id: row})
REMOVE e.degree, e.weighted_degree, e.pagerank, e.betweenness, e.community
"""


def analyze(conn, as_of: str | None = None, min_shared: int = 1, *, show_progress: bool | None = None,
            batch_size: int = 5000, seed: int = SEED) -> Analysis:
    """Build the co-investment network, score every investor, write the scores, record the run."""
    as_of = check_as_of(as_of)
    if not isinstance(min_shared, int) or isinstance(min_shared, bool) or min_shared < 1:
        raise DealgraphError(f"min-shared must be a whole number of at least 1, not {min_shared!r}")
    ensure_schema(conn)
    run_id = str(uuid.uuid4())
    seconds: dict[str, float] = {}
    # Recorded first, with the time it started reading: a load or import after this makes it stale.
    investments = conn.write(
        "CREATE (a:Analysis {id: $id, ran_at: datetime(), status: $running, as_of: $as_of, min_shared: $min}) "
        "WITH a CALL { MATCH ()-[r:INVESTED_IN]->() RETURN count(r) AS investments } "
        "SET a.investments = investments RETURN investments",
        {"id": run_id, "running": RUNNING, "as_of": as_of, "min": min_shared})[0]["investments"]
    with progress(show_progress) as bar:
        task = bar.add_task("read network", total=None, unit="companies")
        started = time.perf_counter()
        network = project(read_network(conn, as_of), min_shared, advance=lambda n: bar.advance(task, n))
        seconds["read and project"] = time.perf_counter() - started
        bar.update(task, total=network.companies, completed=network.companies)

        steps = bar.add_task("score", total=4, unit="steps")
        scores = score(network, seed=seed, step=lambda name: (bar.update(steps, description=name),
                                                               bar.advance(steps, 1)))
        bar.update(steps, description="score", completed=4)
        seconds.update(scores.seconds)

        task = bar.add_task("write scores", total=network.nodes)
        started = time.perf_counter()
        write_batches(conn, WRITE_SCORES, scores.rows(network.ids), batch_size=batch_size, workers=2,
                      advance=lambda n: bar.advance(task, n))
        seconds["write scores"] = time.perf_counter() - started

        started = time.perf_counter()
        scored = {r["id"] for r in conn.read("MATCH (e:Entity) WHERE e.community IS NOT NULL RETURN e.id AS id")}
        stale = sorted(scored - set(network.ids))
        if stale:
            task = bar.add_task("clear old scores", total=len(stale))
            write_batches(conn, CLEAR_SCORES, stale, batch_size=batch_size, advance=lambda n: bar.advance(task, n))
        seconds["clear old scores"] = time.perf_counter() - started

    result = Analysis(run_id, as_of, min_shared, network.nodes, network.edges, scores.communities,
                      scores.modularity, investments, scores.parameters, len(stale), seconds)
    conn.write("MATCH (a:Analysis {id: $id}) SET a.status = $complete, a.nodes = $nodes, a.edges = $edges, "
               "a.communities = $communities, a.modularity = $modularity, a.parameters = $parameters",
               {"id": run_id, "complete": COMPLETE, "nodes": result.nodes, "edges": result.edges,
                "communities": result.communities, "modularity": result.modularity,
                "parameters": json.dumps(result.parameters, sort_keys=True)})
    return result


def latest(conn) -> dict | None:
    """The last analysis recorded (its properties, `parameters` decoded), or None."""
    rows = conn.read("MATCH (a:Analysis) RETURN properties(a) AS a ORDER BY a.ran_at DESC LIMIT 1")
    if not rows:
        return None
    record = dict(rows[0]["a"])
    record["ran_at"] = str(record["ran_at"])
    if isinstance(record.get("parameters"), str):
        record["parameters"] = json.loads(record["parameters"])
    return record


STALENESS_QUERY = """
MATCH (a:Analysis) WITH a ORDER BY a.ran_at DESC LIMIT 1
CALL (a) {
  OPTIONAL MATCH (i:Import)
  WHERE i.started > a.ran_at OR i.finished > a.ran_at OR i.changed > a.ran_at
  RETURN collect(i.source) AS later
}
CALL () { MATCH ()-[r:INVESTED_IN]->() RETURN count(r) AS investments }
CALL () { MATCH (e:Entity) WHERE e.community IS NOT NULL RETURN count(e) AS scored }
RETURN a.status AS status, toString(a.ran_at) AS ran_at, a.investments AS then, investments AS now, later,
       a.nodes AS nodes, scored
"""


def stale_warning(conn) -> str | None:
    """One line telling a user the scores describe an older graph (or a cut-short run), or None."""
    rows = conn.read(STALENESS_QUERY)
    if not rows:
        return None
    row = rows[0]
    when = row["ran_at"][:19]
    if row["status"] != COMPLETE:
        return (f"warning: the co-investment analysis started {when} did not finish (or is still running): "
                "scores may be missing or mixed; run `dealgraph analyze` again")
    if row["later"]:
        what = f"the graph was loaded or imported since ({', '.join(map(repr, row['later']))})"
    elif row["now"] != row["then"]:
        what = f"the graph has {row['now'] - (row['then'] or 0):+,} investments since"
    elif row["scored"] != row["nodes"]:  # e.g. a load set some entities' properties to the dataset's
        what = f"{row['nodes'] - row['scored']:,} of its {row['nodes']:,} investors have lost their scores since"
    else:
        return None
    return f"warning: the co-investment analysis of {when} is stale: {what}; run `dealgraph analyze` again"
