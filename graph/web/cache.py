"""Pages kept until the graph changes (`dealgraph serve --cache`), as datasette keys on its files.

Every change to the graph leaves a record: each load and import its (:Import) (`changed`,
`finished`, `status`), each save of the app a (:Change), each judgement a (:Judgement), each
analysis an (:Analysis). One small read of those (`stamp`) says whether a kept page is still
the page: if the stamp moved, every kept page is dropped. While an import is running (an Import
not 'complete') nothing is kept. Only plain reads are kept: GETs without the token cookie (a page
with a form carries a CSRF token of its reader's) of the pages `guarded` serves, answered 200.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

from starlette.requests import Request
from starlette.responses import Response

from .auth import COOKIE

STAMP = """
CALL { MATCH (i:Import) RETURN count(i) AS imports, max(toString(coalesce(i.changed, i.finished))) AS imported,
       sum(CASE WHEN i.status = 'complete' THEN 0 ELSE 1 END) AS running }
CALL { MATCH (c:Change) RETURN count(c) AS changes }
CALL { MATCH (j:Judgement) RETURN count(j) AS judgements, max(toString(j.at)) AS judged }
CALL { MATCH (a:Analysis) RETURN count(a) AS analyses, max(toString(a.ran_at)) AS analysed }
RETURN imports, imported, running, changes, judgements, judged, analyses, analysed
"""
HEADER = "x-dealgraph-cache"  # hit or miss: what a test or a curl -i can see


class PageCache:
    def __init__(self, size: int = 1024):
        self.size = size
        self.entries: OrderedDict = OrderedDict()
        self.stamp = None
        self.lock = threading.Lock()

    @staticmethod
    def key(request: Request) -> str | None:
        if request.method != "GET" or COOKIE in request.cookies or request.headers.get("authorization"):
            return None
        return request.url.path + "?" + request.url.query

    def lookup(self, conn, key: str):
        """(the kept answer for `key` or None, the graph's stamp now). A moved stamp empties the
        cache; None as the stamp (an import running) keeps nothing."""
        row = conn.read(STAMP)[0]
        stamp = None if row["running"] else tuple(row.values())
        with self.lock:
            if stamp != self.stamp or stamp is None:
                self.entries.clear()
                self.stamp = stamp
                return None, stamp
            kept = self.entries.get(key)
            if kept is None:
                return None, stamp
            self.entries.move_to_end(key)
        status, body, headers = kept
        response = Response(body, status_code=status)
        response.raw_headers = [*headers, (HEADER.encode(), b"hit")]
        return response, stamp

    def keep(self, key: str, stamp, response: Response) -> Response:
        """Keep a 200 answer made while the graph was at `stamp`, if it still is."""
        if response.status_code == 200 and stamp is not None and hasattr(response, "body"):
            with self.lock:
                if stamp == self.stamp:
                    self.entries[key] = (200, response.body, list(response.raw_headers))
                    while len(self.entries) > self.size:
                        self.entries.popitem(last=False)
        response.raw_headers.append((HEADER.encode(), b"miss"))
        return response
