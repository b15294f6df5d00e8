"""Any deals spreadsheet (.csv or .xlsx, one row per investor per round) into the graph.

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
resolve` does). One match: the row joins that entity (a deal naming "Sequoia China" joins the
seed's HongShan). Several: the row is refused (ambiguous). None: a new entity, a Company for
companies, for investors the kind `investor_kind` says, else a Company if it also raised money in
the file, else a Fund.

Checking never writes: every row is read and checked (graph.values), names are resolved, and only
then is anything written, by graph.write in batches; a bad row stops the import (`file:line:
field: problem`) unless `skip_invalid` leaves it out and lists it in the rejects file.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import bulk as bulk_import, imports, values, write
from .batch import StepResult, progress
from .bulk import local_target
from .csv_import import ENTITIES, FACTS, ROUNDS, _header, read_rows, write_steps
from .errors import DealgraphError, InputError
from .names import name_key
from .problems import Problems, clear_rejects, default_rejects_path

FIELDS = ("investor", "company", "date", "amount", "currency", "amount_usd", "round", "lead",
          "investor_country", "company_country", "investor_kind")
REQUIRED = ("investor", "company")
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
    "investor_country": ("investor_country", "investor_country_code", "investor_hq_country"),
    "company_country": ("company_country", "company_country_code", "country", "country_code",
                        "organization_country", "hq_country", "headquarters_country"),
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
def _rows(path: Path):
    """(header, iterator of (line, row dict)) of a .csv or .xlsx file; line = the row's number in the file."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _header(str(path)), read_rows(str(path))
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path)
    raise InputError("not a .csv or .xlsx file", file=str(path))


def _xlsx(path: Path):
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InputError(f"cannot read as .xlsx: {exc}", file=str(path)) from None
    sheet = book.worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header, start = None, 0
    for number, cells in enumerate(lines, 1):
        if any(c not in (None, "") for c in cells):
            header, start = [("" if c is None else str(c)).strip() for c in cells], number
            break
    if header is None:
        book.close()
        raise InputError("empty sheet: expected a header row", file=str(path), line=1)

    def rows():
        try:
            for number, cells in enumerate(lines, start + 1):
                if all(c in (None, "") for c in cells):
                    continue
                yield number, {h: c for h, c in zip(header, cells) if h}
        finally:
            book.close()

    return header, rows()


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
    investor: str
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

    def same(self) -> tuple:
        """What makes two rows the same investment (file and line aside)."""
        return tuple(getattr(self, f) for f in FIELDS)


CHECKS = {"date": values.date, "amount": values.amount, "amount_usd": values.amount, "currency": values.currency,
          "round": values.text, "lead": values.flag, "investor_country": values.country,
          "company_country": values.country}


def check_row(file: str, line: int, row: dict, fields: dict[str, str], problems: Problems) -> Deal | None:
    """The row as a Deal, or None with its problems recorded (file:line: field)."""
    before = problems.count
    got = {}
    for fld in ("investor", "company"):
        value = row.get(fields[fld])
        name = problems.check(file, line, fields[fld], values.text, value, row)
        if name is None and problems.count == before:
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
            got[fld] = problems.check(file, line, fields[fld], check, row.get(fields[fld]), row)
    if "investor_kind" in fields:
        kind = row.get(fields["investor_kind"])
        if not values.blank(kind):
            got["investor_kind"] = KINDS.get(normal(kind))
            if got["investor_kind"] is None:
                problems.add(InputError(f"unknown investor kind {kind!r} (expected one of: fund, company, person, "
                                        "government, or words such as vc, corporate, angel)", file=file, line=line,
                                        field=fields["investor_kind"]), row)
    if got.get("amount") is not None:
        if got.get("currency") is None and ("currency" not in fields or values.blank(row.get(fields["currency"]))):
            problems.add(InputError(f"amount {got['amount']} needs a currency (add a currency column, or map the "
                                    "column with --column amount_usd=HEADER if it is in USD)", file=file, line=line,
                                    field=fields["amount"]), row)
        elif got["currency"] == "USD" and got.get("amount_usd") is None:
            got["amount_usd"] = got["amount"]
    if problems.count > before:
        return None
    return Deal(file=file, line=line, raw=row, **got)


@dataclass
class Read:
    """Everything read from the files, before any name is looked up."""

    deals: list[Deal] = field(default_factory=list)
    mappings: dict[str, dict[str, str]] = field(default_factory=dict)  # file -> field -> header
    rows: int = 0
    duplicates: int = 0
    problems: Problems = field(default_factory=Problems)


def read_deals(paths, columns: dict[str, str] | None = None, skip_invalid: bool = False, on_mapping=None) -> Read:
    """Read and check every row of every file (nothing is looked up or written).

    `on_mapping(file, mapping)` hears each file's mapping as soon as it is chosen.
    """
    out = Read(problems=Problems(skip=skip_invalid))
    seen: set[tuple] = set()
    for path in map(Path, paths):
        shown = str(path)
        if not path.is_file():
            raise InputError("no such file", file=shown)
        header, rows = _rows(path)
        fields = mapping(header, columns, shown)
        out.mappings[shown] = fields
        if on_mapping:
            on_mapping(shown, fields)
        for line, row in rows:
            out.rows += 1
            out.problems.row = row
            deal = check_row(shown, line, row, fields, out.problems)
            if deal is None:
                continue
            if deal.same() in seen:
                out.duplicates += 1
                continue
            seen.add(deal.same())
            out.deals.append(deal)
    out.problems.row = None
    return out


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


_LOOKUP = """
UNWIND $keys AS key
MATCH (a:Alias {key: key})-[:ALIAS_OF]->(e:Entity) USING INDEX SEEK a:Alias(key)
RETURN key, collect({id: e.id, name: e.name, sources: coalesce(e.sources, [])}) AS found
"""


def lookup(conn, keys: list[str]) -> dict[str, list[dict]]:
    """name key -> the entities holding it in the alias index (read only)."""
    out: dict[str, list[dict]] = {}
    keys = sorted(keys)
    for i in range(0, len(keys), 5000):
        for row in conn.read(_LOOKUP, {"keys": keys[i:i + 5000]}):
            out[row["key"]] = sorted(row["found"], key=lambda e: e["id"])
    return out


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


def plan(conn, read: Read, source: str) -> Plan:
    """Resolve names, drop rows naming an ambiguous entity (a problem), and build the records to write."""
    problems = read.problems
    companies = {name_key(d.company) for d in read.deals}
    keys = companies | {name_key(d.investor) for d in read.deals}
    found = lookup(conn, list(keys))
    ids: dict[str, str] = {}
    own: set[str] = set()
    for key in keys:
        matches = found.get(key, [])
        if not matches or (len(matches) == 1 and matches[0]["id"] == new_id(key) and source in matches[0]["sources"]):
            ids[key] = new_id(key)
            own.add(key)
        elif len(matches) == 1:
            ids[key] = matches[0]["id"]
    deals = []
    for deal in read.deals:
        bad = False
        for fld in ("company", "investor"):
            key = name_key(getattr(deal, fld))
            if key not in ids:
                listed = ", ".join(f"{m['name']} ({m['id']})" for m in found[key])
                problems.add(InputError(f"{fld} name {getattr(deal, fld)!r} is ambiguous: it may mean {listed}",
                                        file=deal.file, line=deal.line, field=read.mappings[deal.file][fld]), deal.raw)
                bad = True
        if not bad and ids[name_key(deal.investor)] == ids[name_key(deal.company)]:
            problems.add(InputError(f"investor {deal.investor!r} and company {deal.company!r} are the same entity "
                                    f"({ids[name_key(deal.company)]})", file=deal.file, line=deal.line,
                                    field=read.mappings[deal.file]["investor"]), deal.raw)
            bad = True
        if not bad:
            deals.append(deal)
    out = Plan(source=source, read=read)
    used = {name_key(d.company) for d in deals} | {name_key(d.investor) for d in deals}
    out.new = len(used & own)
    out.joined = len(used - own)

    # New entities: every spelling, the first country given, the kind the rule says.
    spellings: dict[str, list[str]] = {}
    country: dict[str, str] = {}
    kind: dict[str, str] = {}
    raised = {name_key(d.company) for d in deals}
    for deal in deals:
        for name, ctry, is_company in ((deal.company, deal.company_country, True),
                                       (deal.investor, deal.investor_country, False)):
            key = name_key(name)
            if key not in own:
                continue
            spellings.setdefault(key, [])
            if name not in spellings[key]:
                spellings[key].append(name)
            if ctry and key not in country:
                country[key] = ctry
            if not is_company and deal.investor_kind and key not in kind:
                kind[key] = deal.investor_kind
    for key in sorted(spellings):
        names, alias_keys = values.alias_keys(*spellings[key])
        k = kind.get(key) or ("Company" if key in raised else "Fund")
        out.entities.append({"id": new_id(key), "kind": k, "sources": [source],
                             "keys": [{"key": a, "names": v} for a, v in alias_keys.items()],
                             "props": {"name": names[0], "kind": k, "aliases": names, "country": country.get(key)}})

    rounds, out.split = plan_rounds(deals)
    facts: dict[str, dict] = {}
    for rnd in rounds:
        rid = round_id(source, rnd)
        company = ids[rnd.company]
        investors = {name_key(d.investor) for d in rnd.deals}
        out.rounds.append({"id": rid, "company": company, "props": {
            "name": rnd.name, "date": rnd.date, "amount": rnd.amount, "currency": rnd.currency,
            "amount_usd": rnd.amount_usd, "investor_count": len(investors), "source": source}})
        for deal in rnd.deals:
            investor = ids[name_key(deal.investor)]
            fid = values.bounded_id(f"{rid}:{name_key(deal.investor)}")
            fact = facts.get(fid)
            if fact is None:
                facts[fid] = {"id": fid, "type": "INVESTED_IN", "from": investor, "to": company,
                              "props": {"round": rid, "led": deal.lead, "date": rnd.date, "source": source}}
            elif deal.lead is not None:
                fact["props"]["led"] = bool(fact["props"]["led"]) or deal.lead
    out.facts = list(facts.values())
    return out


def default_source(paths) -> str:
    return "deals:" + "+".join(Path(p).name for p in paths)


def import_deals(conn, paths, *, columns: dict[str, str] | None = None, source: str | None = None,
                 skip_invalid: bool = False, rejects=None, batch_size: int = 5000,
                 show_progress: bool | None = None, on_mapping=None, bulk: bool = False):
    """Import deals spreadsheets: read and check every row, resolve names, then write in batches.

    Returns a graph.batch.Summary whose notes say how many rows, rounds (split ones counted) and
    names (joined vs new) there were. Without `skip_invalid`, any bad row raises InputError and
    nothing is written; with it, bad rows go to `rejects` (default `<stem>.rejects.csv` beside the
    first file). Re-importing the same source leaves no round or investment it no longer holds.
    `bulk`: through `neo4j-admin database import full` into the local server's empty database (graph.bulk).
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise DealgraphError("no file given")
    source = imports.check_source(source or default_source(paths))
    if bulk:
        local_target(conn)
    started = time.perf_counter()
    read = read_deals(paths, columns, skip_invalid, on_mapping)
    read.problems.raise_if_any()
    done = plan(conn, read, source)
    read.problems.raise_if_any()
    checked = StepResult("checking every row", seconds=time.perf_counter() - started)
    bad = len(read.problems.rejected)
    rejects_path = rejects or default_rejects_path(paths[0])
    written = read.problems.write_rejects(rejects_path) if bad else None
    steps = [("entities", len(done.entities), ENTITIES, iter(done.entities)),
             ("rounds", len(done.rounds), ROUNDS, iter(done.rounds)),
             ("investments", len(done.facts), FACTS, iter(done.facts))]
    round_ids, fact_ids = [r["id"] for r in done.rounds], [f["id"] for f in done.facts]
    with progress(show_progress) as bar:
        if bulk:  # an empty graph: nothing to sweep

            summary = bulk_import.write_steps(conn, steps, source=source, kind="deals", bar=bar)
        else:
            summary = write_steps(conn, steps, source=source, kind="deals", batch_size=batch_size, bar=bar,
                                  last=lambda tx: write.sweep(tx, source, round_ids, fact_ids))
    summary.steps.insert(0, checked)
    summary.rejected, summary.rejects = bad, written
    if not bad and clear_rejects(rejects_path):
        summary.notes.append(f"Nothing rejected: removed the earlier {rejects_path}")
    kept = read.rows - bad - read.duplicates
    summary.notes += [
        f"Rows: {read.rows:,} read, {kept:,} imported, {bad:,} rejected, {read.duplicates:,} exact duplicates "
        "counted once",
        f"Rounds: {len(done.rounds):,} ({done.split:,} of them split: same company, date and round name, "
        "different amounts)",
        f"Names: {done.joined:,} joined existing entities, {done.new:,} new",
    ]
    return summary
