"""The Neo4j Browser guide (graph.guide) and the `// example:` lines it is built from, as pure code.

What Browser does with the guide is checked in tests/test_browser_guide.py, in the real Browser;
here: every named query is in it with its parameters and example, a new query file appears in it
by itself, and nothing in it is HTML that Browser would run or strip.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from graph.errors import InputError
from graph.guide import guide_html
from graph.queries import browser_param_command, list_queries, parse_module
from graph.schema import ENTITY_KINDS, FACT_TYPES, LINK_TYPES, OTHER_LABELS

# What Neo4j Browser 5.24 strips from a guide's HTML before showing it (cleanHtml in
# src/shared/services/remoteUtils.ts): <script> elements and anything shaped like an onX= attribute.
BROWSER_STRIPS = [
    re.compile(r"""(\s+(on[^\s=]+)[^\s=]*\s*=\s*("[^"]*"|'[^']*'|[\w\-.:]+\s*))""", re.I),
    re.compile(r"<script\b[^<]*(?:(?!</script>)<[^<]*)*(</script>)?", re.I),
]


class Guide(HTMLParser):
    """The guide as Browser reads it: slides, and per query (div.query) the text of its blocks."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.slides: list[str] = []
        self.queries: dict[str, dict[str, str]] = {}
        self.runnable: list[str] = []
        self._query = None
        self._div_depth = 0
        self._pre = None
        self._text = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "slide":
            self.slides.append(attrs.get("id", ""))
        if tag == "div":
            if "query" in classes:
                self._query, self._div_depth = attrs["id"].removeprefix("query-"), 0
                self.queries[self._query] = {"text": ""}
            elif self._query:
                self._div_depth += 1
        if tag == "pre":
            self._pre, self._text = classes, []

    def handle_endtag(self, tag):
        if tag == "pre" and self._pre is not None:
            text = "".join(self._text)
            if "runnable" in self._pre:
                self.runnable.append(text)
            if self._query:
                for kind in ("params", "query"):
                    if kind in self._pre:
                        self.queries[self._query][kind] = text
            self._pre = None
        if tag == "div" and self._query:
            if self._div_depth == 0:
                self._query = None
            else:
                self._div_depth -= 1

    def handle_data(self, data):
        if self._pre is not None:
            self._text.append(data)
        if self._query:
            self.queries[self._query]["text"] += data


@pytest.fixture(scope="module")
def html():
    return guide_html()


def test_every_named_query_is_in_the_guide_with_its_parameters_and_example(html):
    guide = Guide(html)
    specs = list_queries()
    assert len(specs) >= 17 and set(guide.queries) == {s.name for s in specs}
    for spec in specs:
        shown = guide.queries[spec.name]
        assert shown["query"] == spec.body and all(f"${p.name}" in shown["query"] for p in spec.params)
        assert spec.description in shown["text"]
        if not spec.params:
            assert "params" not in shown
            continue
        # one :param command that sets every parameter, each to the example's value or its default
        match = re.fullmatch(r":param \[\{([\w, ]+)\}\] => \{ RETURN (.*) \}", shown["params"])
        assert match, shown["params"]
        assert match[1].split(", ") == [p.name for p in spec.params]
        for p in spec.params:
            assert f"`{p.name}`" in match[2] and p.name in shown["text"] and p.type in shown["text"]
        for key, value in spec.example:
            literal = repr(value) if isinstance(value, int) else f"'{value}'"
            assert f"{literal} AS `{key}`" in match[2], (spec.name, key)
        assert spec.example_help and spec.example_help in shown["text"]


def test_slides_by_theme_then_style_sheet_and_model(html):
    guide = Guide(html)
    modules = list(dict.fromkeys(s.module for s in list_queries()))
    assert guide.slides == ["start"] + [f"module-{m}" for m in modules] + ["style", "model"]


def test_style_slide_applies_the_grass_file_with_one_click(html):
    grass = (Path(__file__).resolve().parents[2] / "cypher" / "dealgraph.grass").read_text(encoding="utf-8")
    assert ":style " + grass in Guide(html).runnable


def test_model_slide_names_every_label_and_relationship_type(html):
    model = html[html.index('<slide class="row-fluid" id="model">'):]
    for name in ENTITY_KINDS + OTHER_LABELS + FACT_TYPES + LINK_TYPES:
        assert f":{name}" in model, name
    assert "CALL db.schema.visualization()" in model


def test_browser_would_strip_nothing_from_the_guide(html):
    for pattern in BROWSER_STRIPS:
        assert not pattern.search(html), pattern.search(html)


HOSTILE = """// my own queries: hostile <b>markup</b>
// name: hostile
// description: <script>alert(1)</script> " onmouseover="alert(2)
// param who: string  -- <img src=x onerror=alert(3)>
// example: who="</pre><script>alert(4)</script>" -- only = 'it'
MATCH (n:Entity) WHERE n.name = $who OR n.note CONTAINS ' only =1'
RETURN n.name AS name;
"""


def test_a_new_query_file_appears_in_the_guide_escaped(tmp_path, monkeypatch):
    (tmp_path / "mine.cypher").write_text(HOSTILE, encoding="utf-8")
    monkeypatch.setenv("DEALGRAPH_QUERY_PATH", str(tmp_path))
    html = guide_html()
    guide = Guide(html)
    assert "module-mine" in guide.slides
    shown = guide.queries["hostile"]
    assert shown["query"] == "MATCH (n:Entity) WHERE n.name = $who OR n.note CONTAINS ' only =1'\nRETURN n.name AS name"
    assert shown["params"] == ":param [{who}] => { RETURN '</pre><script>alert(4)</script>' AS `who` }"
    assert "<script>alert(1)</script>" in shown["text"] and "only = 'it'" in shown["text"]
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    for pattern in BROWSER_STRIPS:
        assert not pattern.search(html), pattern.search(html)


@pytest.mark.parametrize("line, needle", [
    ("// example: who=x nobody=1", "sets 'nobody', which is not one of its parameters"),
    ("// example: who=x who=y", "sets who twice"),
    ("// example: limit=ten who=x", "limit: expected an integer, got 'ten'"),
    ("// example: limit=3", "leaves out required who"),
    ("// example: who", "expected KEY=VALUE, got 'who'"),
    ("// example: who='x", "No closing quotation"),
])
def test_a_bad_example_is_an_input_error_naming_its_line(tmp_path, line, needle):
    path = tmp_path / "bad.cypher"
    path.write_text("\n".join(["// name: q", "// description: d", "// param who: string",
                               "// param limit: int = 5", line, "RETURN $who, $limit;"]), encoding="utf-8")
    with pytest.raises(InputError) as err:
        parse_module(path)
    assert needle in str(err.value) and err.value.line == 5 and err.value.field == "example"


def test_example_values_fill_in_defaults_and_keep_types(tmp_path):
    path = tmp_path / "ok.cypher"
    path.write_text("\n".join(["// name: q", "// description: d", "// param who: entity",
                               "// param limit: int = 5", "// param when: date = null",
                               "// example: limit=7 who='alibaba' -- Alibaba, seven", "RETURN $who, $limit, $when;"]),
                    encoding="utf-8")
    spec = parse_module(path)[0]
    assert spec.example_values == {"who": "alibaba", "limit": 7, "when": None}
    assert spec.example_help == "Alibaba, seven"
    assert browser_param_command(spec.example_values) == (
        ":param [{who, limit, when}] => { RETURN 'alibaba' AS `who`, 7 AS `limit`, null AS `when` }")


def test_param_command_escapes_quotes_and_is_empty_without_parameters():
    assert browser_param_command({}) == ""
    assert browser_param_command({"a": "O'Brien \\ co", "b": True, "c": 1.5}) == (
        ":param [{a, b, c}] => { RETURN 'O\\'Brien \\\\ co' AS `a`, true AS `b`, 1.5 AS `c` }")


def _dealgraph(*args, env=None):
    exe = Path(sys.executable).with_name("dealgraph")
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def test_cli_writes_the_guide_to_a_file(tmp_path, html):
    out = tmp_path / "sub" / "guide.html"
    done = _dealgraph("browser-guide", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_text(encoding="utf-8") == html and str(out) in done.stdout


def test_cli_with_a_broken_query_file_writes_nothing(tmp_path):
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "broken.cypher").write_text("// name: q\n// description: d\n// example: x=1\nRETURN 1;\n", encoding="utf-8")
    out = tmp_path / "guide.html"
    done = _dealgraph("browser-guide", "-o", str(out), env={"DEALGRAPH_QUERY_PATH": str(folder)})
    assert done.returncode != 0 and "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "broken.cypher" in lines[0] and ":3" in lines[0] and "example" in lines[0]
    assert not out.exists() and not list(tmp_path.glob(".guide.html*"))
