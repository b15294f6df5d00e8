"""A seeded generator of Crunchbase-shaped CSV exports (bulk export v4 columns), of any size.

    python -m bench.generate OUT_DIR --investments 100000 [--seed 7]

writes organizations.csv, funding_rounds.csv, investments.csv, investors.csv and people.csv.
The same seed and size give byte-identical files. Investor activity is heavy-tailed, as in real
venture data: each investor's number of deals is drawn from a discrete Pareto law
(P(deals >= k) = k^-1.2), so most investors have one or two deals and a handful have thousands
(capped at investments/200). Some investors are people (angels), some government offices,
some corporations; names repeat (Crunchbase keys on uuid, not name) and a few carry accents or
Arabic script, so the importer's name keys are exercised. As in real exports,
`is_lead_investor` sometimes disagrees with the round's `lead_investor_uuids`.

    python -m bench.generate OUT_DIR --investments 100000 --plant 300

also plants 300 duplicates: investors that appear a second time under another uuid and a variant
of their name (a legal suffix, case, accents, a typo, Chinese or Arabic script), with the same
country and every other of their investments; the truth goes beside the export, in
OUT_DIR.planted.csv. Without --plant the files are exactly those of the same seed and size
(planting draws from a random generator of its own).
"""
from __future__ import annotations

import argparse
import csv
import random
import uuid as uuidlib
from datetime import date, timedelta
from pathlib import Path

ORGANIZATION_COLUMNS = (
    "uuid,name,type,permalink,cb_url,rank,created_at,updated_at,legal_name,roles,domain,homepage_url,"
    "country_code,state_code,region,city,address,postal_code,status,short_description,category_list,"
    "category_groups_list,num_funding_rounds,total_funding_usd,total_funding,total_funding_currency_code,"
    "founded_on,last_funding_on,closed_on,employee_count,email,phone,facebook_url,linkedin_url,twitter_url,"
    "logo_url,alias1,alias2,alias3,primary_role,num_exits").split(",")
FUNDING_ROUND_COLUMNS = (
    "uuid,name,type,permalink,cb_url,rank,created_at,updated_at,country_code,state_code,region,city,"
    "investment_type,announced_on,raised_amount_usd,raised_amount,raised_amount_currency_code,"
    "post_money_valuation_usd,post_money_valuation,post_money_valuation_currency_code,investor_count,"
    "org_uuid,org_name,lead_investor_uuids").split(",")
INVESTMENT_COLUMNS = (
    "uuid,name,type,permalink,cb_url,rank,created_at,updated_at,funding_round_uuid,funding_round_name,"
    "investor_uuid,investor_name,investor_type,is_lead_investor").split(",")
INVESTOR_COLUMNS = (
    "uuid,name,type,permalink,cb_url,rank,created_at,updated_at,roles,domain,country_code,state_code,"
    "region,city,investor_types,investment_count,total_funding_usd,total_funding,"
    "total_funding_currency_code,founded_on,closed_on,facebook_url,linkedin_url,twitter_url,logo_url").split(",")
PEOPLE_COLUMNS = (
    "uuid,name,type,permalink,cb_url,rank,created_at,updated_at,first_name,last_name,gender,country_code,"
    "state_code,region,city,featured_job_organization_uuid,featured_job_organization_name,"
    "featured_job_title,facebook_url,linkedin_url,twitter_url,logo_url").split(",")

COUNTRIES = [("USA", "San Francisco"), ("USA", "New York"), ("CHN", "Beijing"), ("CHN", "Shanghai"),
             ("GBR", "London"), ("IND", "Bangalore"), ("DEU", "Berlin"), ("FRA", "Paris"), ("ISR", "Tel Aviv"),
             ("SGP", "Singapore"), ("VNM", "Hanoi"), ("VNM", "Ho Chi Minh City"), ("ARE", "Abu Dhabi"),
             ("SAU", "Riyadh"), ("JPN", "Tokyo"), ("KOR", "Seoul"), ("CAN", "Toronto"), ("BRA", "São Paulo")]
SYLLABLES = ["zen", "tri", "lo", "nex", "va", "qua", "ra", "mi", "sol", "ar", "tek", "bo", "li", "do", "vi",
             "ka", "ner", "os", "pha", "gen", "lum", "ix", "ta", "mo", "ren", "sy", "zu", "cor", "an", "el"]
ORG_SUFFIXES = ["", "", " Labs", " AI", " Technologies", " Systems", " Robotics", " Health", " Energy", " Bio"]
FUND_SUFFIXES = [" Capital", " Ventures", " Partners", " Investments", " Fund", " Holdings"]
# Names in other scripts and with accents, as in the seed articles.
EXOTIC = ["Công ty Cổ phần Đầu tư Việt", "Quỹ Đổi Mới Sáng Tạo", "Tập đoàn Công nghệ Sài Gòn",
          "شركة الاستثمار الوطنية", "صندوق الإمارات للتقنية", "Société Générale d'Innovation", "Zürich Kapital"]
FIRST = ["An", "Bao", "Chen", "Dana", "Elif", "Farah", "Giang", "Hiro", "Ines", "Jun", "Karim", "Linh", "Mei",
         "Nadia", "Omar", "Priya", "Quang", "Rosa", "Sami", "Tuan", "Uma", "Viktor", "Wei", "Yara", "Zoe"]
LAST = ["Nguyen", "Tran", "Le", "Wang", "Li", "Zhang", "Smith", "Garcia", "Al-Farsi", "Haddad", "Kim", "Sato",
        "Müller", "Rossi", "Cohen", "Patel", "Okafor", "Silva", "Dubois", "Novak"]
ROUND_TYPES = [("pre_seed", 0.3e6), ("seed", 1.5e6), ("angel", 0.5e6), ("series_a", 8e6), ("series_b", 25e6),
               ("series_c", 60e6), ("series_unknown", 5e6), ("corporate_round", 20e6), ("grant", 1e6)]
CATEGORIES = ["Artificial Intelligence", "Machine Learning", "FinTech", "Robotics", "E-Commerce", "SaaS",
              "Health Care", "Semiconductor", "Cloud Computing", "Education"]
RATES = {"USD": 1.0, "CNY": 7.1, "EUR": 0.92, "VND": 24500.0}


class _Gen:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def uuid(self) -> str:
        return str(uuidlib.UUID(int=self.rng.getrandbits(128), version=4))

    def word(self) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 3))).capitalize()

    def org_name(self, suffixes) -> str:
        if self.rng.random() < 0.03:
            return self.rng.choice(EXOTIC)
        return self.word() + self.rng.choice(suffixes)

    def day(self, start=2005, end=2024) -> str:
        first = date(start, 1, 1)
        return (first + timedelta(days=self.rng.randrange((date(end, 12, 31) - first).days))).isoformat()

    def deals(self, cap: int) -> int:
        # Discrete Pareto: P(deals >= k) = k^-1.2 (inverse transform of a uniform in (0, 1]).
        return min(cap, int((1.0 - self.rng.random()) ** (-1 / 1.2)))


# Planting duplicates: the kinds of variant, and what Chinese and Arabic spellings are made of.
VARIANTS = ("suffix", "case", "accents", "typo", "han", "arabic")
PERSON_VARIANTS = ("case", "accents", "typo")
LEGAL_SUFFIXES = ["Ltd", "Inc.", "LLC", "GmbH", "Co., Ltd.", "Holdings", "S.A.", "Pte. Ltd."]
HAN = {"hua": "华", "xin": "信", "jin": "金", "hai": "海", "tian": "天", "ming": "明", "da": "达", "chuang": "创",
       "zhi": "智", "yuan": "源", "bo": "博", "de": "德", "rui": "瑞", "an": "安", "heng": "恒", "tai": "泰",
       "ding": "鼎", "chen": "晨", "feng": "峰", "yun": "云", "kai": "凯", "sheng": "盛", "long": "龙", "guang": "光"}
HAN_SUFFIXES = [(" Capital", "资本"), (" Investment", "投资"), (" Fund", "基金"), (" Holdings", "控股")]
ARABIC = {"b": "ب", "t": "ت", "j": "ج", "d": "د", "r": "ر", "z": "ز", "s": "س", "f": "ف", "v": "ف", "q": "ق",
          "k": "ك", "c": "ك", "l": "ل", "m": "م", "n": "ن", "h": "ه", "w": "و", "y": "ي", "g": "غ", "p": "ب",
          "x": "كس", "a": "ا"}
ACCENTS = str.maketrans({"a": "á", "e": "é", "i": "í", "o": "ô", "u": "ü"})


def _variant(prng: random.Random, name: str, how: str) -> tuple[str, str]:
    """(the original's name, the duplicate's name) for a planted pair: the original is renamed
    only for Chinese script (to a pinyin name that script can write)."""
    first, _, rest = name.partition(" ")
    if how == "suffix":
        return name, f"{name} {prng.choice(LEGAL_SUFFIXES)}"
    if how == "case":
        return name, name.upper() if prng.random() < 0.7 else name.lower()
    if how == "accents":
        return name, first.translate(ACCENTS) + (" " + rest if rest else "")
    if how == "typo":  # one letter of the longest word changed
        words = name.split(" ")
        w = max(range(len(words)), key=lambda k: len(words[k]))
        word = words[w]
        i = prng.randrange(1, len(word) - 1) if len(word) > 2 else prng.randrange(len(word))
        words[w] = word[:i] + prng.choice([c for c in "aeioulnrst" if c != word[i].lower()]) + word[i + 1:]
        return name, " ".join(words)
    if how == "han":
        syllables = prng.sample(sorted(HAN), 2)
        latin, han = prng.choice(HAN_SUFFIXES)
        return "".join(syllables).capitalize() + latin, "".join(HAN[s] for s in syllables) + han
    if how == "arabic":
        arabic = " ".join("".join(ARABIC.get(c, "") for c in word.lower() if c not in "eiou") for word in name.split())
        return name, arabic.strip() or name
    raise ValueError(how)


def _plant(prng: random.Random, investors: list, activity: list[int], plant: int) -> dict[int, dict]:
    """Choose `plant` investors with two deals or more and give each a duplicate: {index: {uuid,
    name, how}}; renames an original in `investors` where its variant needs it."""
    able = [i for i, n in enumerate(activity) if n >= 2 and investors[i][2] != "government"]
    chosen = prng.sample(able, min(plant, len(able)))
    out = {}
    for k, i in enumerate(sorted(chosen)):
        uid, name, kind, first, last = investors[i]
        variants = PERSON_VARIANTS if kind == "person" else VARIANTS
        how = variants[k % len(variants)]
        original, duplicate = _variant(prng, name, how)
        if original != name:
            investors[i] = (uid, original, kind, first, last)
        out[i] = {"uuid": str(uuidlib.UUID(int=prng.getrandbits(128), version=4)), "name": duplicate, "how": how,
                  "seen": 0}
    return out


def _follow_on(prng: random.Random, planted: dict, rounds: list[list[int]], round_company: list[int]) -> None:
    """A planted duplicate has every other investment of its original (in round order, as the
    investments file is written); the first of its rounds is moved to a company the original backs,
    as when two sources report the same investor's follow-on rounds under two names."""
    seen: dict[int, int] = {}
    kept: dict[int, list[int]] = {}
    moved: dict[int, list[int]] = {}
    for r, members in enumerate(rounds):
        for m in members:
            if m in planted:
                seen[m] = seen.get(m, 0) + 1
                (moved if seen[m] % 2 == 0 else kept).setdefault(m, []).append(r)
    for m in sorted(moved):
        if kept.get(m):
            round_company[moved[m][0]] = round_company[prng.choice(kept[m])]


def _slug(name: str, uid: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-") + "-" + uid[:8]


def generate(out_dir, investments: int = 1000, seed: int = 7, plant: int = 0) -> dict:
    """Write a Crunchbase-style export with exactly `investments` investment rows into `out_dir`.

    `plant`: that many duplicated investors, the truth in `<out_dir>.planted.csv` (module doc).
    Returns the row count of each file written.
    """
    if investments < 1:
        raise ValueError("investments must be at least 1")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    g = _Gen(seed)
    rng = g.rng

    # Investors and how many deals each makes (heavy-tailed), until the deals add up.
    cap = max(20, investments // 200)
    activity: list[int] = []
    total = 0
    while total < investments:
        n = min(g.deals(cap), investments - total)
        activity.append(n)
        total += n
    investors = []  # (uuid, name, kind) with kind in person / fund / government / corporate
    for _ in activity:
        r = rng.random()
        kind = "person" if r < 0.25 else "government" if r < 0.27 else "corporate" if r < 0.37 else "fund"
        if kind == "person":
            first, last = rng.choice(FIRST), rng.choice(LAST)
            investors.append((g.uuid(), f"{first} {last}", kind, first, last))
        else:
            suffixes = ORG_SUFFIXES if kind == "corporate" else FUND_SUFFIXES
            name = g.org_name(suffixes)
            if kind == "government":
                name = "Ministry of " + g.word() if rng.random() < 0.5 else g.word() + " State Investment Fund"
            investors.append((g.uuid(), name, kind, "", ""))
    planted = _plant(random.Random(f"plant-{seed}-{plant}"), investors, activity, plant) if plant else {}
    countries: dict[str, tuple[str, str]] = {}  # uuid of a planted original -> its country and city

    # Deal slots in random order, dealt into rounds of 1..12 investors (no investor twice in a round).
    slots = [i for i, n in enumerate(activity) for _ in range(n)]
    rng.shuffle(slots)
    rounds: list[list[int]] = []
    carry: list[int] = []
    pos = 0
    while pos < len(slots) or carry:
        size = min(12, 1 + int(rng.expovariate(1 / 1.8)))
        members: list[int] = []
        pending, carry = carry, []
        while len(members) < size and (pending or pos < len(slots)):
            if pending:
                slot = pending.pop()
            else:
                slot, pos = slots[pos], pos + 1
            (carry if slot in members else members).append(slot)
        carry.extend(pending)
        if members:
            rounds.append(members)

    # Companies raising those rounds: mildly skewed, 1..~10 rounds each.
    n_companies = max(1, len(rounds) * 2 // 5)
    companies = []
    for _ in range(n_companies):
        companies.append((g.uuid(), g.org_name(ORG_SUFFIXES)))
    round_company = [int(n_companies * rng.random() ** 1.3) for _ in rounds]
    if planted:
        _follow_on(random.Random(f"follow-{seed}-{plant}"), planted, rounds, round_company)

    counts = {}
    with open(out / "organizations.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, ORGANIZATION_COLUMNS)
        w.writeheader()
        rows = 0
        org_rows = [(uid, name, "company") for uid, name in companies]
        org_rows += [(uid, name, kind) for uid, name, kind, *_ in investors if kind != "person"]
        for uid, name, kind in org_rows:
            country, city = countries[uid] = rng.choice(COUNTRIES)
            roles = {"company": "company", "corporate": "company,investor"}.get(kind, "investor")
            row = {
                "uuid": uid, "name": name, "type": "organization", "permalink": _slug(name, uid),
                "cb_url": "https://www.crunchbase.com/organization/" + _slug(name, uid),
                "rank": rng.randint(1, 10 * len(org_rows)), "created_at": g.day(2010) + " 00:00:00",
                "updated_at": g.day(2020) + " 00:00:00", "roles": roles, "country_code": country,
                "city": city, "region": city, "status": "operating",
                "short_description": f"{name} works on " + rng.choice(CATEGORIES).lower() + ".",
                "category_list": ",".join(rng.sample(CATEGORIES, 2)),
                "founded_on": g.day(1990, 2022) if rng.random() < 0.9 else "",
                "primary_role": "company" if kind in ("company", "corporate") else "investor",
            }
            if rng.random() < 0.1:
                row["alias1"] = name.split(" ")[0] + " Inc."
            if rng.random() < 0.02:
                row["alias2"] = name.upper()
            w.writerow(row)
            rows += 1
        for i, dup in planted.items():
            uid, _, kind, *_ = investors[i]
            if kind != "person":
                country, city = countries[uid]
                w.writerow({"uuid": dup["uuid"], "name": dup["name"], "type": "organization",
                            "permalink": _slug(dup["name"], dup["uuid"]), "roles": "investor", "country_code": country,
                            "city": city, "region": city, "status": "operating",
                            "primary_role": "company" if kind == "corporate" else "investor"})
                rows += 1
        counts["organizations.csv"] = rows

    with open(out / "people.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, PEOPLE_COLUMNS)
        w.writeheader()
        rows = 0
        for uid, name, kind, first, last in investors:
            if kind != "person":
                continue
            country, city = countries[uid] = rng.choice(COUNTRIES)
            w.writerow({"uuid": uid, "name": name, "type": "person", "permalink": _slug(name, uid),
                        "first_name": first, "last_name": last, "country_code": country, "city": city,
                        "region": city, "featured_job_title": "Angel Investor"})
            rows += 1
        for i, dup in planted.items():
            uid, _, kind, *_ = investors[i]
            if kind == "person":
                country, city = countries[uid]
                w.writerow({"uuid": dup["uuid"], "name": dup["name"], "type": "person",
                            "permalink": _slug(dup["name"], dup["uuid"]), "country_code": country, "city": city,
                            "region": city, "featured_job_title": "Angel Investor"})
                rows += 1
        counts["people.csv"] = rows

    with open(out / "investors.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, INVESTOR_COLUMNS)
        w.writeheader()
        types = {"person": "angel", "government": "government_office",
                 "corporate": "corporate_venture_capital", "fund": "venture_capital"}
        for (uid, name, kind, *_), n in zip(investors, activity):
            w.writerow({"uuid": uid, "name": name, "type": "person" if kind == "person" else "organization",
                        "permalink": _slug(name, uid), "roles": "investor", "investor_types": types[kind],
                        "investment_count": n})
        for i, dup in planted.items():
            kind = investors[i][2]
            w.writerow({"uuid": dup["uuid"], "name": dup["name"], "type": "person" if kind == "person" else "organization",
                        "permalink": _slug(dup["name"], dup["uuid"]), "roles": "investor", "investor_types": types[kind],
                        "investment_count": activity[i] // 2})
        counts["investors.csv"] = len(investors) + len(planted)

    with open(out / "funding_rounds.csv", "w", newline="", encoding="utf-8") as fr, \
            open(out / "investments.csv", "w", newline="", encoding="utf-8") as fi:
        wr = csv.DictWriter(fr, FUNDING_ROUND_COLUMNS)
        wi = csv.DictWriter(fi, INVESTMENT_COLUMNS)
        wr.writeheader()
        wi.writeheader()
        n_inv = 0
        for members, company in zip(rounds, round_company):
            rid = g.uuid()
            org_uid, org_name = companies[company]
            stage, typical = rng.choice(ROUND_TYPES)
            round_name = f"{stage.replace('_', ' ').title()} - {org_name}"
            currency = rng.choices(list(RATES), weights=[80, 10, 8, 2])[0]
            usd = round(typical * rng.lognormvariate(0, 0.8), -3)
            has_amount = rng.random() < 0.85
            has_valuation = has_amount and rng.random() < 0.3
            lead = members[0] if rng.random() < 0.5 else None
            country, city = rng.choice(COUNTRIES)
            wr.writerow({
                "uuid": rid, "name": round_name, "type": "funding_round", "permalink": _slug(round_name, rid),
                "country_code": country, "city": city, "region": city, "investment_type": stage,
                "announced_on": g.day(), "raised_amount_usd": f"{usd:.0f}" if has_amount else "",
                "raised_amount": f"{usd * RATES[currency]:.0f}" if has_amount else "",
                "raised_amount_currency_code": currency if has_amount else "",
                "post_money_valuation_usd": f"{usd * 6:.0f}" if has_valuation else "",
                "post_money_valuation": f"{usd * 6 * RATES[currency]:.0f}" if has_valuation else "",
                "post_money_valuation_currency_code": currency if has_valuation else "",
                "investor_count": len(members), "org_uuid": org_uid, "org_name": org_name,
                "lead_investor_uuids": investors[lead][0] if lead is not None else "",
            })
            for m in members:
                uid, name, kind, *_ = investors[m]
                if m in planted:  # every other investment of a planted original is its duplicate's
                    planted[m]["seen"] += 1
                    if planted[m]["seen"] % 2 == 0:
                        uid, name = planted[m]["uuid"], planted[m]["name"]
                is_lead = m == lead
                if rng.random() < 0.02:  # the quirk users report: the flag disagrees with the round
                    is_lead = not is_lead
                iid = g.uuid()
                wi.writerow({
                    "uuid": iid, "name": f"{name} investment in {round_name}", "type": "investment",
                    "permalink": iid, "funding_round_uuid": rid, "funding_round_name": round_name,
                    "investor_uuid": uid, "investor_name": name,
                    "investor_type": "person" if kind == "person" else "organization",
                    "is_lead_investor": "true" if is_lead else "false",
                })
                n_inv += 1
        counts["funding_rounds.csv"] = len(rounds)
        counts["investments.csv"] = n_inv
    if plant:
        with open(out.parent / f"{out.name}.planted.csv", "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["original_uuid", "original_name", "duplicate_uuid", "duplicate_name", "variant", "kind"])
            for i, dup in sorted(planted.items()):
                uid, name, kind, *_ = investors[i]
                w.writerow([uid, name, dup["uuid"], dup["name"], dup["how"], kind])
        counts["planted"] = len(planted)
    return counts


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir")
    parser.add_argument("--investments", type=int, default=1000, help="investment rows to write")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--plant", type=int, default=0, help="duplicated investors to plant (truth: OUT_DIR.planted.csv)")
    args = parser.parse_args(argv)
    for name, n in generate(args.out_dir, args.investments, args.seed, args.plant).items():
        print(f"{name}: {n} rows")


if __name__ == "__main__":
    main()
