"""The README and docs/*.md show what dealgraph does today: every `$ dealgraph ...` line of their
`console` blocks is run on the seed graph and must print what the page shows.

A page's commands run in page order (an `analyze` before the queries that read its scores), in an
empty folder (pictures written to out/ land there), on the seed loaded afresh for that page. What
a page shows after a command is compared with what the command prints: a table by its words and
row count (however a terminal's width wraps it), any other line as it is, `...` standing for lines
left out. `sh` blocks (commands that need your own files) are not run.
"""
from __future__ import annotations

import re
import shlex
from collections import Counter
from pathlib import Path

import pytest
from helpers import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHOWN_NOT_RUN = ("serve",)  # runs until stopped: tests/test_web.py starts it and checks its first line


def console_examples(text: str) -> list[tuple[str, str]]:
    """(command, what the page shows it print) for every `$ dealgraph ...` line of the console blocks."""
    examples = []
    for block in re.findall(r"^```console\n(.*?)^```", text, re.M | re.S):
        examples += re.findall(r"^\$ (dealgraph .+)\n((?:(?!\$ ).*\n)*)", block, re.M)
    return examples


def table_and_rest(text: str) -> tuple[list[str], list[str]]:
    """A rich table at the start of `text` (its lines up to the closing └ line) and the lines after it."""
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    if not lines or not lines[0].startswith("┏"):
        return [], lines
    end = max(i for i, line in enumerate(lines) if line.startswith("└"))
    return lines[: end + 1], lines[end + 1:]


def words(table: list[str]) -> Counter:
    """The table's words; a decimal number to 6 significant digits (scores such as PageRank differ
    in their last digits from run to run: networkit sums in parallel)."""
    text = re.sub(r"[\u2500-\u257f]", " ", "\n".join(table))
    return Counter(f"{float(w):.6g}" if re.fullmatch(r"-?\d+\.\d+(e-?\d+)?", w) else w for w in text.split())


def shown_in(shown: list[str], printed: list[str]) -> bool:
    """Each run of shown lines between `...` lines is printed, as consecutive lines, in that order."""
    at = 0
    for chunk in "\n".join(shown).split("\n...\n") if shown else []:
        want = chunk.split("\n")
        for start in range(at, len(printed) - len(want) + 1):
            if printed[start: start + len(want)] == want:
                at = start + len(want)
                break
        else:
            return False
    return True


def test_the_pages_hold_console_examples():
    """The checks below have something to check: the README and the queries page at least."""
    counts = {page.name: len(console_examples(page.read_text(encoding="utf-8"))) for page in PAGES}
    assert counts["README.md"] >= 1 and counts["queries.md"] >= 3, counts


def test_a_wrong_example_is_caught():
    """The comparison itself: a changed word, a changed count or a missing line is a difference."""
    shown = "┏━━━┓\n┃ a ┃\n┡━━━┩\n│ Alibaba Group │\n└───┘\n1 row\n"
    table, rest = table_and_rest(shown)
    assert words(table) == words(table_and_rest(shown.replace("│ Alibaba Group", "│ Alibaba\n│ Group"))[0])
    assert words(table) != words(table_and_rest(shown.replace("Alibaba", "Tencent"))[0])
    assert words(["│ 0.16682020192784972 │"]) == words(["│ 0.16682020464927086 │"]) != words(["│ 0.1668 │"])
    assert shown_in(rest, ["1 row"]) and not shown_in(rest, ["2 rows"])
    assert shown_in(["a", "...", "c"], ["a", "b", "c"]) and not shown_in(["a", "c"], ["a", "b", "c"])


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_console_examples_show_their_real_output(page: Path, cli, fresh_seed, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for command, shown in console_examples(page.read_text(encoding="utf-8")):
        args = shlex.split(command, comments=True)[1:]
        if args[0] in SHOWN_NOT_RUN:
            continue
        result = cli(*args)
        assert result.code == 0, (page.name, command, result)
        shown_table, shown_rest = table_and_rest(shown)
        printed_table, printed_rest = table_and_rest(result.out)
        if shown_table:  # the answer's table, then what follows it
            assert words(shown_table) == words(printed_table), (page.name, command, result.out)
        else:            # lines from anywhere in what it printed
            printed_rest = [line.rstrip() for line in result.out.splitlines()]
        printed = printed_rest + [line.rstrip() for line in result.err.splitlines()]
        assert shown_in(shown_rest, printed), (page.name, command, shown_rest, result)
