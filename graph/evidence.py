"""Check a dataset's quotes against the articles they quote: each must be findable with Ctrl+F.

Every seed fact and round carries `evidence`: the article's own words, a short phrase a reader
can search for. The project does not hold the articles (they are the outlets' texts), so this
check is for whoever has them: `dealgraph load PATH --articles DIR` reads `DIR/<source>` for the
article each fact and round cites and, before anything is written, refuses the dataset at the
first quote that is not in it, naming file, line and field.

Matching forgives what a search box forgives: case, runs of whitespace (line breaks included) and
Unicode form (Vietnamese typed as NFC or as NFD is the same text). Nothing else is folded (quote
marks, accents, spellings), so a quote that passes is one a reader finds. Besides `evidence`, the
other fields that quote the article word for word (`amount_text`, `valuation_text`, `date_text`,
graph.dataset.AS_WRITTEN) are checked when present.
"""
from __future__ import annotations

import unicodedata
from pathlib import Path

from .dataset import AS_WRITTEN, Dataset
from .errors import InputError

# A phrase, not a passage: the articles' texts are not ours to copy.
MAX_WORDS = 25


def normalise(text: str) -> str:
    """Text as a search box compares it: canonical caseless (NFD, casefolded), whitespace collapsed."""
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).casefold())
    return " ".join(folded.split())


def words(text: str) -> int:
    return len(text.split())


def occurs(quote: str, article_text: str) -> bool:
    """Whether `quote` is in `article_text`, ignoring case, whitespace and Unicode form."""
    return normalise(quote) in normalise(article_text)


def matched_prefix(quote: str, article_text: str) -> str:
    """The longest run of the quote's first words that the article holds ('' if not even one).

    An error can then say where a quote stops matching, which is where the typo usually is."""
    parts, text = normalise(quote).split(" "), normalise(article_text)
    lo, hi = 0, len(parts)  # invariant: the first `lo` words occur
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if " ".join(parts[:mid]) in text:
            lo = mid
        else:
            hi = mid - 1
    return " ".join(quote.split()[:lo])  # the quote's own words: folding keeps one word per word


class _Articles:
    """The articles of DIR, read once each and kept normalised."""

    def __init__(self, folder):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise InputError("no such folder (expected the folder holding the articles' text files)",
                             file=str(folder))
        self.texts: dict[str, str] = {}

    def text(self, source: str, fail) -> str:
        if source not in self.texts:
            path = self.folder / source
            if Path(source).name != source or not path.is_file():
                fail(f"article {source!r} is not in {self.folder} (expected the file {path})")
            try:
                self.texts[source] = normalise(path.read_text(encoding="utf-8-sig"))
            except UnicodeDecodeError:
                fail(f"article {path} is not UTF-8 text")
            except OSError as exc:
                fail(f"cannot read article {path}: {exc.strerror or exc}")
        return self.texts[source]


def check_evidence(ds: Dataset, articles_dir) -> int:
    """Refuse `ds` (InputError at file:line: field) unless every fact and round has `evidence`
    of at most MAX_WORDS words and every quoted field occurs in its article; returns how many
    quotes were found."""
    articles = _Articles(articles_dir)
    found = 0
    for kind, records in (("round", ds.rounds), ("fact", ds.facts)):
        for rec in records:
            props = rec if kind == "round" else rec["props"]
            shown, line, lines = ds.where.get((kind, rec["id"]), (str(ds.path), None, {}))

            def fail(message, field="evidence"):
                raise InputError(f"{kind} {rec['id']!r}: {message}", file=shown,
                                 line=lines.get(field, line), field=field)

            if not props.get("evidence"):
                fail(f"missing: checking against {props['source']} needs the article's own words "
                     "for every fact and round")
            if words(props["evidence"]) > MAX_WORDS:
                fail(f"too long: {words(props['evidence'])} words (at most {MAX_WORDS}: quote a phrase, "
                     "not a passage)")
            text = articles.text(props["source"], fail)
            for field in AS_WRITTEN:
                quote = props.get(field)
                if quote is None or normalise(quote) in text:
                    found += quote is not None
                    continue
                prefix = matched_prefix(quote, text)
                hint = f" (it matches up to {prefix!r})" if prefix else ""
                fail(f"not found in {articles.folder / props['source']}: {quote!r}{hint}", field)
    return found


def evidence_line(ds: Dataset, articles_dir) -> str:
    """check_evidence, said in the one line `load --articles` and `import seed --articles` print."""
    found = check_evidence(ds, articles_dir)
    return (f"Evidence: all {found} quotes of {len(ds.facts)} facts and {len(ds.rounds)} rounds found in their "
            f"articles ({articles_dir})")
