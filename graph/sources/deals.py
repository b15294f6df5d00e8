"""The deals source: any deals spreadsheet (.csv or .xlsx, one row per investor per round), read and planned.

PitchBook, Dealroom, CB Insights or one's own Excel file: each names the same things with other
headers. A row is one investment: `investor` and `company` (names, required), and where the
file has them `date`, `amount`, `currency`, `amount_usd`, `round` (name or type), `lead`,
`investor_country`, `company_country`, `investor_kind`. Headers are recognised by their common
names (HEADERS; case, spaces and punctuation ignored) and `--column FIELD=HEADER` names the others.

Rounds (the rule README documents): rows of the same company, date and round name are one
(:Round). An amount repeated on each investor row is the round's, stored once on the Round (a
round is never counted once per investor). Rows of the same company, date and round name that
give different amounts are different rounds (a venture-debt line and an equity round on the same
day), each with its own amount; rows without an amount then belong to the round when there is
only one, else to a round of their own. Exact duplicate rows count once.

Names: each name is looked up by its key in the alias index (graph.names.name_key, as `dealgraph
resolve` does), through the `lookup` function the pipeline hands in (graph.resolve.alias_lookup):
this module never talks to Neo4j. One match: the row joins that entity (a deal naming "Sequoia China" joins the
seed's HongShan). Several: the row is refused (ambiguous). None: a new entity, a Company for
companies, for investors the kind `investor_kind` says, else a Company if it also raised money in
the file, else a Fund.

Values (graph.values): each file's columns settle what its rows leave open (`settle`): the
day/month order of numeric dates (a date with a day over 12, or --dayfirst/--monthfirst) and the
grouping of amounts (1.500.000,50 or 1,500,000.50); placeholders ("Not Published", "N/A", --null)
are empty cells, counted per column. A row that names no investor but a round or a date is a
round without a named investor (a Round, no investment). The summary says how each was read.

Checking never writes: every row is read (graph.sources.rows) and checked (graph.values), names are
resolved, and only then does graph.pipeline write the records; a bad row stops the import
(`file:line: field: problem`) unless `skip_invalid` leaves it out and lists it in the rejects file.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import values
from ..errors import DealgraphError, InputError
from ..names import name_key
from ..problems import Problems, default_rejects_path
from . import ENTITIES, FACTS, ROUNDS, Source, Step
from .rows import read_table

FIELDS = ("investor", "company", "date", "amount", "currency", "amount_usd", "round", "lead",
          "investor_country", "company_country", "investor_kind")
REQUIRED = ("investor", "company")  # a row may leave the investor out: a round without a named investor
# Common header names per field, normalised (see `normal`): first found wins.
HEADERS = {
    "investor": ("investor", "investor_name", "investors", "investor_names", "backer", "backer_name",
                 "investor_organization", "investor_org_name"),
    "company": ("company", "company_name", "organization", "organization_name", "org_name", "startup",
                "startup_name", "portfolio_company", "target", "target_company", "investee"),
    "date": ("date", "funded_at", "funded_when", "announced_on", "announced_date", "announcement_date",
             "deal_date", "round_date", "funding_date", "closed_on", "close_date", "investment_date"),
    "amount": ("amount", "raised_amount", "money_raised", "deal_size", "round_size", "amount_raised",
               "investment_amount"),
    "currency": ("currency", "raised_amount_currency_code", "amount_currency", "currency_code",
                 "money_raised_currency"),
    "amount_usd": ("amount_usd", "raised_amount_usd", "money_raised_usd", "amount_in_usd", "deal_size_usd",
                   "round_size_usd", "usd_amount", "amount_raised_usd", "total_usd"),
    "round": ("round", "round_name", "funding_round_type", "round_type", "funding_type", "deal_type",
              "series", "stage", "funding_round", "investment_type", "funding_round_code"),
    "lead": ("lead", "is_lead_investor", "is_lead", "lead_investor_flag", "led", "lead_flag"),
    "investor_country": ("investor_country", "investor_country_code", "investor_hq_country", "investor_location",
                         "investor_hq", "investor_hq_location", "investor_headquarters", "investor_nationality"),
    "company_country": ("company_country", "company_country_code", "country", "country_code",
                        "organization_country", "hq_country", "headquarters_country", "company_location",
                        "company_hq", "company_hq_country", "hq", "hq_location", "headquarters",
                        "organization_location", "company_headquarters", "country_name"),
    "investor_kind": ("investor_kind", "investor_type", "investor_category", "type_of_investor"),
}
# investor_kind words -> entity kind
KINDS = {
    "fund": "Fund", "vc": "Fund", "venture_capital": "Fund", "private_equity": "Fund", "pe": "Fund",
    "investment_firm": "Fund", "accelerator": "Fund", "family_office": "Fund", "hedge_fund": "Fund",
    "company": "Company", "corporate": "Company", "corporation": "Company", "corporate_venture": "Company",
    "cvc": "Company", "person": "Person", "individual": "Person", "angel": "Person", "angel_investor": "Person",
    "government": "GovernmentBody", "governmentbody": "GovernmentBody", "government_body": "GovernmentBody",
    "state": "GovernmentBody", "government_fund": "GovernmentBody",
}


def normal(header) -> str:
    """A header as compared: lower case, a BOM and punctuation dropped, words joined by '_'."""
    return re.sub(r"[^0-9a-z]+", "_", str(header or "").replace("\ufeff", "").lower()).strip("_")


# -- reading ---------------------------------------------------------------------------------------
def mapping(header: list[str], columns: dict[str, str] | None = None, file: str = "") -> dict[str, str]:
    """field -> header for the fields this file has: `columns` first (FIELD=HEADER), then HEADERS.

    Raises InputError listing the headers found when a required field has no column.
    """
    columns = dict(columns or {})
    found = {normal(h): h for h in reversed(header) if h}
    chosen: dict[str, str] = {}
    for fld, wanted in columns.items():
        if fld not in FIELDS:
            raise DealgraphError(f"--column {fld}={wanted}: unknown field {fld!r} (fields: {', '.join(FIELDS)})")
        match = wanted if wanted in header else found.get(normal(wanted))
        if match is None:
            raise InputError(f"--column {fld}={wanted}: no such column (found: {_listed(header)})", file=file, line=1)
        chosen[fld] = match
    taken = set(chosen.values())
    for fld in FIELDS:
        if fld in chosen:
            continue
        for name in HEADERS[fld]:
            if name in found and found[name] not in taken:
                chosen[fld] = found[name]
                taken.add(found[name])
                break
    for fld in REQUIRED:
        if fld not in chosen:
            raise InputError(f"no column for {fld!r} (found: {_listed(header)}); name it with "
                             f"--column {fld}=HEADER", file=file, line=1)
    return {fld: chosen[fld] for fld in FIELDS if fld in chosen}


def _listed(header) -> str:
    shown = [h for h in header if h]
    return ", ".join(shown[:30]) + (", ..." if len(shown) > 30 else "") if shown else "none"


@dataclass
class Deal:
    """One checked row: an investment of `investor` in `company`."""

    file: str
    line: int
    investor: str | None
    company: str
    date: str | None = None
    amount: int | float | None = None
    currency: str | None = None
    amount_usd: int | float | None = None
    round: str | None = None
    lead: bool | None = None
    investor_country: str | None = None
    company_country: str | None = None
    investor_kind: str | None = None
    raw: dict | None = field(default=None, repr=False)  # the row as read (for the rejects file)
    origin: str | None = field(default=None, repr=False)  # where the currency came from (the summary's)

    def same(self) -> tuple:
        """What makes two rows the same investment (file and line aside)."""
        return tuple(getattr(self, f) for f in FIELDS)


@dataclass
class Columns:
    """What one file's columns settle for all its rows: the day/month order of its dates, the
    grouping of its amounts (graph.values), and the placeholders that mean "not given"."""

    order: str | None = None                                   # "day" / "month" (values.date)
    styles: dict[str, str] = field(default_factory=dict)       # field -> "en" / "eu" (values.amount_style)
    nulls: frozenset = frozenset()                             # placeholders --null adds
    notes: list[str] = field(default_factory=list)             # how each was settled, for the summary
    placeholders: Counter = field(default_factory=Counter)     # (header, cell) -> times seen

    def cell(self, row: dict, header: str):
        """The cell, None where it is a placeholder (counted)."""
        v = row.get(header)
        if values.placeholder(v, self.nulls):
            self.placeholders[header, v.strip()] += 1
            return None
        return v


ORDER_WORDS = {"day": "day first", "month": "month first"}


def settle(file: str, rows: list, fields: dict[str, str], order: str | None = None, nulls=()) -> Columns:
    """The file's Columns; a date column that only ambiguous dates settle is refused (InputError)."""
    cols = Columns(order=order, nulls=frozenset(n.strip().casefold() for n in nulls))
    name = Path(file).name

    def cells(fld):
        return ((line, None if values.placeholder(row.get(fields[fld]), cols.nulls) else row.get(fields[fld]))
                for line, row in rows)

    if "date" in fields and order:
        cols.notes.append(f"Dates in {fields['date']} of {name}: {ORDER_WORDS[order]} (--{order}first)")
    elif "date" in fields:
        try:
            found = values.date_order(cells("date"))
        except values.ColumnError as exc:
            raise InputError(str(exc), file=file, line=exc.line, field=fields["date"]) from None
        if found:
            cols.order, line, shown = found
            cols.notes.append(f"Dates in {fields['date']} of {name}: {ORDER_WORDS[cols.order]} (line {line}: "
                              f"{shown!r} has a day over 12)")
    for fld in ("amount", "amount_usd"):
        found = values.amount_style(cells(fld)) if fld in fields else None
        if found:
            cols.styles[fld], line, shown = found
            cols.notes.append(f"Amounts in {fields[fld]} of {name}: grouped {values.STYLE_NAMES[found[0]]} "
                              f"(line {line}: {shown!r})")
    return cols


CHECKS = {"date": lambda v, c: values.date(v, c.order), "currency": lambda v, c: values.currency(v),
          "round": lambda v, c: values.text(v), "lead": lambda v, c: values.flag(v),
          "investor_country": lambda v, c: values.country(v), "company_country": lambda v, c: values.country(v)}


def check_row(file: str, line: int, row: dict, fields: dict[str, str], problems: Problems,
              cols: Columns | None = None) -> Deal | None:
    """The row as a Deal, or None with its problems recorded (file:line: field)."""
    cols = cols or Columns()
    before = problems.count
    got = {}
    for fld in ("investor", "company"):
        name = problems.check(file, line, fields[fld], values.text, cols.cell(row, fields[fld]), row)
        if name is None and problems.count == before and fld == "company":
            problems.add(InputError(f"missing {fld} name", file=file, line=line, field=fields[fld]), row)
        elif name is not None and not name_key(name):
            problems.add(InputError(f"{fld} name {name!r} has no letters or digits", file=file, line=line,
                                    field=fields[fld]), row)
        got[fld] = name
    if got["investor"] and got["company"] and name_key(got["investor"]) == name_key(got["company"]) and \
            name_key(got["company"]):
        problems.add(InputError(f"the investor is the company itself ({got['company']!r})", file=file, line=line,
                                field=fields["investor"]), row)
    for fld, check in CHECKS.items():
        if fld in fields:
            got[fld] = problems.check(file, line, fields[fld], lambda v, check=check: check(v, cols),
                                      cols.cell(row, fields[fld]), row)
    if got["investor"] is None and problems.count == before and not (got.get("round") or got.get("date")):
        problems.add(InputError("missing investor name (a row without one is a round: give its round or date)",
                                file=file, line=line, field=fields["investor"]), row)
    origin = _check_money(file, line, row, fields, problems, cols, got)
    if "investor_kind" in fields:
        kind = cols.cell(row, fields["investor_kind"])
        if not values.blank(kind):
            got["investor_kind"] = KINDS.get(normal(kind))
            if got["investor_kind"] is None:
                problems.add(InputError(f"unknown investor kind {kind!r} (expected one of: fund, company, person, "
                                        "government, or words such as vc, corporate, angel)", file=file, line=line,
                                        field=fields["investor_kind"]), row)
    if problems.count > before:
        return None
    return Deal(file=file, line=line, raw=row, origin=origin, **got)


def _check_money(file, line, row, fields, problems: Problems, cols: Columns, got: dict) -> str | None:
    """Amount, currency and amount_usd of the row into `got`; returns where the currency came from."""
    origin = None
    for fld, given in (("amount", got.get("currency")), ("amount_usd", "USD")):
        if fld not in fields:
            continue
        money = problems.check(file, line, fields[fld], lambda v: values.money(v, cols.styles.get(fld), given),
                               cols.cell(row, fields[fld]), row)
        got[fld] = money.amount if money else None
        if fld == "amount" and money and money.amount is not None:
            got["currency"] = money.currency
            origin = f"'{money.mark}'" if money.mark else "its column" if money.currency else None
    if got.get("amount") is not None:
        currency = row.get(fields["currency"]) if "currency" in fields else None
        if got.get("currency") is None and (values.blank(currency) or values.placeholder(currency, cols.nulls)):
            problems.add(InputError(f"amount {got['amount']} needs a currency (add a currency column, or map the "
                                    "column with --column amount_usd=HEADER if it is in USD)", file=file, line=line,
                                    field=fields["amount"]), row)
        elif got["currency"] == "USD" and got.get("amount_usd") is None:
            got["amount_usd"] = got["amount"]
    elif got.get("amount_usd") is not None:
        origin = "the USD column"
    return origin


@dataclass
class Read:
    """Everything read from the files, before any name is looked up."""

    deals: list[Deal] = field(default_factory=list)
    mappings: dict[str, dict[str, str]] = field(default_factory=dict)  # file -> field -> header
    rows: int = 0
    duplicates: int = 0
    problems: Problems = field(default_factory=Problems)
    notes: list[str] = field(default_factory=list)              # how each file's columns were read
    placeholders: Counter = field(default_factory=Counter)      # (header, cell) -> times seen
    currencies: dict[str, Counter] = field(default_factory=dict)  # currency -> where it came from -> rows


def read_deals(paths, columns: dict[str, str] | None = None, skip_invalid: bool = False, on_mapping=None,
               order: str | None = None, nulls=()) -> Read:
    """Read and check every row of every file (nothing is looked up or written).

    `on_mapping(file, mapping)` hears each file's mapping as soon as it is chosen. `order` ("day"
    or "month") reads numeric dates; without it each file's date column settles its own order.
    `nulls`: cell texts that mean "not given" besides values.PLACEHOLDERS.
    """
    out = Read(problems=Problems(skip=skip_invalid))
    seen: set[tuple] = set()
    for path in map(Path, paths):
        shown = str(path)
        if not path.is_file():
            raise InputError("no such file", file=shown)
        header, rows = read_table(path)
        fields = mapping(header, columns, shown)
        out.mappings[shown] = fields
        if on_mapping:
            on_mapping(shown, fields)
        rows = list(rows)
        cols = settle(shown, rows, fields, order, nulls)
        out.notes += cols.notes
        for line, row in rows:
            out.rows += 1
            out.problems.row = row
            deal = check_row(shown, line, row, fields, out.problems, cols)
            if deal is None:
                continue
            if deal.currency and deal.origin:
                out.currencies.setdefault(deal.currency, Counter())[deal.origin] += 1
            if deal.same() in seen:
                out.duplicates += 1
                continue
            seen.add(deal.same())
            out.deals.append(deal)
        out.placeholders.update(cols.placeholders)
    out.problems.row = None
    return out


def read_notes(read: Read) -> list[str]:
    """The summary's lines on how the files were read: day/month order, grouping, placeholders, currencies."""
    notes = list(read.notes)
    per_column: dict[str, Counter] = {}
    for (header, cell), n in read.placeholders.items():
        per_column.setdefault(header, Counter())[cell] += n
    if per_column:
        notes.append("Placeholders: " + ", ".join(
            f"{header} {sum(c.values()):,} ({', '.join(f'{cell} {n:,}' for cell, n in sorted(c.items()))})"
            for header, c in per_column.items()))
    if read.currencies:
        notes.append("Currencies: " + ", ".join(
            f"{cur} {sum(c.values()):,} ({', '.join(f'{n:,} from {origin}' for origin, n in c.most_common())})"
            for cur, c in sorted(read.currencies.items(), key=lambda kv: -sum(kv[1].values()))))
    return notes


# -- rounds ----------------------------------------------------------------------------------------
@dataclass
class Round:
    key: tuple                     # (company key, date, round name key, amount or None)
    company: str                   # company name key
    date: str | None
    name: str | None
    amount: int | float | None = None
    currency: str | None = None
    amount_usd: int | float | None = None
    deals: list[Deal] = field(default_factory=list)


def _money(deal: Deal):
    """What tells a round's amount apart: USD where known, else the amount in its currency."""
    if deal.amount_usd is not None:
        return ("USD", deal.amount_usd)
    if deal.amount is not None:
        return (deal.currency, deal.amount)
    return None


def plan_rounds(deals: list[Deal]) -> tuple[list[Round], int]:
    """Group deals into rounds (the module's rule); returns the rounds and how many were split by amount."""
    groups: dict[tuple, list[Deal]] = {}
    for deal in deals:
        groups.setdefault((name_key(deal.company), deal.date, name_key(deal.round or "")), []).append(deal)
    rounds: list[Round] = []
    split = 0
    for (company, day, name), members in groups.items():
        amounts = list(dict.fromkeys(m for m in map(_money, members) if m is not None))
        split_here = len(amounts) > 1
        split += len(amounts) if split_here else 0
        parts: dict = {}
        for deal in members:
            money = _money(deal)
            if money is None and len(amounts) == 1:
                money = amounts[0]  # the round's amount, given on some of its rows only
            parts.setdefault(money, []).append(deal)
        for money, part in parts.items():
            rnd = Round(key=(company, day, name, money if split_here else None), company=company, date=day,
                        name=next((d.round for d in part if d.round), None), deals=part)
            priced = next((d for d in part if _money(d) is not None), None)
            if priced:
                rnd.amount, rnd.currency, rnd.amount_usd = priced.amount, priced.currency, priced.amount_usd
                if rnd.amount is None:
                    rnd.currency = None
            rounds.append(rnd)
    return rounds, split


def round_id(source: str, rnd: Round) -> str:
    company, day, name, money = rnd.key
    parts = [source, company, day or "undated", name or "-"]
    if money is not None:  # one of several rounds that day, told apart by amount
        parts.append(f"{money[0]}{money[1]}")
    return values.bounded_id(":".join(parts))


# -- names -----------------------------------------------------------------------------------------
def new_id(key: str) -> str:
    """The id of an entity a deals import creates: from its name key, so every spelling finds it."""
    return "deal-" + key


@dataclass
class Plan:
    """What an import of deals will write, and what it found on the way."""

    source: str
    read: Read
    entities: list[dict] = field(default_factory=list)
    rounds: list[dict] = field(default_factory=list)
    facts: list[dict] = field(default_factory=list)
    joined: int = 0
    new: int = 0
    split: int = 0
    joined_ids: list[str] = field(default_factory=list)  # entities of other sources the rows name
    used_ids: list[str] = field(default_factory=list)    # every entity the rows name


def plan(read: Read, source: str, lookup: Callable[[list[str]], dict[str, list[dict]]]) -> Plan:
    """Resolve names (`lookup`: name keys -> the entities holding them), drop rows naming an
    ambiguous entity (a problem), and build the records to write."""
    keys = {name_key(d.company) for d in read.deals} | {name_key(d.investor) for d in read.deals if d.investor}
    found = lookup(sorted(keys))
    ids, own = _ids(keys, found, source)
    deals = _resolvable(read, ids, found)
    out = Plan(source=source, read=read)
    used = {name_key(d.company) for d in deals} | {name_key(d.investor) for d in deals if d.investor}
    out.new = len(used & own)
    out.joined = len(used - own)
    out.joined_ids = sorted(ids[k] for k in used - own)
    out.used_ids = sorted(ids[k] for k in used)
    out.entities = _new_entities(deals, own, source)
    out.rounds, out.facts, out.split = _rounds_and_facts(deals, ids, source)
    return out


def _ids(keys: set[str], found: dict[str, list[dict]], source: str) -> tuple[dict[str, str], set[str]]:
    """name key -> entity id for each key naming one entity or none (a new one, or one this source
    made before); and the keys whose entities are this source's own. Ambiguous keys get no id."""
    ids: dict[str, str] = {}
    own: set[str] = set()
    for key in keys:
        matches = found.get(key, [])
        if not matches or (len(matches) == 1 and matches[0]["id"] == new_id(key) and source in matches[0]["sources"]):
            ids[key] = new_id(key)
            own.add(key)
        elif len(matches) == 1:
            ids[key] = matches[0]["id"]
    return ids, own


def _resolvable(read: Read, ids: dict[str, str], found: dict[str, list[dict]]) -> list[Deal]:
    """The deals whose two names each name one entity, and not the same one; the others are problems."""
    problems, deals = read.problems, []
    for deal in read.deals:
        bad = False
        for fld in ("company", "investor"):
            key = name_key(getattr(deal, fld) or "")
            if key and key not in ids:
                listed = ", ".join(f"{m['name']} ({m['id']})" for m in found[key])
                problems.add(InputError(f"{fld} name {getattr(deal, fld)!r} is ambiguous: it may mean {listed}",
                                        file=deal.file, line=deal.line, field=read.mappings[deal.file][fld]), deal.raw)
                bad = True
        if not bad and deal.investor and ids[name_key(deal.investor)] == ids[name_key(deal.company)]:
            problems.add(InputError(f"investor {deal.investor!r} and company {deal.company!r} are the same entity "
                                    f"({ids[name_key(deal.company)]})", file=deal.file, line=deal.line,
                                    field=read.mappings[deal.file]["investor"]), deal.raw)
            bad = True
        if not bad:
            deals.append(deal)
    return deals


def _new_entities(deals: list[Deal], own: set[str], source: str) -> list[dict]:
    """Entity records for the names this source owns: every spelling, the first country given, the
    kind the rule says."""
    spellings: dict[str, list[str]] = {}
    country: dict[str, str] = {}
    kind: dict[str, str] = {}
    raised = {name_key(d.company) for d in deals}
    for deal in deals:
        for name, ctry, is_company in ((deal.company, deal.company_country, True),
                                       (deal.investor, deal.investor_country, False)):
            key = name_key(name or "")
            if key not in own:
                continue
            spellings.setdefault(key, [])
            if name not in spellings[key]:
                spellings[key].append(name)
            if ctry and key not in country:
                country[key] = ctry
            if not is_company and deal.investor_kind and key not in kind:
                kind[key] = deal.investor_kind
    out = []
    for key in sorted(spellings):
        names, alias_keys = values.alias_keys(*spellings[key])
        k = kind.get(key) or ("Company" if key in raised else "Fund")
        out.append({"id": new_id(key), "kind": k, "sources": [source],
                    "keys": [{"key": a, "names": v} for a, v in alias_keys.items()],
                    "props": {"name": names[0], "kind": k, "aliases": names, "country": country.get(key)}})
    return out


def _rounds_and_facts(deals: list[Deal], ids: dict[str, str], source: str) -> tuple[list[dict], list[dict], int]:
    """Round and INVESTED_IN records (the rounds rule), and how many rounds were split by amount."""
    rounds, split = plan_rounds(deals)
    out: list[dict] = []
    facts: dict[str, dict] = {}
    for rnd in rounds:
        rid = round_id(source, rnd)
        company = ids[rnd.company]
        investors = {name_key(d.investor) for d in rnd.deals if d.investor}
        out.append({"id": rid, "company": company, "props": {
            "name": rnd.name, "date": rnd.date, "amount": rnd.amount, "currency": rnd.currency,
            "amount_usd": rnd.amount_usd, "investor_count": len(investors) or None, "source": source}})
        for deal in rnd.deals:
            if not deal.investor:  # a row of the round that names no investor: the round alone
                continue
            investor = ids[name_key(deal.investor)]
            fid = values.bounded_id(f"{rid}:{name_key(deal.investor)}")
            fact = facts.get(fid)
            if fact is None:
                facts[fid] = {"id": fid, "type": "INVESTED_IN", "from": investor, "to": company,
                              "props": {"round": rid, "led": deal.lead, "date": rnd.date, "source": source}}
            elif deal.lead is not None:
                fact["props"]["led"] = bool(fact["props"]["led"]) or deal.lead
    return out, list(facts.values()), split


def default_source(paths) -> str:
    return "deals:" + "+".join(Path(p).name for p in paths)


class DealsSource(Source):
    """Deals spreadsheets as a source (graph.sources): checked rows, names resolved by `lookup`,
    then entities, rounds and investments; rewritten whole on every import (`whole`)."""

    kind = "deals"
    whole = True

    def __init__(self, paths, *, lookup: Callable[[list[str]], dict[str, list[dict]]],
                 columns: dict[str, str] | None = None, name: str | None = None, skip_invalid: bool = False,
                 on_mapping=None, order: str | None = None, nulls=()):
        super().__init__()
        self.paths = [Path(p) for p in paths]
        if not self.paths:
            raise DealgraphError("no file given")
        self.name = name or default_source(self.paths)
        self.lookup, self.columns, self.skip_invalid, self.on_mapping = lookup, columns, skip_invalid, on_mapping
        self.order, self.nulls = order, nulls
        self.planned: Plan | None = None

    @property
    def rejects(self):
        return default_rejects_path(self.paths[0])

    def check(self, on_progress=None) -> None:
        read = read_deals(self.paths, self.columns, self.skip_invalid, self.on_mapping, self.order, self.nulls)
        self.problems = read.problems
        read.problems.raise_if_any()
        self.planned = plan(read, self.name, self.lookup)
        read.problems.raise_if_any()

    def steps(self):
        done = self.planned
        yield Step("entities", len(done.entities), ENTITIES, iter(done.entities))
        yield Step("rounds", len(done.rounds), ROUNDS, iter(done.rounds))
        yield Step("investments", len(done.facts), FACTS, iter(done.facts))

    def notes(self) -> list[str]:
        done, read = self.planned, self.planned.read
        bad = len(read.problems.rejected)
        kept = read.rows - bad - read.duplicates
        return [
            f"Rows: {read.rows:,} read, {kept:,} imported, {bad:,} rejected, {read.duplicates:,} exact duplicates "
            "counted once",
            f"Rounds: {len(done.rounds):,} ({done.split:,} of them split: same company, date and round name, "
            "different amounts)",
            f"Names: {done.joined:,} joined existing entities, {done.new:,} new",
        ] + read_notes(read)

    @property
    def joined(self) -> tuple[list[str], list[str]]:
        """The entities of other sources the rows name, and every entity they name (graph.write.joined)."""
        return self.planned.joined_ids, self.planned.used_ids
