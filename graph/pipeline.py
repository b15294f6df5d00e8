"""One import pipeline: every `dealgraph import` and the Python API write through `run_import`.

A source (graph.sources: a Crunchbase export, deals spreadsheets, a dataset in the seed format)
only reads: it checks every row and then hands out the writer's records, step by step. Around it
this module does what every import does, in one place:

  1. the import's name checked (graph.imports.check_source); with `bulk`, the target checked
     (graph.bulk.local_target: the local server, empty) before anything is read;
  2. the timed checking step: every row read and checked (nothing written when one is bad,
     unless bad rows are skipped: then they are listed in the rejects file);
  3. the records written: in batches, one transaction each, MERGE on constrained keys
     (`write_steps`, through graph.write.records, recorded as an (:Import) that is complete only
     at the end), or with `bulk` through neo4j-admin (graph.bulk.write_steps);
  4. the user's merge decisions applied again (graph.resolution), and the summary's notes.

`import_csv`, `import_deals` and `import_seed` are the three commands' Python API.
"""
from __future__ import annotations

import logging
import time

from . import bulk, imports, write
from .batch import DEFAULT_BATCH_SIZE, StepResult, Summary, progress, write_batches
from .errors import DealgraphError
from .problems import clear_rejects
from .resolution import apply as apply_judgements
from .resolve import alias_lookup
from .schema import ensure_schema
from .sources import FACTS, ROUNDS, Source
from .sources.crunchbase import open_export
from .sources.deals import DealsSource
from .sources.seed import SeedSource

# Node steps send two batches at once so the server can use two cores; fact batches go one at a
# time, because concurrent relationship inserts on the same busy investors deadlock and retry.
NODE_WORKERS = 2


def run_import(conn, source: Source, *, batch_size: int = DEFAULT_BATCH_SIZE, show_progress: bool | None = None,
               rejects=None, bulk_import: bool = False) -> Summary:
    """Check every row of `source`, then write its records; a Summary of the timed steps.

    Raises InputError (``file:line: field: problem``) before writing anything if a row is bad,
    unless the source skips bad rows: then they go to `rejects` (default: the source's own path).
    `bulk_import`: through `neo4j-admin database import full`, only into the local server's empty
    database (anything else is refused before reading). `show_progress`: a progress bar on
    stderr (default: when stderr is a terminal).
    """
    if batch_size < 1:
        raise DealgraphError(f"batch size must be at least 1, not {batch_size}")
    source.name = imports.check_source(source.name)
    if bulk_import:
        bulk.local_target(conn)
    with progress(show_progress) as bar:
        size = source.size
        task = bar.add_task("checking", total=size, unit="bytes") if size is not None else None
        started = time.perf_counter()
        source.check(on_progress=(lambda done: bar.update(task, completed=done)) if task is not None else None)
        checked = StepResult(source.checking, seconds=time.perf_counter() - started)
        bad = len(source.problems.rejected)
        rejects_path = (rejects or source.rejects) if source.rejects is not None else None
        written = source.problems.write_rejects(rejects_path) if bad else None
        if bulk_import:
            summary = bulk.write_steps(conn, source.steps(), source=source.name, kind=source.kind, bar=bar)
        else:
            summary = write_steps(conn, source, batch_size=batch_size, bar=bar)
    summary.notes += apply_judgements(conn)  # the user's merges survive every import
    summary.steps.insert(0, checked)
    summary.notes[:0] = source.heading
    summary.rejected, summary.rejects = bad, written
    if rejects_path is not None and not bad and clear_rejects(rejects_path):
        summary.notes.append(f"Nothing rejected: removed the earlier {rejects_path}")
    summary.notes += source.notes()
    return summary


def write_steps(conn, source: Source, *, batch_size: int, bar) -> Summary:
    """The transactional writer: each step's records in batches through graph.write.records, the
    whole recorded as an (:Import) that says 'complete' only after the last batch.

    Node steps send two batches at once; fact batches one at a time. A source rewritten whole
    (`source.whole`) then loses, in one more transaction, the rounds and facts it no longer holds,
    and is in the `sources` of exactly the entities of other sources it names (`source.joined`).
    """
    name, managed, article_ids = source.name, source.managed, source.articles
    steps = list(source.steps())
    kept: dict[str, list[str]] | None = {ROUNDS: [], FACTS: []} if source.whole else None

    def writer(what):  # a batched import reports what it created, not what it updated (track=False)
        return lambda tx, rows: write.records(tx, what, rows, managed=managed, article_ids=article_ids, track=False)

    ensure_schema(conn)
    imports.begin(conn, name, source.kind, sum(step.expected for step in steps))
    summary = Summary()
    driver_log = logging.getLogger("neo4j")
    level = driver_log.level
    driver_log.setLevel(logging.ERROR)  # a deadlock between our own batches is retried: not news
    try:
        for step in steps:
            records = step.records if kept is None or step.what not in kept else _noted(step.records, kept[step.what])
            task = bar.add_task(step.name, total=step.expected)
            summary.steps.append(write_batches(
                conn, writer(step.what), records, batch_size=batch_size, step=StepResult(step.name),
                advance=lambda n, t=task: bar.advance(t, n), workers=1 if step.what == FACTS else NODE_WORKERS))
    finally:
        driver_log.setLevel(level)
    if kept is not None:
        conn.execute_write(lambda tx: (write.sweep(tx, name, kept[ROUNDS], kept[FACTS]),
                                       source.joined and write.joined(tx, name, *source.joined)))
    imports.finish(conn, name)  # only now does the graph say this import is whole
    return summary


def _noted(records, ids: list[str]):
    """The records, each one's id noted in `ids` as it passes."""
    for record in records:
        ids.append(record["id"])
        yield record


# -- the commands' Python API ------------------------------------------------------------------------
def import_csv(conn, folder, *, batch_size: int = DEFAULT_BATCH_SIZE, source: str | None = None,
               show_progress: bool | None = None, skip_invalid: bool = False, rejects=None,
               bulk: bool = False) -> Summary:
    """Import a Crunchbase export folder (graph.sources.crunchbase): v4 or the flat 2015 file.

    Bad rows stop the import before anything is written, unless `skip_invalid`: then they (and the
    rows referring to them) are left out and listed in `rejects` (default ``<folder>.rejects.csv``).
    `source`: the import's name [default ``crunchbase:<folder name>``].
    """
    export = open_export(folder, source, skip_invalid=skip_invalid)
    return run_import(conn, export, batch_size=batch_size, show_progress=show_progress, rejects=rejects,
                      bulk_import=bulk)


def import_deals(conn, paths, *, columns: dict[str, str] | None = None, source: str | None = None,
                 skip_invalid: bool = False, rejects=None, batch_size: int = DEFAULT_BATCH_SIZE,
                 show_progress: bool | None = None, on_mapping=None, bulk: bool = False, order: str | None = None,
                 nulls=()) -> Summary:
    """Import deals spreadsheets (graph.sources.deals): names joined to the graph through its alias index.

    The summary's notes say how many rows, rounds (split ones counted) and names (joined vs new)
    there were. Re-importing the same source leaves no round or investment it no longer holds.
    `on_mapping(file, mapping)` hears each file's columns as soon as they are chosen. `order`
    ("day"/"month") reads numeric dates (--dayfirst/--monthfirst); `nulls` adds placeholders (--null).
    """
    deals = DealsSource(paths, lookup=lambda keys: alias_lookup(conn, keys), columns=columns, name=source,
                        skip_invalid=skip_invalid, on_mapping=on_mapping, order=order, nulls=nulls)
    return run_import(conn, deals, batch_size=batch_size, show_progress=show_progress, rejects=rejects,
                      bulk_import=bulk)


def import_seed(conn, path=None, *, batch_size: int = DEFAULT_BATCH_SIZE, show_progress: bool | None = None,
                bulk: bool = False, articles=None) -> Summary:
    """Write a dataset in the seed format (default: the bundled seed) a batch per transaction.

    `articles`: a folder of the articles' texts; every quote is first checked against its article.
    """
    return run_import(conn, SeedSource(path, articles=articles), batch_size=batch_size,
                      show_progress=show_progress, bulk_import=bulk)
