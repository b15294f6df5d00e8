"""The duplicates page (`/dedupe`, with .json and .csv twins): graph.resolution's candidate pairs
side by side, with their names, kinds, countries, sources, shared neighbours and reasons."""
from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from ..errors import DealgraphError

LIMIT = 100


def page(request: Request, conn, fmt: str) -> Response:
    from ..resolution import candidates
    from ..resolution.pairs import flat
    from ..schema import ENTITY_KINDS, check_label
    from .app import data_response, render

    kind = request.query_params.get("kind", "").strip() or None
    if kind:
        check_label(kind)
    raw = request.query_params.get("min_score", "").strip() or "0.5"
    try:
        min_score = float(raw)
    except ValueError:
        raise DealgraphError(f"min_score {raw[:40]!r}: expected a number from 0 to 1") from None
    if not 0 <= min_score <= 1:
        raise DealgraphError(f"min_score {raw[:40]!r}: expected a number from 0 to 1")
    found = candidates(conn, kind=kind, min_score=min_score, limit=LIMIT)
    if fmt != "html":
        rows = [flat(c) for c in found.candidates]
        keys = list(rows[0]) if rows else ["score", "a_id", "a_name", "b_id", "b_name", "reasons"]
        return data_response(keys, rows, fmt)
    given = {k: v for k, v in (("kind", kind or ""), ("min_score", raw)) if v}
    return render("dedupe.html", found=found, kind=kind, min_score=min_score, kinds=ENTITY_KINDS,
                  query="?" + urlencode(given) if given else "")
