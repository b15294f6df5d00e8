"""Sources: readers that turn one kind of input into the writer's records, and never write.

Every source offers the same small interface, which graph.pipeline.run_import drives:

  name                the import's name: `source` on what it writes, the key of its (:Import)
  kind                'csv', 'deals' or 'seed': the (:Import) record's kind
  check(on_progress)  read and check every row, problems into `problems` (graph.problems):
                      raises InputError on the first one unless bad rows are skipped
  steps()             a Step(name, expected, what, records) for each write step, in order;
                      `what` is one of the record kinds below, `records` an iterator
  size                bytes the check reads (for its progress bar), or None
  rejects             where skipped rows are listed by default, or None (it skips none)
  managed             the entries of entities' `sources` this import manages (graph.write)
  articles            the ids of the articles it writes (their mentions and reports are kept in step)
  whole               True for a source rewritten whole: what it no longer holds is removed
  joined              (entities of other sources it names, every entity it names), or None:
                      it is added to the former's `sources` (graph.write.joined)
  checking            the name of its checking step in the summary table
  heading             lines to show first under the summary table (what checking found)
  notes()             lines to show last under the summary table

Modules: rows (the one reader of tabular files), crunchbase, deals, seed. A source imports rows,
graph.values, graph.names, graph.problems, graph.errors and graph.schema's names; never the
connection, the writer, the batch driver or bulk, and never another source. What a source needs
from the graph (the deals alias lookup) is handed to it as a function.
"""
from __future__ import annotations

from typing import Iterator, NamedTuple

from ..problems import Problems

# The writer's record kinds (graph.write), in the order an import writes them: what a step holds.
ARTICLES, ENTITIES, ROUNDS, FACTS = "articles", "entities", "rounds", "facts"
RECORD_KINDS = (ARTICLES, ENTITIES, ROUNDS, FACTS)


class Step(NamedTuple):
    """One write step: its name in the summary, how many records it expects, their kind, the records."""

    name: str
    expected: int
    what: str
    records: Iterator[dict]


class Source:
    """The defaults of the interface above; each source sets the rest."""

    name: str
    kind: str
    size: int | None = None
    rejects = None
    whole = False
    joined: tuple[list[str], list[str]] | None = None
    checking = "checking every row"

    def __init__(self):
        self.problems = Problems()
        self.articles: list[str] = []
        self.heading: list[str] = []

    @property
    def managed(self) -> list[str]:
        return [self.name]

    def check(self, on_progress=None) -> None:
        raise NotImplementedError

    def steps(self) -> Iterator[Step]:
        raise NotImplementedError

    def notes(self) -> list[str]:
        return []
