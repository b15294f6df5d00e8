"""Write a validated dataset into Neo4j: one transaction, MERGE on ids, nothing half-written.

The dataset is read and checked in full first (graph.dataset); only then does one write
transaction (optionally emptying the database first) merge every node and relationship on its
id and set the seed format's fields to exactly what the dataset says (graph.write: the one writer
every source uses; properties no seed field names, such as analysis scores, are kept). Loading
the same dataset twice changes nothing. Nodes and relationships the dataset does not mention are left alone, except the
alias and mention links of the dataset's own entities, which are made to match it.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import os

from . import write
from .dataset import Dataset, read_dataset
from .evidence import check_evidence
from .imports import record_load
from .resolution import apply as apply_judgements
from .schema import ENTITY_KINDS, FACT_TYPES, LINK_TYPES, ensure_schema, wipe
from .sources import RECORD_KINDS

NODE_LABELS = ("Article",) + ENTITY_KINDS + ("Alias", "Round")


@dataclass
class LoadSummary:
    """What a load did, per node label and relationship type."""

    dataset: str
    total: Counter = field(default_factory=Counter)    # how many the dataset holds
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)  # existed, properties changed
    deleted: Counter = field(default_factory=Counter)  # "nodes"/"relationships": reset and stale links
    reset: bool = False
    reset_in_batches: bool = False  # a big graph: deleted batch by batch, before the load's transaction
    notes: list[str] = field(default_factory=list)  # lines to show under the table

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values()) or any(self.deleted.values())

    def rows(self) -> list[tuple[str, int, int, int, int]]:
        """(label or type, in dataset, created, updated, unchanged) for everything the load touched."""
        out = []
        for name in NODE_LABELS + FACT_TYPES + LINK_TYPES:
            total, created, updated = self.total[name], self.created[name], self.updated[name]
            if total or created or updated:
                out.append((name, total, created, updated, max(total - created - updated, 0)))
        return out


# Up to this many nodes, --reset deletes in the load's own transaction (all or nothing); above it,
# one transaction would hold every deleted node and relationship in memory (millions of them fail
# after minutes of retries), so the graph is emptied in batches first: then a load that fails
# afterwards leaves the graph empty rather than as it was. That is the trade-off, and the CLI says so.
RESET_IN_ONE_UP_TO = 100_000


def load_dataset(conn, path=None, reset: bool = False, articles=None) -> LoadSummary:
    """Validate `path` (None: the bundled seed; or a Dataset already read), then write it in one transaction.

    With `articles` (a folder of the articles' texts), every quote is first checked against its
    article (graph.evidence.check_evidence) and nothing is written unless all are found.
    `reset` empties the database first: in the same transaction for a graph of up to
    RESET_IN_ONE_UP_TO nodes (env DEALGRAPH_RESET_IN_ONE_UP_TO), else in batches before it.
    """
    ds = path if isinstance(path, Dataset) else read_dataset(path)
    if articles is not None:
        check_evidence(ds, articles)
    ensure_schema(conn)
    deleted = None
    if reset:
        limit = int(os.environ.get("DEALGRAPH_RESET_IN_ONE_UP_TO", RESET_IN_ONE_UP_TO))
        if conn.read("MATCH (n) RETURN count(n) AS n")[0]["n"] > limit:
            deleted = wipe(conn)
    summary = conn.execute_write(_write_recorded, ds, reset and deleted is None)
    if deleted is not None:
        summary.reset = summary.reset_in_batches = True
        summary.deleted.update(deleted)
    summary.notes += apply_judgements(conn)  # the user's merges survive every load
    return summary


def _write_recorded(tx, ds: Dataset, reset: bool) -> LoadSummary:
    """_write, and if it changed the graph, a note of when (graph.imports; analyses go stale)."""
    summary = _write(tx, ds, reset)
    if summary.changed:
        from pathlib import Path


        record_load(tx, f"load:{Path(ds.path).resolve()}")
    return summary


def _write(tx, ds: Dataset, reset: bool) -> LoadSummary:
    summary = LoadSummary(dataset=str(ds.path), reset=reset)
    summary.total.update(ds.counts())
    if reset:
        result = tx.run("MATCH (n) DETACH DELETE n")
        c = result.consume().counters
        summary.deleted.update(nodes=c.nodes_deleted, relationships=c.relationships_deleted)
    records = ds.records()
    article_ids = [a["id"] for a in ds.articles]
    done = write.Counts()
    for what in RECORD_KINDS:  # the writer every import uses (graph.write.records), all in this transaction
        done.add(write.records(tx, what, records[what], managed=article_ids, article_ids=article_ids))
    summary.created.update(done.created)
    summary.updated.update(done.updated)
    summary.deleted.update(done.deleted)
    summary.total["ALIAS_OF"] = sum(len(e["keys"]) for e in records["entities"])
    summary.total["MENTIONED_IN"] = sum(len(e["sources"]) for e in ds.entities)
    summary.total["RAISED"] = summary.total["REPORTED_IN"] = len(ds.rounds)
    return summary
