"""Where the canned queries and the seed dataset are, installed or in a checkout."""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_path(name: str) -> Path:
    """The `cypher` or `seed` folder: inside the wheel (``graph/_data``) or at the repo root."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"dealgraph data folder {name!r} is missing from this installation")
