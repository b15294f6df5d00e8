"""The graph for other tools: Gephi (GEXF, GraphML) and FollowTheMoney (Aleph, OpenSanctions).

    dealgraph export gexf -o out/dealgraph.gexf           # --as-of 2023-06: as things stood then
    dealgraph export graphml -o out/dealgraph.graphml
    dealgraph export ftm -o out/dealgraph.ftm.json        # JSON lines

From Python: `read_graph(conn, as_of)` returns the graph.picture.Picture of every entity and every
fact (graph.viz's ecosystem reader, the one that draws the whole graph), and `write(picture,
format, path)` writes it. What each file holds:

- nodes are the entities (id: the entity's `id`), with every property (`kind`, `country`,
  `aliases`, ..., the analysis scores `degree`, `weighted_degree`, `pagerank`, `betweenness`,
  `community` after `dealgraph analyze`); lists (aliases, sources) are joined with "; ";
- edges are the facts (id: the fact's `id`, `type` its relationship type), with every property
  (`source` among them: the article or import it comes from); its `label` is its relationship type;
- GEXF (graph.exports.gexf): dated facts carry a spell from their `date` to their `until` (facts
  an article calls former), and entities one from `founded`, so Gephi's timeline plays the graph
  over time; a partial date stands for its first day (2023-07 -> 2023-07-01), the date as written
  stays in `date`;
- FollowTheMoney (graph.exports.ftm): entities as Company, Organization (funds), PublicBody,
  Person or Asset (models); investments as Ownership (owner: the investor, asset: the company),
  SUBSIDIARY_OF as Ownership of the child by the parent, LEADS as Directorship, FINED as
  Payment, every other fact as UnknownLink with its type as `role`; each fact's source is its
  `publisher` and, for an article, its `proof`: a Document entity for the article (title, outlet,
  date, file name).

`--as-of DATE` leaves out facts dated after DATE (a partial date means the end of that year or
month), as the named queries' `as_of` does; undated facts and every entity stay.
"""
from __future__ import annotations

from pathlib import Path

from ..analytics import check_as_of
from ..errors import DealgraphError
from ..paths import write_whole
from ..picture import Picture
from ..viz import ecosystem_picture

FORMATS = ("gexf", "graphml", "ftm")
SUFFIXES = {"gexf": ".gexf", "graphml": ".graphml", "ftm": ".ftm.json"}


def read_graph(conn, as_of: str | None = None) -> Picture:
    """Every entity and every fact (dated after `as_of`, when given, left out)."""
    as_of = check_as_of(as_of)
    picture = ecosystem_picture(conn)
    picture.title = "dealgraph" + (f" as of {as_of}" if as_of else "")
    if as_of:
        picture.edges = {key: edge for key, edge in picture.edges.items() if not after(edge["props"].get("date"), as_of)}
    return picture


def after(date, as_of: str) -> bool:
    """True when a fact's partial date is later than `as_of` (both ISO partial dates): as the
    queries' `left(r.date, size($as_of)) > $as_of`; an undated fact is never later."""
    return isinstance(date, str) and date[:len(as_of)] > as_of


def write(picture: Picture, fmt: str, path, conn=None) -> Path:
    """Write the picture as `fmt` to `path`, all or nothing. FollowTheMoney also reads the cited
    articles from `conn` (for their Article entities)."""
    if fmt == "gexf":
        from .gexf import gexf_text

        return write_whole(path, gexf_text(picture))
    if fmt == "graphml":
        from .gexf import graphml_text

        return write_whole(path, graphml_text(picture))
    if fmt == "ftm":
        from .ftm import ftm_lines

        return write_whole(path, "".join(line + "\n" for line in ftm_lines(picture, articles(conn, picture))))
    raise DealgraphError(f"unknown export format {fmt!r}: expected one of {', '.join(FORMATS)}")


def articles(conn, picture: Picture) -> dict[str, dict]:
    """The (:Article) properties of the sources the picture's facts and entities cite, by id."""
    cited = {e["props"].get("source") for e in picture.edges.values()}
    for node in picture.nodes.values():
        cited.update(node["props"].get("sources") or ())
    cited.discard(None)
    if conn is None or not cited:
        return {}
    return {row["a"]["id"]: dict(row["a"]) for row in conn.read(
        "MATCH (a:Article) WHERE a.id IN $ids RETURN a", {"ids": sorted(map(str, cited))})}
