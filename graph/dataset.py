"""Seed datasets: read YAML files, check every record, and say exactly where a mistake is.

A dataset is a folder of ``*.yaml`` files (read in name order, sub-folders included) or a single
file. Each file is a mapping with any of the keys ``articles``, ``entities``, ``rounds`` and
``facts`` (lists of records) plus an optional ``source``: the default source of that file's rounds
and facts. The format is documented in seed/README.md.

Everything is validated before anything is written, and the first mistake is raised as an
:class:`~graph.errors.InputError` naming file, line and field. This module never talks to Neo4j.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import values
from .errors import InputError
from .names import name_key
from .paths import data_path
from .schema import ENTITY_KINDS, FACT_TYPES

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
FACT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]*$")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")
# "about", "nearly" (khoảng, gần, نحو) and "more than" (hơn, vượt quá, تتجاوز): the amount is the figure as written.
QUALIFIERS = ("approx", "min")

TOP_KEYS = ("source", "articles", "entities", "rounds", "facts")
ARTICLE_FIELDS = {
    "id": "text", "title": "text", "title_en": "text", "language": "language", "outlet": "text",
    "via": "text", "author": "text", "published": "date", "url": "text", "note": "text",
}
ENTITY_FIELDS = {
    "id": "slug", "kind": "kind", "name": "text", "aliases": "names", "shared_aliases": "names",
    "country": "country", "city": "text", "founded": "date", "description": "text", "note": "text",
    "state_backed": "bool", "sources": "sources",
    # `dealgraph draft`: a new entity it proposes (draft), or one the graph already has (linked: the
    # record only adds the article's spellings to it, and changes nothing else).
    "draft": "bool", "linked": "bool",
}
# `dealgraph draft` marks what it proposes, and how sure its extractor is (0 to 1).
DRAFTED = {"draft": "bool", "confidence": "confidence"}
ROUND_FIELDS = {
    "id": "slug", "company": "entity", "name": "text", "source": "source", "date": "date",
    "date_text": "text", "amount": "amount", "currency": "currency", "amount_usd": "amount",
    "amount_text": "text", "valuation": "amount", "valuation_currency": "currency",
    "valuation_usd": "amount", "valuation_text": "text", "investor_count": "count",
    "claim": "text", "note": "text", "evidence": "text", "caveat": "text",
    "amount_qualifier": "text", "valuation_qualifier": "text", "date_inferred": "bool", **DRAFTED,
}
FACT_COMMON = {
    "id": "fact_id", "type": "fact_type", "from": "entity", "to": "entity", "source": "source",
    "date": "date", "date_text": "text", "claim": "text", "note": "text",
    "evidence": "text", "caveat": "text", "status": "text", "until": "date", "date_inferred": "bool",
    **DRAFTED,
}
MONEY = {"amount": "amount", "currency": "currency", "amount_usd": "amount", "amount_text": "text",
         "amount_qualifier": "text", "cumulative": "bool"}
# Fields that quote the article word for word (graph.evidence checks them against its text).
AS_WRITTEN = ("evidence", "amount_text", "valuation_text", "date_text")
# Fields whose text must be one of a few words (checked after the field's own type).
CHOICES = {"status": ("former",), "amount_qualifier": QUALIFIERS, "valuation_qualifier": QUALIFIERS}
FACT_FIELDS = {
    "INVESTED_IN": {**MONEY, "round": "round", "led": "bool", "stake": "fraction", "commitment": "bool"},
    "FINED": {**MONEY, "reason": "text"},
    "SANCTIONED": {"measure": "text"},
    "PARTNERS_WITH": {"kind": "text"},
    "LEADS": {"role": "text"},
}
# Which kinds of entity may stand at each end of a fact (None: any kind).
FACT_ENDS = {
    "INVESTED_IN": (("Company", "Fund", "GovernmentBody", "Person"), ("Company", "Fund")),
    "SANCTIONED": (("GovernmentBody",), None),
    "FINED": (("GovernmentBody",), None),
    "MANAGES": (None, ("Fund",)),
    "FINANCES": (None, ("Fund", "Company")),
    "SUBSIDIARY_OF": (("Company", "Fund", "GovernmentBody"), ("Company", "Fund", "GovernmentBody")),
    "DEVELOPS": (("Company", "Fund", "GovernmentBody", "Person"), ("Model",)),
    "FOUNDED_BY": (None, ("Person",)),
    "LEADS": (("Person",), None),
}


@dataclass
class Dataset:
    """A validated dataset, ready to write: plain property maps, nothing YAML-specific."""

    path: Path
    articles: list[dict] = field(default_factory=list)
    entities: list[dict] = field(default_factory=list)  # properties; "kind" says the label
    rounds: list[dict] = field(default_factory=list)    # properties plus "company"
    facts: list[dict] = field(default_factory=list)     # {"id", "type", "from", "to", "props"}
    alias_keys: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # entity id -> key -> spellings
    # ("fact" or "round", id) -> (file as shown, record's line, {field: line}), for checks after reading
    # (graph.evidence) that must name where a record is.
    where: dict[tuple[str, str], tuple[str, int, dict[str, int]]] = field(default_factory=dict)

    def records(self) -> dict[str, list[dict]]:
        """The dataset as the writer's records (graph.write): articles, entities, rounds, facts.

        Entity properties name every seed field, absent ones as None, so that a field deleted
        from the YAML is deleted from the graph on the next load.
        """
        fields = [f for f in ENTITY_FIELDS if f not in ("shared_aliases", "sources", "linked")]

        def props(e):  # a linked entity (defined in the graph, not here) changes none of its fields
            return {"name": e["name"]} if e.get("linked") else {f: e.get(f) for f in fields}

        return {
            "articles": [{"id": a["id"], "props": a} for a in self.articles],
            "entities": [{"id": e["id"], "kind": e["kind"], "props": props(e),
                          "keys": [{"key": k, "names": v} for k, v in self.alias_keys.get(e["id"], {}).items()],
                          "keep_names": bool(e.get("linked")), "sources": e["sources"]} for e in self.entities],
            "rounds": [{"id": r["id"], "company": r["company"],
                        "props": {k: v for k, v in r.items() if k != "company"}} for r in self.rounds],
            "facts": self.facts,
        }

    def counts(self) -> dict[str, int]:
        """How many nodes per label and facts per type the dataset holds."""
        out = {"Article": len(self.articles), "Round": len(self.rounds)}
        for kind in ENTITY_KINDS:
            out[kind] = sum(1 for e in self.entities if e["kind"] == kind)
        out["Alias"] = len({k for keys in self.alias_keys.values() for k in keys})
        for t in FACT_TYPES:
            out[t] = sum(1 for f in self.facts if f["type"] == t)
        return out


# -- YAML with line numbers -----------------------------------------------------------------------
class _Map(dict):
    """A YAML mapping that remembers where it and each of its values start (1-based lines)."""

    line: int = 0
    lines: dict

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)


class _List(list):
    """A YAML sequence that remembers the line of each item."""

    item_lines: list


def _loader():
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml: ~5x faster
        """SafeLoader that keeps line marks, refuses duplicate keys and leaves dates as text."""

    # Dates stay strings ("2023-11-03"), so that partial dates and full dates are handled alike.
    Loader.yaml_implicit_resolvers = {
        ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def mapping(loader, node):
        loader.flatten_mapping(node)
        out = _Map()
        out.line, out.lines = node.start_mark.line + 1, {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise _YamlProblem(f"keys must be text, got {key!r}", key_node.start_mark.line + 1)
            if key in out:
                raise _YamlProblem("given twice in the same record", key_node.start_mark.line + 1, key)
            out[key] = loader.construct_object(value_node, deep=True)
            out.lines[key] = value_node.start_mark.line + 1
        return out

    def sequence(loader, node):
        out = _List(loader.construct_object(child, deep=True) for child in node.value)
        out.item_lines = [child.start_mark.line + 1 for child in node.value]
        return out

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, sequence)
    return Loader


class _YamlProblem(Exception):
    def __init__(self, message, line, field=None):
        super().__init__(message)
        self.message, self.line, self.field = message, line, field


def _parse(file: Path, shown: str):
    import yaml

    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=shown) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=shown) from None
    try:
        return yaml.load(text, Loader=_loader())  # noqa: S506 - a SafeLoader subclass
    except _YamlProblem as exc:
        raise InputError(exc.message, file=shown, line=exc.line, field=exc.field) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(filter(None, [exc.problem, exc.context])) or "malformed YAML"
        raise InputError(f"YAML syntax error: {problem}", file=shown,
                         line=mark.line + 1 if mark else None) from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses: name its line
        raise InputError(f"YAML error: unacceptable character #x{exc.character:04x}", file=shown,
                         line=text.count("\n", 0, exc.position) + 1) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML error: {str(exc).splitlines()[0]}", file=shown) from None


def _files(path: Path) -> list[tuple[Path, str]]:
    """The YAML files of a dataset, with the name to show in errors."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
        if not files:
            raise InputError("no .yaml files in this folder", file=str(path))
        return [(f, str(path / f.relative_to(path))) for f in files]
    if path.is_file():
        return [(path, str(path))]
    raise InputError("no such file or folder", file=str(path))


# -- checking values ------------------------------------------------------------------------------
class _Reader:
    """Checks one dataset's records in order; `fail` raises at the record's file and line."""

    def __init__(self):
        self.article_ids: set[str] = set()
        self.entities: dict[str, dict] = {}
        self.rounds: dict[str, dict] = {}
        self.fact_ids: dict[str, str] = {}

    # values --------------------------------------------------------------------------------------
    def value(self, kind: str, v, fail):
        """The checked value of a field of `kind` (VALUE_CHECKS, REFERENCES), or `fail(message)`."""
        if kind in REFERENCES:
            return getattr(self, kind)(v, fail)
        return VALUE_CHECKS[kind](v, fail)

    def source(self, v, fail):
        if not isinstance(v, str) or v not in self.article_ids:
            fail(f"unknown source file {v!r}: not one of the dataset's articles "
                 f"({', '.join(sorted(self.article_ids)) or 'none listed'})")
        return v

    def sources(self, v, fail):
        if not isinstance(v, list):
            fail("expected a list of article ids")
        return [self.source(s, fail) for s in v]

    def entity(self, v, fail):
        if not isinstance(v, str) or v not in self.entities:
            fail(f"unknown entity {v!r}" + _did_you_mean(v, self.entities))
        return v

    def round(self, v, fail):
        if not isinstance(v, str) or v not in self.rounds:
            fail(f"unknown round {v!r}" + _did_you_mean(v, self.rounds))
        return v

    def record(self, rec, fields: dict, where: str, fail_at, required=()) -> dict:
        """Check a record's fields against `fields`; returns the checked values (nulls dropped)."""
        if not isinstance(rec, _Map):
            fail_at(getattr(rec, "line", None), None, f"each {where} must be a mapping of fields")
        out = {}
        for key, v in rec.items():
            fail = lambda msg, key=key: fail_at(rec.line_of(key), key, msg)  # noqa: E731
            if key not in fields:
                fail(f"unknown field in {where} (expected one of {', '.join(fields)})")
            if v is None:
                continue
            out[key] = self.value(fields[key], v, fail)
            if key in CHOICES and out[key] not in CHOICES[key]:
                fail(f"unknown value {out[key]!r}: expected {' or '.join(CHOICES[key])}")
        for key in required:
            if key not in out:
                fail_at(rec.line, key, f"missing (every {where} needs one)")
        if out.get("date_inferred") and "date" not in out:
            fail_at(rec.line_of("date_inferred"), "date", "missing: `date_inferred` marks a `date` read from "
                    "the article's dateline: give that date")
        return out


# -- one check per kind of field value (the kinds of ARTICLE_FIELDS, ENTITY_FIELDS, ...) ------------
def _nonempty_text(v, fail) -> str:
    if not isinstance(v, str) or not v.strip():
        fail("expected non-empty text")
    return _text(v, fail).strip()


def _matching(pattern, message: str):
    """Text matching `pattern`, else `message` (formatted with the value as v)."""
    def check(v, fail):
        if not isinstance(v, str) or not pattern.match(v):
            fail(message.format(v=v))
        return _text(v, fail)
    return check


def _one_of(choices, what: str):
    def check(v, fail):
        if v not in choices:
            fail(f"unknown {what} {v!r}: expected one of {', '.join(choices)}")
        return v
    return check


def _names(v, fail) -> list[str]:
    if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
        fail("expected a list of names (text)")
    for x in v:
        _text(x, fail)
        if not name_key(x):
            fail(f"name {x!r} has no letters or digits")
    return [x.strip() for x in v]


def _code(parse, message: str):
    """An ISO code (graph.values: country, currency), else `message`."""
    def check(v, fail):
        if not isinstance(v, str) or _checked(parse, v) is None:
            fail(message.format(v=v))
        return parse(v)
    return check


def _date(v, fail):
    checked = _checked(values.date, v) if isinstance(v, (str, int)) and not isinstance(v, bool) else None
    if checked is None:
        fail(f"bad date {v!r}: expected YYYY, YYYY-MM or YYYY-MM-DD (relative dates go in date_text)")
    return checked


def _up_to_one(parse, message: str):
    """A number from 0 to 1 (a stake, a confidence), else `message`."""
    def check(v, fail):
        number = _checked(parse, v)
        if number is None or number > 1:
            fail(message.format(v=v))
        return number
    return check


def _parsed(parse, message: str):
    """`parse(v)` (graph.values), else `message` (formatted with the value as v)."""
    def check(v, fail):
        checked = _checked(parse, v)
        if checked is None:
            fail(message.format(v=v))
        return checked
    return check


# kind -> check(value, fail): the value as stored, or fail(message). The kinds that refer to other
# records (REFERENCES) are checked by the _Reader method of that name, against what it has read.
VALUE_CHECKS = {
    "text": _nonempty_text,
    "slug": _matching(SLUG, "bad id {v!r}: use lower-case letters, digits and '-' (like 'zhipu-ai')"),
    "fact_id": _matching(FACT_ID, "bad id {v!r}: use letters, digits, '-', '.', '_' or ':'"),
    "kind": _one_of(ENTITY_KINDS, "kind"),
    "fact_type": _one_of(FACT_TYPES, "relationship type"),
    "names": _names,
    "language": _matching(LANGUAGE, "bad language {v!r}: expected an ISO 639 code such as 'vi', 'ar', 'en'"),
    "country": _code(values.country, "unknown country {v!r}: expected an ISO 3166 code such as 'CN', 'US' "
                                     "(or 'CHN', 'USA')"),
    "currency": _code(values.currency, "unknown currency {v!r}: expected an ISO 4217 code such as 'USD', 'CNY'"),
    "date": _date,
    # 0 means "unknown" (values.amount); in YAML an unknown amount is left out, not written as 0.
    "amount": _parsed(values.amount, "bad amount {v!r}: expected a positive number in units, such as 2750000000 "
                                     "or 2.75e9 (the words go in amount_text)"),
    "fraction": _up_to_one(values.amount, "bad stake {v!r}: expected a fraction between 0 and 1 (0.10 for 10%)"),
    "confidence": _up_to_one(values.number, "bad confidence {v!r}: expected a number between 0 and 1"),
    "count": _parsed(values.count, f"bad count {{v!r}}: expected a whole number (at most {values.INT64 - 1:,})"),
    "bool": _parsed(values.flag, "expected true or false, got {v!r}"),
}
REFERENCES = ("source", "sources", "entity", "round")


def _text(v: str, fail) -> str:
    """Text that Neo4j can index and a terminal or page can show (graph.values.text)."""
    try:
        values.text(v)
    except ValueError as exc:
        fail(str(exc))
    return v


def _checked(check, v):
    """`check(v)`, or None where the value is refused."""
    try:
        return check(v)
    except ValueError:
        return None


def _did_you_mean(value, known) -> str:
    import difflib

    close = difflib.get_close_matches(str(value), list(known), n=3)
    return f" (did you mean {', '.join(close)}?)" if close else ""


# -- the dataset ----------------------------------------------------------------------------------
def read_dataset(path=None) -> Dataset:
    """Parse and validate a dataset (folder or file; None = the bundled seed), or raise InputError.

    Sections are read in the order they refer to each other: articles (what sources name), then
    entities with their names, rounds, facts; then each entity's mentions."""
    path = Path(data_path("seed") if path is None else path)
    docs = _documents(path)
    reader, ds = _Reader(), Dataset(path=path)
    _read_articles(reader, ds, docs)
    _read_entities(reader, ds, docs)
    _read_rounds(reader, ds, docs)
    _read_facts(reader, ds, docs)
    _mentions(ds)
    return ds


def _documents(path: Path) -> list[tuple[str, _Map]]:
    """(name shown, mapping) of each non-empty YAML file, its sections checked."""
    docs = []
    for file, shown in _files(path):
        doc = _parse(file, shown)
        if doc is None:
            continue
        if not isinstance(doc, _Map):
            raise InputError("expected a mapping with articles/entities/rounds/facts lists", file=shown, line=1)
        for key in doc:
            if key not in TOP_KEYS:
                raise InputError(f"unknown section (expected one of {', '.join(TOP_KEYS)})",
                                 file=shown, line=doc.line_of(key), field=key)
            if key != "source" and doc[key] is not None and not isinstance(doc[key], list):
                raise InputError("expected a list of records", file=shown, line=doc.line_of(key), field=key)
        docs.append((shown, doc))
    return docs


def _records(docs, section: str):
    """(file shown, its document, record, fail_at(line, field, message)) of each record of a section."""
    for shown, doc in docs:
        items = doc.get(section) or []
        for rec, rec_line in zip(items, getattr(items, "item_lines", [None] * len(items))):
            def fail_at(line, fld, msg, shown=shown, rec_line=rec_line):
                raise InputError(msg, file=shown, line=line or rec_line, field=fld)
            yield shown, doc, rec, fail_at


def _read_articles(reader: _Reader, ds: Dataset, docs) -> None:
    """The articles (what sources may name), then the files' default sources, which name them."""
    article_lines = {}
    for shown, _doc, rec, fail_at in _records(docs, "articles"):
        art = reader.record(rec, ARTICLE_FIELDS, "article", fail_at, required=("id", "title", "language"))
        if art["id"] in article_lines:
            fail_at(rec.line_of("id"), "id", f"duplicate article id {art['id']!r} (first at {article_lines[art['id']]})")
        article_lines[art["id"]] = f"{shown}:{rec.line}"
        reader.article_ids.add(art["id"])
        ds.articles.append(art)

    # File-level default sources are checked once the article list is known.
    for shown, doc in docs:
        if doc.get("source") is not None:
            reader.value("source", doc["source"], _raiser(shown, doc.line_of("source"), "source"))


def _read_entities(reader: _Reader, ds: Dataset, docs) -> None:
    """Entities, then their names and aliases: one key may belong to one entity unless both share it."""
    entity_lines, key_owner = {}, {}
    # Linked records (a draft's names for entities defined elsewhere) come after the full ones.
    ordered = sorted(_records(docs, "entities"), key=lambda r: isinstance(r[2], _Map) and bool(r[2].get("linked")))
    for shown, _doc, rec, fail_at in ordered:
        ent = reader.record(rec, ENTITY_FIELDS, "entity", fail_at, required=("id", "kind", "name"))
        if ent.get("linked") and ent["id"] in reader.entities:
            _link(ent, reader.entities[ent["id"]], ds, key_owner, rec, fail_at)
            continue
        if ent["id"] in entity_lines:
            fail_at(rec.line_of("id"), "id", f"duplicate entity id {ent['id']!r} (first at {entity_lines[ent['id']]})")
        entity_lines[ent["id"]] = f"{shown}:{rec.line}"
        shared = ent.pop("shared_aliases", [])
        _, keys = values.alias_keys(ent["id"], ent["name"], *ent.get("aliases", []), *shared)
        for fld, names in (("id", [ent["id"]]), ("name", [ent["name"]]),
                           ("aliases", ent.get("aliases", [])), ("shared_aliases", shared)):
            for name in names:
                key = name_key(name)
                owner = key_owner.get(key)
                if owner and owner[0] != ent["id"] and not (fld == "shared_aliases" and owner[1]):
                    fail_at(rec.line_of(fld), fld,
                            f"name {name!r} is already a name of entity {owner[0]!r}; a name may belong "
                            "to two entities only if both list it under shared_aliases")
                if not owner or owner[0] == ent["id"]:
                    key_owner[key] = (ent["id"], fld == "shared_aliases")
        if shared:
            ent["aliases"] = ent.get("aliases", []) + [s for s in shared if s not in ent.get("aliases", [])]
        ent["sources"] = sorted(set(ent.get("sources", [])))
        reader.entities[ent["id"]] = ent
        ds.alias_keys[ent["id"]] = keys
        ds.entities.append(ent)


def _read_rounds(reader: _Reader, ds: Dataset, docs) -> None:
    round_lines = {}
    for shown, doc, rec, fail_at in _records(docs, "rounds"):
        rnd = reader.record(rec, ROUND_FIELDS, "round", fail_at, required=("id", "company"))
        if rnd["id"] in round_lines:
            fail_at(rec.line_of("id"), "id", f"duplicate round id {rnd['id']!r} (first at {round_lines[rnd['id']]})")
        round_lines[rnd["id"]] = f"{shown}:{rec.line}"
        _default_source(rnd, doc, rec, fail_at, "round")
        _money(rnd, rec, fail_at, "amount", "currency", "amount_usd")
        _money(rnd, rec, fail_at, "valuation", "valuation_currency", "valuation_usd")
        ds.where[("round", rnd["id"])] = _where(shown, rec)
        reader.rounds[rnd["id"]] = rnd
        ds.rounds.append(rnd)


def _read_facts(reader: _Reader, ds: Dataset, docs) -> None:
    for shown, doc, rec, fail_at in _records(docs, "facts"):
        if not isinstance(rec, _Map):
            fail_at(getattr(rec, "line", None), None, "each fact must be a mapping of fields")
        kind = rec.get("type")
        if kind is None:
            fail_at(rec.line, "type", "missing (every fact needs one)")
        reader.value("fact_type", kind, lambda msg: fail_at(rec.line_of("type"), "type", msg))
        fields = {**FACT_COMMON, **FACT_FIELDS.get(kind, {})}
        fact = reader.record(rec, fields, f"{kind} fact", fail_at, required=("from", "to"))
        _default_source(fact, doc, rec, fail_at, "fact")
        ends = FACT_ENDS.get(kind, (None, None))
        for end, allowed in zip(("from", "to"), ends):
            actual = reader.entities[fact[end]]["kind"]
            if allowed and actual not in allowed:
                fail_at(rec.line_of(end), end, f"{kind} cannot {'start' if end == 'from' else 'end'} at "
                        f"{fact[end]!r}, a {actual} (expected {' or '.join(allowed)})")
        if fact["from"] == fact["to"]:
            fail_at(rec.line_of("to"), "to", f"a fact cannot link {fact['from']!r} to itself")
        if "round" in fact and reader.rounds[fact["round"]]["company"] != fact["to"]:
            fail_at(rec.line_of("round"), "round", f"round {fact['round']!r} was raised by "
                    f"{reader.rounds[fact['round']]['company']!r}, not {fact['to']!r}")
        _money(fact, rec, fail_at, "amount", "currency", "amount_usd")
        if "until" in fact and fact.get("status") != "former":
            fail_at(rec.line_of("until"), "status", "missing: a fact with `until` has ended: give it `status: former`")
        if "id" not in fact:
            stem = Path(fact["source"]).stem
            fact["id"] = f"{fact['from']}-{kind.lower().replace('_', '-')}-{fact['to']}-{stem.split('_')[0] or stem}"
            id_line, hint = rec.line, " (give one of them its own `id`)"
        else:
            id_line, hint = rec.line_of("id"), ""
        if fact["id"] in reader.fact_ids:
            fail_at(id_line, "id", f"duplicate fact id {fact['id']!r} (first at {reader.fact_ids[fact['id']]}){hint}")
        reader.fact_ids[fact["id"]] = f"{shown}:{rec.line}"
        ds.where[("fact", fact["id"])] = _where(shown, rec)
        ds.facts.append({"id": fact["id"], "type": kind, "from": fact.pop("from"), "to": fact.pop("to"),
                         "props": {k: v for k, v in fact.items() if k != "type"}})


def _mentions(ds: Dataset) -> None:
    """Every entity is mentioned in the articles its facts and rounds cite."""
    mentioned: dict[str, set[str]] = {e["id"]: set(e["sources"]) for e in ds.entities}
    for f in ds.facts:
        mentioned[f["from"]].add(f["props"]["source"])
        mentioned[f["to"]].add(f["props"]["source"])
    for r in ds.rounds:
        mentioned[r["company"]].add(r["source"])
    for ent in ds.entities:
        ent["sources"] = sorted(mentioned[ent["id"]])


def _link(linked: dict, full: dict, ds: Dataset, key_owner: dict, rec, fail_at) -> None:
    """A linked record's spellings become aliases of the entity of that id (its other fields are the
    graph's, so they must agree on the kind)."""
    if linked["kind"] != full["kind"]:
        fail_at(rec.line_of("kind"), "kind", f"entity {full['id']!r} is a {full['kind']}, not a {linked['kind']}")
    for name in linked.get("aliases", []) + [linked["name"]]:
        key = name_key(name)
        owner = key_owner.get(key)
        if owner and owner[0] != full["id"]:
            fail_at(rec.line_of("aliases"), "aliases", f"name {name!r} is already a name of entity {owner[0]!r}")
        key_owner[key] = (full["id"], False)
        if name != full["name"] and name not in full.get("aliases", []):
            full.setdefault("aliases", []).append(name)
        names = ds.alias_keys[full["id"]].setdefault(key, [])
        if name not in names:
            names.append(name)
    full["sources"] = sorted(set(full["sources"]) | set(linked.get("sources", [])))


def _where(shown: str, rec) -> tuple[str, int, dict[str, int]]:
    """Where a record and its quoted-text fields are, for checks made after reading."""
    return shown, rec.line, {k: rec.line_of(k) for k in AS_WRITTEN if k in rec}


def _raiser(shown: str, line: int, fld: str):
    def fail(msg):
        raise InputError(msg, file=shown, line=line, field=fld)
    return fail


def _default_source(rec_out: dict, doc, rec, fail_at, what: str) -> None:
    if "source" not in rec_out:
        if doc.get("source") is None:
            fail_at(rec.line, "source", f"missing: give the {what} a source, or the file a top-level `source:`")
        rec_out["source"] = doc["source"]


def _money(out: dict, rec, fail_at, amount: str, currency: str, usd: str) -> None:
    """An amount needs its currency; a USD amount is its own `amount_usd` (the article states it)."""
    if amount in out and currency not in out:
        fail_at(rec.line_of(amount), currency, f"missing: {amount} {out[amount]} needs a currency")
    if currency in out and amount not in out:
        fail_at(rec.line_of(currency), amount, f"missing: {currency} is given without an {amount}")
    if out.get(currency) == "USD" and usd not in out:
        out[usd] = out[amount]
