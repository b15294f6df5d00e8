"""Where the canned queries and the seed dataset are, installed or in a checkout; writing files whole."""
from __future__ import annotations

import os
from pathlib import Path

from .errors import DealgraphError

_PACKAGE = Path(__file__).resolve().parent


def data_path(name: str) -> Path:
    """The `cypher` or `seed` folder: inside the wheel (``graph/_data``) or at the repo root."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"dealgraph data folder {name!r} is missing from this installation")


def write_whole(path, text: str) -> Path:
    """Write `text` (utf-8) to `path`, creating its folder: the file is whole or not there at all
    (written beside it, then renamed over it). A failure is one DealgraphError naming the path."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise DealgraphError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
