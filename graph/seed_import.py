"""dealgraph's own dataset format (the seed's YAML) at scale: written in batches, not one transaction.

`dealgraph load` writes a dataset in ONE transaction (all or nothing), which is right for the
seed and grows the server's transaction memory with the dataset. `import_seed` reads and
checks the same format with the same code (graph.dataset.read_dataset: bad input is refused
before anything is written) and then writes it with the same statements (graph.load), a batch
of records per transaction: articles, then entities with their names, rounds, and facts, so
that every reference points at nodes already written. Like `load`, writing twice changes nothing.
Like `dealgraph import csv`, it records itself as an (:Import) that is 'complete' only at the end.
"""
from __future__ import annotations

from pathlib import Path

from . import bulk as bulk_import, imports
from .batch import DEFAULT_BATCH_SIZE, StepResult, Summary, batches, progress
from .bulk import local_target
from .dataset import read_dataset
from .evidence import evidence_line
from .load import write_records
from .resolution import apply as apply_judgements
from .schema import ensure_schema


def import_seed(conn, path, *, batch_size: int = DEFAULT_BATCH_SIZE, show_progress: bool | None = None,
                bulk: bool = False, articles=None) -> Summary:
    """Check the dataset at `path`, then write it `batch_size` records per transaction.

    `bulk`: through `neo4j-admin database import full` into the local server's empty database (graph.bulk).
    `articles`: a folder of the articles' texts; every quote is first checked against its article,
    as `load --articles` does (graph.evidence), and the dataset is refused if one is not there.
    """
    import time


    if bulk:
        local_target(conn)
    started = time.perf_counter()
    ds = read_dataset(path)
    notes = []
    if articles is not None:
        notes.append(evidence_line(ds, articles))
    records = ds.records()
    checked = StepResult("checking every record", seconds=time.perf_counter() - started)
    article_ids = [a["id"] for a in ds.articles]
    parts = [(name, records[name]) for name in ("articles", "entities", "rounds", "facts")]
    source = f"seed:{Path(ds.path).resolve()}"  # cut short, the graph says so until a re-run (graph.imports)
    if bulk:
        with progress(show_progress) as bar:
            summary = bulk_import.write_steps(conn, [(name, len(rows), name, iter(rows)) for name, rows in parts],
                                              source=source, kind="seed", bar=bar)
        summary.steps.insert(0, checked)
        summary.notes[:0] = notes
        return summary
    ensure_schema(conn)
    summary = Summary(steps=[checked], notes=notes)
    imports.begin(conn, source, "seed", sum(len(rows) for _, rows in parts))
    with progress(show_progress) as bar:
        for name, rows in parts:
            step = StepResult(name)
            task = bar.add_task(name, total=len(rows))
            started = time.perf_counter()
            for chunk in batches(rows, batch_size):
                done = conn.execute_write(write_records, {name: chunk}, article_ids)
                step.rows += len(chunk)
                step.nodes_created += done.nodes_created
                step.relationships_created += done.relationships_created
                bar.advance(task, len(chunk))
            step.seconds = time.perf_counter() - started
            summary.steps.append(step)
    imports.finish(conn, source)
    summary.notes += apply_judgements(conn)  # the user's merges survive every import
    return summary
