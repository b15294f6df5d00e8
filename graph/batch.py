"""Batched writes: stream rows into Neo4j as `UNWIND $rows AS row MERGE ...`, one transaction a batch.

Memory stays bounded whatever the input size: rows come from a generator and only the batches in
flight are held. (Preparing batches in a helper thread was tried and dropped: rows built in one
thread and freed in another made the process grow with every batch, ~190 MB per million rows.) Each
batch is a managed write transaction, so the driver retries it on transient errors; because every
statement MERGEs on a constrained key, a retried or repeated batch changes nothing.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

DEFAULT_BATCH_SIZE = 5000


@dataclass
class StepResult:
    """What one step wrote: rows sent, what the server says it created or changed, and how long it took."""

    name: str
    rows: int = 0
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass
class Summary:
    """The result of a batched load: one StepResult per step, in order."""

    steps: list[StepResult] = field(default_factory=list)
    rejected: int = 0                # rows left out (--skip-invalid) ...
    rejects: object = None           # ... and the file that lists them
    notes: list[str] = field(default_factory=list)  # lines to show under the table

    # What the steps add up to: rows sent, seconds, nodes and relationships created.
    rows = property(lambda self: sum(s.rows for s in self.steps))
    seconds = property(lambda self: sum(s.seconds for s in self.steps))
    nodes_created = property(lambda self: sum(s.nodes_created for s in self.steps))
    relationships_created = property(lambda self: sum(s.relationships_created for s in self.steps))


def batches(rows: Iterable, size: int) -> Iterator[list]:
    """Lists of at most `size` items from any iterable, without reading ahead further."""
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_batches(conn, cypher: str | Callable, rows: Iterable[dict], *, batch_size: int = DEFAULT_BATCH_SIZE,
                  params: dict | None = None, step: StepResult | None = None,
                  advance: Callable[[int], None] | None = None, workers: int = 1) -> StepResult:
    """Send `rows` through `cypher` (which must start with `UNWIND $rows AS row`) in batches.

    `cypher` may instead be a function `(tx, batch)` returning the server's counters (graph.write's
    writers are such functions).

    Each batch is one managed write transaction with `$rows` and any other `params`. With
    `workers` > 1, that many batches are in flight at once (each in its own transaction; the
    driver retries one that deadlocks with another), so the server can use more than one core;
    at most `workers` + 1 batches are held in memory. `advance(n)` is called after each batch (a
    progress bar); the server's counters of every batch are added into `step`, which is returned.
    """
    step = step or StepResult("rows")
    params = dict(params or {})

    def send(batch):
        def work(tx):
            if callable(cypher):
                return cypher(tx, batch)
            return tx.run(cypher, params, rows=batch).consume().counters

        return len(batch), conn.execute_write(work)

    def record(n, counters):
        step.rows += n
        step.nodes_created += counters.nodes_created
        step.relationships_created += counters.relationships_created
        step.properties_set += counters.properties_set
        if advance:
            advance(n)

    started = time.perf_counter()
    if workers <= 1:
        for batch in batches(rows, batch_size):
            record(*send(batch))
    else:
        from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

        with ThreadPoolExecutor(workers) as pool:
            pending: set = set()
            try:
                for batch in batches(rows, batch_size):
                    if len(pending) >= workers:
                        done, pending = wait(pending, return_when=FIRST_COMPLETED)
                        for future in done:
                            record(*future.result())
                    pending.add(pool.submit(send, batch))
                for future in wait(pending).done:
                    record(*future.result())
            finally:
                for future in pending:
                    future.cancel()
    step.seconds += time.perf_counter() - started
    return step


def progress(enabled: bool | None = None):
    """A rich progress bar on stderr with rows per second; silent when stderr is not a terminal."""
    from rich.console import Console
    from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TaskProgressColumn,
                               TextColumn, TimeElapsedColumn, TimeRemainingColumn)
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task):
            return Text(f"{task.speed:>9,.0f} {task.fields.get('unit', 'rows')}/s" if task.speed else "")

    console = Console(stderr=True)
    if enabled is None:
        enabled = console.is_terminal
    return Progress(
        TextColumn("[bold]{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
        Rate(), TimeElapsedColumn(), TimeRemainingColumn(),
        console=console, disable=not enabled, transient=False,
    )
