"""Articles added in the web app: their text checked, then saved into the user's dataset folder
and loaded, all or nothing.

The dataset folder (`dealgraph serve --data DIR`, default ./data) holds what the app saved, in the
seed's YAML format, readable and diff-able, and loadable without the app (`dealgraph load DIR`):

    DIR/<article id stem>.yaml   the article's record, its new entities, rounds and facts (where
                                 `dealgraph draft --data DIR` writes its draft of that article)
    DIR/texts/<article id>       the article's text (`dealgraph load DIR --articles DIR/texts`)

An article's id is its file name, made from the text's SHA-256 (the same text is the same article).
A save writes both files, then loads the folder (graph.load: checked in full, one transaction);
if anything fails, both files are put back as they were and the graph is unchanged.
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

import yaml

from .. import values
from ..dataset import read_dataset
from ..errors import DealgraphError
from ..load import load_dataset

MAX_BYTES = 1024 * 1024  # an article's text, as UTF-8
# Markup in an article's text: a tag (<p>, </div>, <script ...>, <!-- -->) or a character reference.
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!][^<>]*>|&(#\d+|#x[0-9a-fA-F]+|[A-Za-z]{2,8});")


def article_text(data: bytes | str, name: str = "the text") -> str:
    """The article's plain text, or one line saying why not: not UTF-8, binary, empty, over 1 MB,
    HTML or scripts in it."""
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if len(raw) > MAX_BYTES:
        raise DealgraphError(f"{name}: {len(raw):,} bytes, more than the {MAX_BYTES:,} an article may have")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise DealgraphError(f"{name}: binary data (a NUL byte at byte {nul + 1}): expected plain text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DealgraphError(f"{name}: not UTF-8 (byte {exc.start + 1}, line {line}): save it as UTF-8 text") from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        text = values.text(text, limit=MAX_BYTES)
    except ValueError as exc:
        raise DealgraphError(f"{name}: binary data ({exc}): expected plain text") from None
    if not text:
        raise DealgraphError(f"{name}: empty: paste the article's text or choose its .txt file")
    markup = MARKUP.search(text)
    if markup:
        line = text.count("\n", 0, markup.start()) + 1
        raise DealgraphError(f"{name}: HTML in the text ({markup.group()[:40]!r} on line {line}): "
                             "paste the article's plain text, not its page")
    return text


def article_id(text: str) -> str:
    """The file name an article's text is saved under: the same text, the same id."""
    return f"web_{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}.txt"


def record(text: str, title, outlet=None, published=None, language=None) -> dict:
    """The article's record in the seed's format, checked like any dataset value."""
    def checked(what, check, value):
        try:
            return check(value)
        except ValueError as exc:
            raise DealgraphError(f"{what}: {exc}") from None

    title = checked("title", values.text, title)
    if not title:
        raise DealgraphError("title: the article needs a title (its headline, or its first words)")
    language = checked("language", values.text, language)
    if not language or not re.fullmatch(r"[a-z]{2,3}", language):
        raise DealgraphError(f"language {language or ''!r}: expected the ISO 639-1 code of the text's "
                             "language (vi, ar, en, zh, ...)")
    return {"id": article_id(text), "title": title, "language": language,
            "outlet": checked("outlet", values.text, outlet), "published": checked("date", values.date, published)}


def files(data: Path, article_id: str) -> tuple[Path, Path]:
    return data / f"{Path(article_id).stem}.yaml", data / "texts" / article_id


def dump(article: dict, entities=(), rounds=(), facts=()) -> str:
    """The dataset file of one article, in the seed's format (nulls left out)."""
    def clean(rec):
        return {k: v for k, v in rec.items() if v is not None and v != [] and v != ""}

    doc = {"source": article["id"], "articles": [clean(article)]}
    for key, items in (("entities", entities), ("rounds", rounds), ("facts", facts)):
        if items:
            doc[key] = [clean(r) for r in items]
    head = (f"# {article['title']}: saved by `dealgraph serve`; load with `dealgraph load` of this folder.\n")
    return head + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)


def save(conn, data, text: str, article: dict, entities=(), rounds=(), facts=()):
    """Write the article's dataset file and text into `data`, then load the folder: the LoadSummary.

    Nothing is left half-done: on any failure both files are restored and the error passes on."""
    data = Path(data)
    target_yaml, target_text = files(data, article["id"])
    before = {p: (p.read_bytes() if p.exists() else None) for p in (target_yaml, target_text)}
    try:
        _write(target_text, text.encode("utf-8"))
        _write(target_yaml, dump(article, entities, rounds, facts).encode("utf-8"))
        return load_dataset(conn, read_dataset(data), articles=data / "texts")
    except BaseException:
        for path, content in before.items():
            if content is None:
                path.unlink(missing_ok=True)
            else:
                _write(path, content)
        raise


def _write(path: Path, content: bytes) -> None:
    """Replace `path` at once (a temporary file renamed over it): never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
