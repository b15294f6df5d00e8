"""The seed source: a dataset in the seed's YAML format (graph.dataset reads and checks it), as records.

`dealgraph import seed` writes a dataset a batch per transaction (graph.pipeline); `dealgraph load`
writes the same records in one (graph.load). With `articles` (a folder of the articles' texts),
every quote is first checked against its article (graph.evidence) and the dataset is refused if
one is not there. The import's name is `seed:<the dataset's path>`; the entries of its entities'
`sources` it manages are its articles.
"""
from __future__ import annotations

from pathlib import Path

from ..dataset import read_dataset
from ..evidence import evidence_line
from ..paths import data_path
from . import RECORD_KINDS, Source, Step


class SeedSource(Source):
    kind = "seed"
    checking = "checking every record"

    def __init__(self, path=None, articles=None):
        super().__init__()
        self.path = Path(path) if path is not None else data_path("seed")
        self.name = f"seed:{self.path.resolve()}"  # cut short, the graph says so until a re-run (graph.imports)
        self.texts = articles
        self.records: dict[str, list[dict]] = {}

    @property
    def managed(self) -> list[str]:
        return self.articles

    def check(self, on_progress=None) -> None:
        dataset = read_dataset(self.path)
        if self.texts is not None:
            self.heading.append(evidence_line(dataset, self.texts))
        self.records = dataset.records()
        self.articles = [a["id"] for a in dataset.articles]

    def steps(self):
        for what in RECORD_KINDS:  # articles, then entities with their names, rounds, facts: every
            rows = self.records[what]  # reference points at nodes already written
            yield Step(what, len(rows), what, iter(rows))
