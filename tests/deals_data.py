"""Generated deals spreadsheets (a list of rounds written as one row per investor), shared by the
deals import tests and the --bulk comparison. Expected answers come from the list of rounds, never
from the importer's code."""
from __future__ import annotations

import csv
import random
from dataclasses import dataclass

HEADER = ["Organization Name", "Investor", "Announced On", "Raised Amount (USD)", "Funding Round Type",
          "Is Lead Investor"]


@dataclass
class Rnd:
    company: str
    date: str
    amount: int | None
    name: str
    investors: list[str]
    lead: str | None


def generate_rounds(seed: int = 7) -> list[Rnd]:
    rng = random.Random(seed)
    funds = [f"{w} Capital" for w in ("Amber", "Birch", "Cobalt", "Delta", "Ember", "Fjord", "Garnet", "Harbor")]
    funds += ["Sequoia China", "Alibaba"]  # names the seed already holds: they must join those entities
    rounds = []
    for i in range(12):
        company = f"{rng.choice(['Nova', 'Quill', 'Rift', 'Sable'])} {i} Robotics"
        for year in rng.sample(range(2019, 2025), rng.randint(1, 3)):
            investors = rng.sample(funds, rng.randint(1, 4))
            rounds.append(Rnd(company, f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                              rng.choice([None, rng.randint(1, 900) * 100_000]), rng.choice(["", "Series A", "Seed"]),
                              investors, rng.choice([None, investors[0]])))
    # Two lines on the same company and day, no round name: venture debt and equity, two rounds.
    rounds.append(Rnd("Sable 99 Robotics", "2024-03-05", 20_000_000, "", ["Amber Capital", "Birch Capital"], None))
    rounds.append(Rnd("Sable 99 Robotics", "2024-03-05", 5_000_000, "", ["Harbor Capital"], None))
    # An investor that also raised money in the file is a Company.
    rounds.append(Rnd("Amber Capital", "2018-01-01", 1_000_000, "Seed", ["Cobalt Capital"], "Cobalt Capital"))
    return rounds


def rows_of(rounds: list[Rnd]) -> list[list]:
    """One row per investor per round; the round's amount repeated on every row."""
    out = []
    for r in rounds:
        for inv in r.investors:
            lead = "" if r.lead is None else ("yes" if inv == r.lead else "no")
            out.append([r.company, inv, r.date, "" if r.amount is None else f"{r.amount:,}", r.name, lead])
    return out


def write_csv(path, rows, header=HEADER):
    with open(path, "w", newline="", encoding="utf-8-sig") as f:  # Excel's UTF-8: with a BOM
        csv.writer(f).writerows([header, *rows])
    return path


def write_rows(path, rows, bom=False):
    """`rows` (the header first) as a .csv file, with Excel's BOM if `bom`."""
    with open(path, "w", newline="", encoding="utf-8-sig" if bom else "utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


def write_xlsx(path, rows):
    """`rows` (the header first) as the first sheet of an .xlsx file (dates stay Excel date cells)."""
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path
