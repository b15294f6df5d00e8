"""The judgements file: a user's decisions about pairs of entities, as plain text under their data
folder (``DIR/judgements.tsv``, DIR from `--data`, env DEALGRAPH_DATA, default ./data), one pair a
line, tab-separated, so that it diffs and merges under version control:

    # judgement <TAB> id <TAB> id <TAB> name <TAB> when <TAB> who
    same        tencent     cb-9f1e...  Tencent     2026-12-08T01:40:00Z  cli
    different   index-ventures  index-capital       2026-12-08T01:41:00Z  cli
    unsure      ...

`same`: the second entity is merged into the first, which takes `name` (empty: keeps its own).
`different` and `unsure` record the pair so that `dealgraph dedupe` does not offer it again.
Reading checks everything first (syntax, a pair judged twice in different ways) and names the
file and line of the first problem; `check_ids` checks the ids against a graph.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..errors import DealgraphError, InputError
from ..paths import write_whole

FILE_NAME = "judgements.tsv"
JUDGEMENTS = ("same", "different", "unsure")
HEADER = ("# dealgraph judgements (dealgraph merge / distinct / unsure / split): one pair a line, tab-separated:\n"
          "# judgement\tid\tid\tname (same: the name kept)\twhen\twho\n")


@dataclass(frozen=True)
class Judgement:
    judgement: str   # same / different / unsure
    a: str           # for same: the entity kept
    b: str           # for same: the entity merged into a
    name: str = ""   # for same: the name kept ("" = a's own)
    at: str = ""
    by: str = ""
    line: int = 0

    @property
    def pair(self) -> str:
        return pair_key(self.a, self.b)

    def text(self) -> str:
        return "\t".join((self.judgement, self.a, self.b, self.name, self.at, self.by))


def pair_key(a: str, b: str) -> str:
    return "\x1f".join(sorted((a, b)))


def data_dir(data=None) -> Path:
    """The user's data folder: `data`, else env DEALGRAPH_DATA, else ./data."""
    return Path(data or os.environ.get("DEALGRAPH_DATA") or "data")


def path_of(data=None) -> Path:
    return data_dir(data) / FILE_NAME


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def read(path) -> list[Judgement]:
    """Every judgement of the file at `path` (none if it does not exist), checked; a problem is one
    InputError naming the file and line."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read it: {getattr(exc, 'strerror', None) or exc}", file=path) from None
    out: list[Judgement] = []
    seen: dict[str, Judgement] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        fields = raw.split("\t")
        if len(fields) < 3 or len(fields) > 6:
            raise InputError(f"expected 3 to 6 tab-separated fields (judgement, id, id, name, when, who), "
                             f"got {len(fields)}", file=path, line=number)
        fields = [f.strip() for f in fields] + [""] * (6 - len(fields))
        kind, a, b, name, at, by = fields
        if kind not in JUDGEMENTS:
            raise InputError(f"unknown judgement {kind[:40]!r}: expected same, different or unsure",
                             file=path, line=number, field="judgement")
        if not a or not b:
            raise InputError("an id is empty", file=path, line=number, field="id")
        if a == b:
            raise InputError(f"{a!r} is judged against itself", file=path, line=number, field="id")
        if name and kind != "same":
            raise InputError("only a `same` judgement names the name kept", file=path, line=number, field="name")
        j = Judgement(kind, a, b, name, at, by, number)
        if (earlier := seen.get(j.pair)) is not None:
            how = "both ways" if earlier.judgement != kind else "twice"
            raise InputError(f"the pair {a} / {b} is judged {how} (line {earlier.line}: {earlier.judgement}, "
                             f"here: {kind}); keep one line", file=path, line=number)
        seen[j.pair] = j
        out.append(j)
    _check_chains(out, path)
    return out


def _check_chains(judgements: list[Judgement], path) -> None:
    """A `same` chain must end somewhere: an entity merged into two others, or into itself by a
    cycle, is refused at the line that makes it so."""
    into: dict[str, str] = {}
    for j in judgements:
        if j.judgement != "same":
            continue
        if j.b in into:
            raise InputError(f"{j.b} is already merged into {into[j.b]}; it cannot be merged into {j.a} too",
                             file=path, line=j.line)
        root = j.a
        while root in into:
            root = into[root]
        if root == j.b:
            raise InputError(f"merging {j.b} into {j.a} makes a cycle of merges", file=path, line=j.line)
        into[j.b] = j.a


def write(path, judgements: list[Judgement]) -> Path:
    """The file holding exactly `judgements`, in order, written whole."""
    return write_whole(path, HEADER + "".join(j.text() + "\n" for j in judgements))


def check_ids(path, judgements: list[Judgement], known: set[str]) -> None:
    """Every id of the file is an entity of the graph (or one merged into one), else one InputError."""
    for j in judgements:
        for ident in (j.a, j.b):
            if ident not in known:
                raise InputError(f"unknown id {ident[:80]!r}: no entity of the graph has it", file=path,
                                 line=j.line, field="id")


def lock(path):
    """A lock on the judgements file while a command reads, decides and writes it."""
    from filelock import FileLock

    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DealgraphError(f"cannot create the data folder {path.parent}: {exc.strerror or exc}") from None
    return FileLock(str(path.with_name(f".{path.name}.lock")))
