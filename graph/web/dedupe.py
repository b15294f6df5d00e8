"""The duplicates page (`/dedupe`, with .json and .csv twins): graph.resolution's candidate pairs
side by side, with their names, kinds, countries, sources, shared neighbours and reasons, and a
form per pair (same / different / unsure) that posts to `/dedupe/decide`: a write of the app
(graph.web.auth: token, CSRF; graph.web.audit: who and when, key "pair:<id>|<id>", no lost update)."""
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
    from . import auth

    given = {k: v for k, v in (("kind", kind or ""), ("min_score", raw)) if v}
    keys = [key(c["a"]["id"], c["b"]["id"]) for c in found.candidates]
    versions = {r["key"]: r["v"] for r in conn.read("MATCH (r:Record) WHERE r.key IN $keys RETURN r.key AS key, "
                                                    "r.version AS v", {"keys": keys})}
    for c, k in zip(found.candidates, keys):
        c["version"] = versions.get(k, 0)
    return render("dedupe.html", found=found, kind=kind, min_score=min_score, kinds=ENTITY_KINDS,
                  query="?" + urlencode(given) if given else "", csrf=auth.csrf_token(request),
                  who=auth.signed_in(request), message=request.query_params.get("done", "")[:300])


def key(a: str, b: str) -> str:
    """The audit key of a pair (graph.web.audit), the same whichever way round."""
    return "pair:" + "|".join(sorted((a, b)))


def decide(request: Request, conn, form, label: str, version: int) -> str:
    """The decision a pair's form posted, recorded in the graph, the judgements file of the app's
    data folder and the audit (who, when): a line saying what was done."""
    from ..resolution import decide as record
    from ..resolution import entity_of
    from . import audit

    a, b, judgement = (form.get(k) for k in ("a", "b", "judgement"))
    if not all(isinstance(v, str) and v.strip() for v in (a, b, judgement)):
        raise DealgraphError("the form needs a, b and a judgement: reload the page")
    if judgement not in ("same", "different", "unsure"):
        raise DealgraphError(f"judgement {judgement[:40]!r}: expected same, different or unsure")
    a, b = entity_of(conn, a)["id"], entity_of(conn, b)["id"]  # an unknown name: refused before the audit
    with audit.change(conn, key(a, b), version, label, judgement) as done:
        j = record(conn, judgement, a, b, data=request.app.state.data, by=label)
        done["summary"] = {"same": f"merged {j.b} into {j.a}", "different": f"{j.a} and {j.b} are different",
                           "unsure": f"unsure whether {j.a} and {j.b} are one"}[judgement]
    return done["summary"]
