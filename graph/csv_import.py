"""Crunchbase CSV exports into the dealgraph model, checked first and then loaded in batches.

A folder holding a Crunchbase bulk export (v4: organizations.csv, funding_rounds.csv,
investments.csv, optionally investors.csv and people.csv) or the older flat 2015
investments.csv (one row per investment; detected by its header) becomes:

  organizations.csv  -> (:Entity:Company|Fund|GovernmentBody {id: "cb-<uuid>"}): Fund when
                        primary_role is "investor", GovernmentBody when investors.csv lists
                        "government_office" among its investor_types (state_backed = true)
  people.csv         -> (:Entity:Person {id: "cb-<uuid>"})
  investors.csv      -> investors that neither file above holds (type "person" -> Person)
  funding_rounds.csv -> (:Round {id: "cb-<uuid>", name, date, amount, currency, amount_usd,
                        valuation, valuation_currency, valuation_usd, investor_count, source}) and
                        (organisation)-[:RAISED]->(round)
  investments.csv    -> (investor)-[:INVESTED_IN {id: "cb-<uuid>", round, led, date, source}]->
                        (the organisation that raised the round); `led` is is_lead_investor
                        (the round's lead_investor_uuids sometimes disagree: the flag on the
                        investment row wins; blank is unknown, left unset). No per-investor
                        amount: the total is the Round's.

Every name and alias1..3 becomes an `aliases` entry and an (:Alias {key})-[:ALIAS_OF]->
edge, so names resolve as in the seed; country codes (ISO alpha-3 in Crunchbase) become
alpha-2. `source` on every fact, and in each entity's `sources`, is the import's name (default
"crunchbase:<folder name>"); no Article node is made for an import.

All-or-nothing: every row of every file is checked in a first streaming pass (columns, required
fields, and values by graph.values: numbers, dates, country codes; references between files) and
nothing is written if any row is bad; the first problem is reported as ``file:line: field:
problem``. With skip_invalid, bad rows (and the rows referring to them) are left out and listed
in a rejects file instead (graph.problems). The readers yield the writer's records, and the files
are loaded in batches by graph.write (the one writer), MERGE on constrained keys, so importing
the same files again changes nothing, and an import cut short is finished by running it again.
Memory holds the keys of entities and rounds (for the reference checks), never the rows.
"""
from __future__ import annotations

import csv
import io
import logging
import os
import re
import time
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from . import bulk as bulk_import, imports, values, write
from .batch import DEFAULT_BATCH_SIZE, StepResult, Summary, progress, write_batches
from .bulk import local_target
from .errors import DealgraphError, InputError
from .problems import Problems, clear_rejects, default_rejects_path
from .resolution import apply as apply_judgements
from .schema import check_label, ensure_schema
from .values import CONTROL

V4_COLUMNS = {  # the columns each file must have (the others are ignored)
    "organizations.csv": ("uuid", "name"),
    "people.csv": ("uuid", "name"),
    "investors.csv": ("uuid", "name", "type"),
    "funding_rounds.csv": ("uuid", "org_uuid", "announced_on"),
    "investments.csv": ("uuid", "funding_round_uuid", "investor_uuid"),
}
V4_REQUIRED_FILES = ("organizations.csv", "funding_rounds.csv", "investments.csv")
FLAT_COLUMNS = ("company_permalink", "company_name", "investor_permalink", "investor_name",
                "funding_round_permalink", "funded_at")
# Investor types that make an organisation a government body (Crunchbase's `investor_types`).
GOVERNMENT_TYPES = {"government_office"}

# Node steps send two batches at once so the server can use two cores; investment batches go one at
# a time, because concurrent relationship inserts on the same busy investors deadlock and retry.
NODE_WORKERS = 2


# -- reading ---------------------------------------------------------------------------------------
def _lines(f, path: str) -> Iterator[str]:
    """Decoded lines of a binary file (a UTF-8 BOM is dropped); bad bytes and control characters name their line."""
    for number, raw in enumerate(f, 1):
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text (byte {raw[exc.start]:#04x}); save the file as UTF-8",
                             file=path, line=number) from None
        bad = CONTROL.search(text)
        if bad:
            raise InputError(f"control character U+{ord(bad.group()):04X} at column {bad.start() + 1}",
                             file=path, line=number)
        yield text


# Bytes that are never part of a control character graph.values.CONTROL refuses: deleting them
# from a chunk leaves the C0 controls (and DEL) it holds; the C1 controls are 0xC2 0x80-0x9F in UTF-8.
_PLAIN_BYTES = bytes(b for b in range(256) if not (b < 0x20 and b not in b"\t\n\r") and b != 0x7F)
_C1 = re.compile(rb"\xc2[\x80-\x9f]")


def _no_control_bytes(f) -> bool:
    """Whether an open binary file holds no control character, by a fast scan of its bytes (C
    code, no decoding), and back at its start. The rare file that does is read line by line by
    _lines, which names the line."""
    try:
        while chunk := f.read(1 << 22):
            if chunk.endswith(b"\xc2"):
                chunk += f.read(1)
            if chunk.translate(None, _PLAIN_BYTES) or (b"\xc2" in chunk and _C1.search(chunk)):
                return False
        return True
    finally:
        f.seek(0)


def read_rows(path: str, required: tuple[str, ...] = (), on_bytes: Callable[[int], None] | None = None
              ) -> Iterator[tuple[int, dict]]:
    """(line number, row dict) for each data row of a CSV file, streaming, with its header checked.

    Files without control characters (nearly all) are decoded and split by C code (io and csv);
    a bad byte found on the way is then looked up by _lines, which names its line."""
    with open(path, "rb") as f:
        text = io.TextIOWrapper(f, encoding="utf-8-sig", newline="") if _no_control_bytes(f) else _lines(f, path)
        reader = csv.reader(text)
        try:
            header = next(reader, None)
            if header is None:
                raise InputError("empty file: expected a header line", file=path, line=1)
            header = [h.strip() for h in header]
            missing = [c for c in required if c not in header]
            if missing:
                raise InputError(f"missing column {missing[0]!r} (found: {', '.join(header[:8])}"
                                 f"{', ...' if len(header) > 8 else ''})", file=path, line=1, field="header")
            width = len(header)
            start = reader.line_num + 1
            seen = 0
            for record in reader:
                if record:
                    if len(record) != width:
                        raise InputError(f"{len(record)} fields where the header has {width}",
                                         file=path, line=start)
                    yield start, dict(zip(header, record))
                start = reader.line_num + 1
                if on_bytes and reader.line_num - seen >= 4096:
                    on_bytes(f.tell())
                    seen = reader.line_num
            if on_bytes:
                on_bytes(f.tell())
        except csv.Error as exc:
            raise InputError(f"malformed CSV: {exc}", file=path, line=reader.line_num) from None
        except UnicodeDecodeError:  # only the C path gets here: find the line as _lines would
            f.seek(0)
            for _ in _lines(f, path):
                pass
            raise


# -- field parsers: graph.values, one rule per kind of value for every source ---------------------
_date, _number, _count, _flag = values.date, values.amount, values.count, values.flag
_country, _currency, _short = values.country, values.currency, values.text


# -- the import ------------------------------------------------------------------------------------
@dataclass
class _Checked:
    """What the checking pass learnt: row counts, and the keys the load needs."""

    files: dict[str, str] = field(default_factory=dict)  # file name -> path
    rows: dict[str, int] = field(default_factory=dict)
    orgs: set = field(default_factory=set)
    people: set = field(default_factory=set)
    investors: set = field(default_factory=set)  # in investors.csv only
    government: set = field(default_factory=set)
    rounds: dict = field(default_factory=dict)  # uuid -> (organisation uuid, date): an investment's ends


_Problems = Problems


def _require(problems: _Problems, path: str, line: int, row: dict, *columns: str) -> bool:
    ok = True
    for column in columns:
        if not row.get(column, "").strip():
            problems.add(InputError("missing value", file=path, line=line, field=column), row)
            ok = False
        elif problems.check(path, line, column, _short, row[column], row) is None:
            ok = False
    return ok


def _cb(uid: str) -> str:
    return "cb-" + uid.strip()


def _aliases(*names: str) -> tuple[list[str], list[dict]]:
    spellings, keys = values.alias_keys(*names)
    return spellings, [{"key": k, "names": v} for k, v in keys.items()]


def _entity(source: str, kind: str, uid: str, name: str, *aliases: str, country=None, city=None, founded=None,
            description=None, state_backed=None) -> dict:
    """An entity record (graph.write)."""
    spellings, keys = _aliases(name, *aliases)
    return {"id": _cb(uid), "kind": check_label(kind), "keys": keys, "sources": [source], "props": {
        "name": name.strip(), "kind": kind, "aliases": spellings, "country": country,
        "city": (city or "").strip() or None, "founded": founded,
        "description": (description or "").strip() or None, "state_backed": state_backed}}


class V4Export:
    """The Crunchbase bulk export (v4): five files keyed on uuid."""

    def __init__(self, folder: Path, source: str, skip_invalid: bool = False):
        self.folder, self.source = folder, source
        self.checked = _Checked()
        self.problems = _Problems(skip=skip_invalid)
        self._investment_hashes = array("q")  # of the investment uuids, for _repeated_investments

    def path(self, name: str) -> str:
        return str(self.folder / name)

    def present(self) -> list[str]:
        return [n for n in V4_COLUMNS if (self.folder / n).is_file()]

    # -- pass 1 ------------------------------------------------------------------------------
    def check(self, on_progress: Callable[[int], None] | None = None) -> _Checked:
        """Read every row of every file; raise the first problem found (and count the others).

        With skip_invalid, a bad row is left out instead (and so are the rows that refer to it).
        `on_progress(n)` hears how many bytes of all files have been read so far.
        """
        c, p = self.checked, self.problems
        for name in V4_REQUIRED_FILES:
            if not (self.folder / name).is_file():
                raise InputError(f"no {name} here: a Crunchbase export needs {', '.join(V4_REQUIRED_FILES)}",
                                 file=str(self.folder))
        # Order matters: referenced keys are collected before the rows that reference them.
        read = 0
        for name in ("organizations.csv", "people.csv", "investors.csv", "funding_rounds.csv", "investments.csv"):
            if not (self.folder / name).is_file():
                continue
            path = self.path(name)
            c.files[name] = path
            n = 0
            watch = (lambda pos, base=read: on_progress(base + pos)) if on_progress else None
            read += os.path.getsize(path)
            check = getattr(self, "_check_" + name.split(".")[0])
            for line, row in read_rows(path, V4_COLUMNS[name], watch):
                p.row, before = row, p.count
                keep = check(p, path, line, row)
                if p.count > before:
                    if p.skip:  # rows that refer to it are left out too (without skip: not counted twice)
                        self._forget(name, row)
                elif keep is not False:
                    n += 1
            if name == "investments.csv":
                p.row = None
                n -= self._repeated_investments(p, path)
            c.rows[name] = n
        p.row = None
        p.raise_if_any()
        return c

    def _forget(self, name: str, row: dict) -> None:
        """A rejected row's key is not there for others to refer to (unless an earlier good row holds it)."""
        c, uid = self.checked, row.get("uuid", "").strip()
        if getattr(self, "_added", None) != uid:
            return
        for keys in (c.orgs, c.people, c.investors, c.government):
            keys.discard(uid)
        c.rounds.pop(uid, None)

    def _add(self, p, path, line, keys, uid: str, value=None) -> None:
        """Note a row's uuid among `keys` (with `value` for a dict); one the file gave before is refused."""
        if uid in keys:
            p.add(InputError(f"duplicate uuid {uid!r}", file=path, line=line, field="uuid"))
            self._added = None
        elif isinstance(keys, dict):
            self._added = uid
            keys[uid] = value
        else:
            self._added = uid
            keys.add(uid)

    def _check_organizations(self, p, path, line, row):
        self._added = None
        if _require(p, path, line, row, "uuid", "name"):
            self._add(p, path, line, self.checked.orgs, row["uuid"].strip())
        p.check(path, line, "country_code", _country, row.get("country_code", ""))
        p.check(path, line, "founded_on", _date, row.get("founded_on", ""))
        for column in ("alias1", "alias2", "alias3"):
            p.check(path, line, column, _short, row.get(column) or "")

    def _check_people(self, p, path, line, row):
        self._added = None
        if _require(p, path, line, row, "uuid", "name"):
            uid = row["uuid"].strip()
            if uid in self.checked.orgs:  # one entity: which would it be? (the organisation stays)
                p.add(InputError(f"uuid {uid!r} is an organisation's in organizations.csv", file=path, line=line,
                                 field="uuid"))
            else:
                self._add(p, path, line, self.checked.people, uid)
        p.check(path, line, "country_code", _country, row.get("country_code", ""))

    def _check_investors(self, p, path, line, row):
        self._added = None
        if not _require(p, path, line, row, "uuid", "name", "type"):
            return
        uid = row["uuid"].strip()
        kind = row["type"].strip().lower()
        if kind not in ("organization", "person"):
            p.add(InputError(f"not 'organization' or 'person': {row['type']!r}", file=path, line=line,
                             field="type"))
        p.check(path, line, "country_code", _country, row.get("country_code", ""))
        p.check(path, line, "founded_on", _date, row.get("founded_on", ""))
        types = {t.strip() for t in row.get("investor_types", "").split(",")}
        if types & GOVERNMENT_TYPES:
            self.checked.government.add(uid)
        if uid not in self.checked.orgs and uid not in self.checked.people:  # an entity of this file's own
            self._add(p, path, line, self.checked.investors, uid)
        else:
            return False  # written from organizations.csv or people.csv

    def _check_funding_rounds(self, p, path, line, row):
        self._added = None
        day = p.check(path, line, "announced_on", _date, row["announced_on"])
        if _require(p, path, line, row, "uuid", "org_uuid"):
            self._add(p, path, line, self.checked.rounds, row["uuid"].strip(), (row["org_uuid"].strip(), day))
            if row["org_uuid"].strip() not in self.checked.orgs:
                p.add(InputError(f"organisation {row['org_uuid'].strip()!r} is not in organizations.csv",
                                 file=path, line=line, field="org_uuid"))
        for column in ("raised_amount_usd", "raised_amount", "post_money_valuation_usd", "post_money_valuation"):
            p.check(path, line, column, _number, row.get(column, ""))
        p.check(path, line, "investor_count", _count, row.get("investor_count", ""))
        for column in ("raised_amount_currency_code", "post_money_valuation_currency_code"):
            p.check(path, line, column, _currency, row.get(column) or "")

    def _check_investments(self, p, path, line, row):
        c = self.checked
        self._added = None
        if not _require(p, path, line, row, "uuid", "funding_round_uuid", "investor_uuid"):
            return
        self._investment_hashes.append(hash(row["uuid"].strip()))
        if row["funding_round_uuid"].strip() not in c.rounds:
            p.add(InputError(f"round {row['funding_round_uuid'].strip()!r} is not in funding_rounds.csv",
                             file=path, line=line, field="funding_round_uuid"))
        investor = row["investor_uuid"].strip()
        if investor not in c.orgs and investor not in c.people and investor not in c.investors:
            p.add(InputError(f"investor {investor!r} is in none of organizations.csv, people.csv, investors.csv",
                             file=path, line=line, field="investor_uuid"))
        p.check(path, line, "is_lead_investor", _flag, row.get("is_lead_investor", ""))

    def _repeated_investments(self, p, path) -> int:
        """Refuse an investment uuid given twice (two facts with one id: the writer would stop on
        the server's constraint half-way through the import). The uuids' 64-bit hashes are kept, 8
        bytes a row, not a set of a million strings; only when two hashes agree is the file read
        again for the lines. Returns how many good rows that turned bad (with skip_invalid)."""
        import numpy as np

        hashes = np.sort(np.frombuffer(self._investment_hashes, dtype=np.int64))
        self._investment_hashes = array("q")
        twice = set(hashes[1:][hashes[1:] == hashes[:-1]].tolist())
        if not twice:
            return 0
        first, turned = {}, 0
        for line, row in read_rows(path):
            uid = row["uuid"].strip()
            if hash(uid) not in twice:
                continue
            if uid not in first:
                first[uid] = line
                continue
            turned += not p.bad(path, line)
            p.add(InputError(f"duplicate uuid {uid!r} (also on line {first[uid]})", file=path, line=line,
                             field="uuid"), row)
        return turned

    # -- pass 2 ------------------------------------------------------------------------------
    def steps(self):
        """(file name, rows expected, writer, records) for each load step, in order (graph.write)."""
        c = self.checked
        yield "organizations.csv", c.rows["organizations.csv"], ENTITIES, self._organizations()
        if "people.csv" in c.files:
            yield "people.csv", c.rows["people.csv"], ENTITIES, self._people()
        if c.investors:
            yield "investors.csv", len(c.investors), ENTITIES, self._investors()
        yield "funding_rounds.csv", c.rows["funding_rounds.csv"], ROUNDS, self._rounds()
        yield "investments.csv", c.rows["investments.csv"], FACTS, self._investments()

    def _rows(self, name):
        path, p = self.checked.files[name], self.problems
        for line, row in read_rows(path):
            if not (p.skip and p.bad(path, line)):
                yield line, row

    def _organizations(self):
        government = self.checked.government
        for _, row in self._rows("organizations.csv"):
            uid = row["uuid"].strip()
            gov = uid in government
            kind = "GovernmentBody" if gov else "Fund" if row.get("primary_role", "").strip() == "investor" \
                else "Company"
            yield _entity(self.source, kind, uid, row["name"], row.get("alias1"), row.get("alias2"),
                          row.get("alias3"), country=_country(row.get("country_code", "")), city=row.get("city"),
                          founded=_date(row.get("founded_on", "")), description=row.get("short_description"),
                          state_backed=True if gov else None)

    def _people(self):
        for _, row in self._rows("people.csv"):
            yield _entity(self.source, "Person", row["uuid"], row["name"],
                          country=_country(row.get("country_code", "")), city=row.get("city"))

    def _investors(self):
        only_here, government = self.checked.investors, self.checked.government
        for _, row in self._rows("investors.csv"):
            uid = row["uuid"].strip()
            if uid not in only_here:
                continue
            gov = uid in government
            roles = {r.strip() for r in row.get("roles", "").split(",")}
            kind = "Person" if row["type"].strip().lower() == "person" else "GovernmentBody" if gov \
                else "Company" if "company" in roles else "Fund"
            yield _entity(self.source, kind, uid, row["name"], country=_country(row.get("country_code", "")),
                          city=row.get("city"), founded=_date(row.get("founded_on", "")),
                          state_backed=True if gov else None)

    def _rounds(self):
        for _, row in self._rows("funding_rounds.csv"):
            amount = _number(row.get("raised_amount", ""))
            valuation = _number(row.get("post_money_valuation", ""))
            yield {"id": _cb(row["uuid"]), "company": _cb(row["org_uuid"]), "props": {
                "name": row.get("name", "").strip() or None,
                "date": _date(row["announced_on"]),
                "amount": amount,
                "currency": (row.get("raised_amount_currency_code", "").strip() or None) if amount is not None
                else None,
                "amount_usd": _number(row.get("raised_amount_usd", "")),
                "valuation": valuation,
                "valuation_currency": (row.get("post_money_valuation_currency_code", "").strip() or None)
                if valuation is not None else None,
                "valuation_usd": _number(row.get("post_money_valuation_usd", "")),
                "investor_count": _count(row.get("investor_count", "")),
                "source": self.source,
            }}

    def _investments(self):
        rounds = self.checked.rounds
        for _, row in self._rows("investments.csv"):
            round_uid = row["funding_round_uuid"].strip()
            org, day = rounds[round_uid]
            yield _investment(_cb(row["uuid"]), _cb(round_uid), _cb(row["investor_uuid"]), _cb(org),
                              day, _flag(row.get("is_lead_investor", "")), self.source)


def _investment(fact_id, round_id, investor, company, day, led, source) -> dict:
    """An INVESTED_IN fact record (graph.write); `led` None is unknown and left unset."""
    return {"id": fact_id, "type": "INVESTED_IN", "from": investor, "to": company,
            "props": {"round": round_id, "led": led, "date": day, "source": source}}


class FlatExport:
    """The older flat export: one investments.csv row per investment (company, investor, round).

    Keys are permalinks ("/organization/acme" -> id "cb-organization/acme"). Investors whose
    permalink is a person's are Person, those that also raised money are Company, others Fund.
    The file says nothing about leads: `led` is left unset (unknown, not false).
    """

    def __init__(self, folder: Path, source: str, skip_invalid: bool = False):
        self.folder, self.source = folder, source
        self.file = str(folder / "investments.csv")
        self.rows = 0
        self.companies: set = set()
        self.investors: set = set()
        self.rounds: dict = {}  # round permalink -> (its company's permalink, the line that said so)
        self.problems = _Problems(skip=skip_invalid)

    def present(self) -> list[str]:
        return ["investments.csv"]

    def path(self, name: str) -> str:
        return str(self.folder / name)

    def check(self, on_progress: Callable[[int], None] | None = None):
        p, path = self.problems, self.file
        for line, row in read_rows(path, FLAT_COLUMNS, on_progress):
            p.row, before = row, p.count
            required = _require(p, path, line, row, "company_permalink", "company_name", "investor_permalink",
                                "investor_name", "funding_round_permalink")
            p.check(path, line, "funded_at", _date, row["funded_at"])
            p.check(path, line, "raised_amount_usd", _number, row.get("raised_amount_usd", ""))
            for column in ("company_country_code", "investor_country_code"):
                p.check(path, line, column, _country, row.get(column, ""))
            if required:
                # A round raised by two companies would make one investment (round, investor) two facts
                # with one id: the writer would stop on the server's constraint half-way through.
                company, round_key = row["company_permalink"].strip(), row["funding_round_permalink"].strip()
                raised_by, said = self.rounds.get(round_key, (company, line))
                if company != raised_by:
                    p.add(InputError(f"round {round_key!r} is {raised_by!r}'s on line {said}, not {company!r}",
                                     file=path, line=line, field="company_permalink"))
            if required and p.count == before:
                self.rows += 1
                self.companies.add(company)
                self.investors.add(row["investor_permalink"].strip())
                self.rounds.setdefault(round_key, (company, line))
        p.row = None
        p.raise_if_any()

    def steps(self):
        only_investors = len(self.investors - self.companies)
        yield "companies", len(self.companies), ENTITIES, self._companies()
        yield "investors", only_investors, ENTITIES, self._investors()
        yield "rounds", len(self.rounds), ROUNDS, self._rounds()
        yield "investments", self.rows, FACTS, self._investments()

    def _good(self):
        p = self.problems
        for line, row in read_rows(self.file):
            if not (p.skip and p.bad(self.file, line)):
                yield row

    def _once(self, column):
        seen = set()
        for row in self._good():
            key = row[column].strip()
            if key not in seen:
                seen.add(key)
                yield key, row

    def _companies(self):
        for key, row in self._once("company_permalink"):
            yield _entity(self.source, "Company", _plain(key), row["company_name"],
                          country=_country(row.get("company_country_code", "")), city=row.get("company_city"))

    def _investors(self):
        for key, row in self._once("investor_permalink"):
            if key in self.companies:
                continue
            kind = "Person" if key.strip("/").startswith("person/") else "Fund"
            yield _entity(self.source, kind, _plain(key), row["investor_name"],
                          country=_country(row.get("investor_country_code", "")), city=row.get("investor_city"))

    def _rounds(self):
        for key, row in self._once("funding_round_permalink"):
            name = " ".join(x for x in (row.get("funding_round_type", "").strip().replace("_", " ").title(),
                                        row.get("funding_round_code", "").strip().upper()) if x)
            yield {"id": _cb(_plain(key)), "company": _cb(_plain(row["company_permalink"])), "props": {
                "name": f"{name} - {row['company_name'].strip()}" if name else row["company_name"].strip(),
                "date": _date(row["funded_at"]), "amount_usd": _number(row.get("raised_amount_usd", "")),
                "source": self.source}}

    def _investments(self):
        for row in self._good():
            round_key, investor = _plain(row["funding_round_permalink"]), _plain(row["investor_permalink"])
            fact_id = values.bounded_id(_cb(f"{round_key}/{investor}"))  # two permalinks: past an index key?
            yield _investment(fact_id, _cb(round_key), _cb(investor),
                              _cb(_plain(row["company_permalink"])), _date(row["funded_at"]), None, self.source)


def _plain(permalink: str) -> str:
    return permalink.strip().strip("/")


def _header(path: str) -> list[str]:
    with open(path, "rb") as f:
        first = next(_lines(f, path), "")
    return [h.strip() for h in next(csv.reader([first]), [])]


def default_source(folder) -> str:
    return "crunchbase:" + Path(folder).resolve().name


def import_csv(conn, folder, *, batch_size: int = DEFAULT_BATCH_SIZE, source: str | None = None,
               show_progress: bool | None = None, skip_invalid: bool = False, rejects=None,
               bulk: bool = False) -> Summary:
    """Import a Crunchbase export folder: check every row, then load it in batches. Returns a Summary.

    `bulk`: write the same records through `neo4j-admin database import full` instead (graph.bulk:
    only into the local server's empty database; anything else is refused before reading).

    Raises InputError (``file:line: field: problem``) before writing anything if any row is bad,
    unless `skip_invalid`: then bad rows (and rows referring to them) are left out and written to
    `rejects` (default ``<folder>.rejects.csv`` beside the folder).
    `show_progress`: a progress bar on stderr (default: when stderr is a terminal).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("not a folder (expected a folder of Crunchbase CSV files)", file=str(folder))
    if batch_size < 1:
        raise DealgraphError(f"batch size must be at least 1, not {batch_size}")
    source = imports.check_source(source or default_source(folder))
    if bulk:
        local_target(conn)
    investments = folder / "investments.csv"
    flat = investments.is_file() and "company_permalink" in _header(str(investments))
    export = (FlatExport if flat else V4Export)(folder, source, skip_invalid=skip_invalid)
    with progress(show_progress) as bar:
        total = sum(os.path.getsize(export.path(n)) for n in export.present())
        checking = bar.add_task("checking", total=total, unit="bytes")
        started = time.perf_counter()
        export.check(on_progress=lambda done: bar.update(checking, completed=done))
        checked = StepResult("checking every row", seconds=time.perf_counter() - started)
        bad = len(export.problems.rejected)
        rejects_path = rejects or default_rejects_path(folder)
        written = export.problems.write_rejects(rejects_path) if bad else None
        if bulk:
            summary = bulk_import.write_steps(conn, export.steps(), source=source, kind="csv", bar=bar)
        else:
            summary = write_steps(conn, export.steps(), source=source, kind="csv", batch_size=batch_size, bar=bar)
    summary.steps.insert(0, checked)
    summary.rejected, summary.rejects = bad, written
    if not bad and clear_rejects(rejects_path):
        summary.notes.append(f"Nothing rejected: removed the earlier {rejects_path}")
    return summary


ENTITIES, ROUNDS, FACTS = "entities", "rounds", "facts"


def write_steps(conn, steps, *, source: str, kind: str, batch_size: int, bar, last=None) -> Summary:
    """Write (name, expected, what, records) steps in batches through graph.write, recorded as an (:Import).

    `what` is ENTITIES, ROUNDS or FACTS. Node steps send two batches at once; fact batches one at
    a time (concurrent inserts on the same busy investors deadlock and retry). `last(tx)`, if
    given, runs in one more transaction before the import is marked complete.
    """
    # A batched import reports what it created, not what it updated: the writers skip that count;
    # its rounds cite no article.
    writers = {ENTITIES: lambda tx, rows: write.entities(tx, rows, [source], track=False),
               ROUNDS: lambda tx, rows: write.rounds(tx, rows, track=False, articles=False),
               FACTS: lambda tx, rows: write.facts(tx, rows, track=False)}
    ensure_schema(conn)
    steps = list(steps)
    imports.begin(conn, source, kind, sum(expected for _, expected, _, _ in steps))
    summary = Summary()
    driver_log = logging.getLogger("neo4j")
    level = driver_log.level
    driver_log.setLevel(logging.ERROR)  # a deadlock between our own batches is retried: not news
    try:
        for name, expected, what, rows in steps:
            task = bar.add_task(name, total=expected)
            summary.steps.append(write_batches(
                conn, writers[what], rows, batch_size=batch_size, step=StepResult(name),
                advance=lambda n, t=task: bar.advance(t, n), workers=1 if what == FACTS else NODE_WORKERS))
    finally:
        driver_log.setLevel(level)
    if last is not None:
        conn.execute_write(last)
    imports.finish(conn, source)  # only now does the graph say this import is whole
    summary.notes += apply_judgements(conn)  # the user's merges survive every import
    return summary
