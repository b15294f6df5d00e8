"""The Crunchbase source: CSV exports read and checked into the writer's records.

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
in a rejects file instead (graph.problems). The readers yield the writer's records, which
graph.pipeline writes (MERGE on constrained keys, so importing the same files again changes
nothing, and an import cut short is finished by running it again). This module never talks to Neo4j.
Memory holds the keys of entities and rounds (for the reference checks), never the rows.
"""
from __future__ import annotations

import os
from array import array
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import values
from ..errors import InputError
from ..problems import Problems, default_rejects_path
from ..schema import check_label
from . import ENTITIES, FACTS, ROUNDS, Source, Step
from .rows import header, read_rows

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

# -- the readers ------------------------------------------------------------------------------------
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


def _require(problems: Problems, path: str, line: int, row: dict, *columns: str) -> bool:
    ok = True
    for column in columns:
        if not row.get(column, "").strip():
            problems.add(InputError("missing value", file=path, line=line, field=column), row)
            ok = False
        elif problems.check(path, line, column, values.text, row[column], row) is None:
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


class _Export(Source):
    """What both kinds of export share as a source (graph.sources): a folder of CSV files."""

    kind = "csv"

    def __init__(self, folder: Path, name: str, skip_invalid: bool = False):
        super().__init__()
        self.folder, self.name = Path(folder), name
        self.problems = Problems(skip=skip_invalid)

    @property
    def rejects(self):
        return default_rejects_path(self.folder)

    def path(self, name: str) -> str:
        return str(self.folder / name)

    def present(self) -> list[str]:
        raise NotImplementedError

    @property
    def size(self) -> int:
        return sum(os.path.getsize(self.path(n)) for n in self.present())


class V4Export(_Export):
    """The Crunchbase bulk export (v4): five files keyed on uuid."""

    def __init__(self, folder: Path, name: str, skip_invalid: bool = False):
        super().__init__(folder, name, skip_invalid)
        self.checked = _Checked()
        self._investment_hashes = array("q")  # of the investment uuids, for _repeated_investments

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
        p.check(path, line, "country_code", values.country, row.get("country_code", ""))
        p.check(path, line, "founded_on", values.date, row.get("founded_on", ""))
        for column in ("alias1", "alias2", "alias3"):
            p.check(path, line, column, values.text, row.get(column) or "")

    def _check_people(self, p, path, line, row):
        self._added = None
        if _require(p, path, line, row, "uuid", "name"):
            uid = row["uuid"].strip()
            if uid in self.checked.orgs:  # one entity: which would it be? (the organisation stays)
                p.add(InputError(f"uuid {uid!r} is an organisation's in organizations.csv", file=path, line=line,
                                 field="uuid"))
            else:
                self._add(p, path, line, self.checked.people, uid)
        p.check(path, line, "country_code", values.country, row.get("country_code", ""))

    def _check_investors(self, p, path, line, row):
        self._added = None
        if not _require(p, path, line, row, "uuid", "name", "type"):
            return
        uid = row["uuid"].strip()
        kind = row["type"].strip().lower()
        if kind not in ("organization", "person"):
            p.add(InputError(f"not 'organization' or 'person': {row['type']!r}", file=path, line=line,
                             field="type"))
        p.check(path, line, "country_code", values.country, row.get("country_code", ""))
        p.check(path, line, "founded_on", values.date, row.get("founded_on", ""))
        types = {t.strip() for t in row.get("investor_types", "").split(",")}
        if types & GOVERNMENT_TYPES:
            self.checked.government.add(uid)
        if uid not in self.checked.orgs and uid not in self.checked.people:  # an entity of this file's own
            self._add(p, path, line, self.checked.investors, uid)
        else:
            return False  # written from organizations.csv or people.csv

    def _check_funding_rounds(self, p, path, line, row):
        self._added = None
        day = p.check(path, line, "announced_on", values.date, row["announced_on"])
        if _require(p, path, line, row, "uuid", "org_uuid"):
            self._add(p, path, line, self.checked.rounds, row["uuid"].strip(), (row["org_uuid"].strip(), day))
            if row["org_uuid"].strip() not in self.checked.orgs:
                p.add(InputError(f"organisation {row['org_uuid'].strip()!r} is not in organizations.csv",
                                 file=path, line=line, field="org_uuid"))
        for column in ("raised_amount_usd", "raised_amount", "post_money_valuation_usd", "post_money_valuation"):
            p.check(path, line, column, values.amount, row.get(column, ""))
        p.check(path, line, "investor_count", values.count, row.get("investor_count", ""))
        for column in ("raised_amount_currency_code", "post_money_valuation_currency_code"):
            p.check(path, line, column, values.currency, row.get(column) or "")

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
        p.check(path, line, "is_lead_investor", values.flag, row.get("is_lead_investor", ""))

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
        """A Step (file name, rows expected, record kind, records) for each write step, in order."""
        c = self.checked
        yield Step("organizations.csv", c.rows["organizations.csv"], ENTITIES, self._organizations())
        if "people.csv" in c.files:
            yield Step("people.csv", c.rows["people.csv"], ENTITIES, self._people())
        if c.investors:
            yield Step("investors.csv", len(c.investors), ENTITIES, self._investors())
        yield Step("funding_rounds.csv", c.rows["funding_rounds.csv"], ROUNDS, self._rounds())
        yield Step("investments.csv", c.rows["investments.csv"], FACTS, self._investments())

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
            yield _entity(self.name, kind, uid, row["name"], row.get("alias1"), row.get("alias2"),
                          row.get("alias3"), country=values.country(row.get("country_code", "")), city=row.get("city"),
                          founded=values.date(row.get("founded_on", "")), description=row.get("short_description"),
                          state_backed=True if gov else None)

    def _people(self):
        for _, row in self._rows("people.csv"):
            yield _entity(self.name, "Person", row["uuid"], row["name"],
                          country=values.country(row.get("country_code", "")), city=row.get("city"))

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
            yield _entity(self.name, kind, uid, row["name"], country=values.country(row.get("country_code", "")),
                          city=row.get("city"), founded=values.date(row.get("founded_on", "")),
                          state_backed=True if gov else None)

    def _rounds(self):
        for _, row in self._rows("funding_rounds.csv"):
            amount = values.amount(row.get("raised_amount", ""))
            valuation = values.amount(row.get("post_money_valuation", ""))
            yield {"id": _cb(row["uuid"]), "company": _cb(row["org_uuid"]), "props": {
                "name": row.get("name", "").strip() or None,
                "date": values.date(row["announced_on"]),
                "amount": amount,
                "currency": (row.get("raised_amount_currency_code", "").strip() or None) if amount is not None
                else None,
                "amount_usd": values.amount(row.get("raised_amount_usd", "")),
                "valuation": valuation,
                "valuation_currency": (row.get("post_money_valuation_currency_code", "").strip() or None)
                if valuation is not None else None,
                "valuation_usd": values.amount(row.get("post_money_valuation_usd", "")),
                "investor_count": values.count(row.get("investor_count", "")),
                "source": self.name,
            }}

    def _investments(self):
        rounds = self.checked.rounds
        for _, row in self._rows("investments.csv"):
            round_uid = row["funding_round_uuid"].strip()
            org, day = rounds[round_uid]
            yield _investment(_cb(row["uuid"]), _cb(round_uid), _cb(row["investor_uuid"]), _cb(org),
                              day, values.flag(row.get("is_lead_investor", "")), self.name)


def _investment(fact_id, round_id, investor, company, day, led, source) -> dict:
    """An INVESTED_IN fact record (graph.write); `led` None is unknown and left unset."""
    return {"id": fact_id, "type": "INVESTED_IN", "from": investor, "to": company,
            "props": {"round": round_id, "led": led, "date": day, "source": source}}


class FlatExport(_Export):
    """The older flat export: one investments.csv row per investment (company, investor, round).

    Keys are permalinks ("/organization/acme" -> id "cb-organization/acme"). Investors whose
    permalink is a person's are Person, those that also raised money are Company, others Fund.
    The file says nothing about leads: `led` is left unset (unknown, not false).
    """

    def __init__(self, folder: Path, name: str, skip_invalid: bool = False):
        super().__init__(folder, name, skip_invalid)
        self.file = str(self.folder / "investments.csv")
        self.rows = 0
        self.companies: set = set()
        self.investors: set = set()
        self.rounds: dict = {}  # round permalink -> (its company's permalink, the line that said so)

    def present(self) -> list[str]:
        return ["investments.csv"]

    def check(self, on_progress: Callable[[int], None] | None = None):
        p, path = self.problems, self.file
        for line, row in read_rows(path, FLAT_COLUMNS, on_progress):
            p.row, before = row, p.count
            required = _require(p, path, line, row, "company_permalink", "company_name", "investor_permalink",
                                "investor_name", "funding_round_permalink")
            p.check(path, line, "funded_at", values.date, row["funded_at"])
            p.check(path, line, "raised_amount_usd", values.amount, row.get("raised_amount_usd", ""))
            for column in ("company_country_code", "investor_country_code"):
                p.check(path, line, column, values.country, row.get(column, ""))
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
        yield Step("companies", len(self.companies), ENTITIES, self._companies())
        yield Step("investors", only_investors, ENTITIES, self._investors())
        yield Step("rounds", len(self.rounds), ROUNDS, self._rounds())
        yield Step("investments", self.rows, FACTS, self._investments())

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
            yield _entity(self.name, "Company", _plain(key), row["company_name"],
                          country=values.country(row.get("company_country_code", "")), city=row.get("company_city"))

    def _investors(self):
        for key, row in self._once("investor_permalink"):
            if key in self.companies:
                continue
            kind = "Person" if key.strip("/").startswith("person/") else "Fund"
            yield _entity(self.name, kind, _plain(key), row["investor_name"],
                          country=values.country(row.get("investor_country_code", "")), city=row.get("investor_city"))

    def _rounds(self):
        for key, row in self._once("funding_round_permalink"):
            name = " ".join(x for x in (row.get("funding_round_type", "").strip().replace("_", " ").title(),
                                        row.get("funding_round_code", "").strip().upper()) if x)
            yield {"id": _cb(_plain(key)), "company": _cb(_plain(row["company_permalink"])), "props": {
                "name": f"{name} - {row['company_name'].strip()}" if name else row["company_name"].strip(),
                "date": values.date(row["funded_at"]), "amount_usd": values.amount(row.get("raised_amount_usd", "")),
                "source": self.name}}

    def _investments(self):
        for row in self._good():
            round_key, investor = _plain(row["funding_round_permalink"]), _plain(row["investor_permalink"])
            fact_id = values.bounded_id(_cb(f"{round_key}/{investor}"))  # two permalinks: past an index key?
            yield _investment(fact_id, _cb(round_key), _cb(investor),
                              _cb(_plain(row["company_permalink"])), values.date(row["funded_at"]), None, self.name)


def _plain(permalink: str) -> str:
    return permalink.strip().strip("/")


def default_source(folder) -> str:
    return "crunchbase:" + Path(folder).resolve().name


def open_export(folder, name: str | None = None, skip_invalid: bool = False) -> "V4Export | FlatExport":
    """The export in `folder` as a source: the flat 2015 file when investments.csv has its header, else v4."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError("not a folder (expected a folder of Crunchbase CSV files)", file=str(folder))
    investments = folder / "investments.csv"
    flat = investments.is_file() and "company_permalink" in header(str(investments))
    return (FlatExport if flat else V4Export)(folder, name or default_source(folder), skip_invalid=skip_invalid)
