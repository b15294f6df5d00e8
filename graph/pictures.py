"""What a picture shows, read from Neo4j: an entity's neighbourhood, the graph values in query
records. graph.viz draws them as pyvis pages, the web app (graph.web.pages) in its own pages."""
from __future__ import annotations

from .errors import DealgraphError
from .picture import Picture
from .resolve import find
from .schema import FACT_TYPES

MAX_DEPTH = 4


def ego_picture(conn, name: str, depth: int = 1, max_neighbours: int | None = None) -> Picture:
    """An entity and everything within `depth` facts of it, with the facts among them.

    `name` is an entity id or any alias (resolved by graph.resolve, which explains unknown and
    ambiguous names). `max_neighbours` caps each step out at that many entities, chosen in
    Cypher (largest amount first, then most facts), so a hub's page stays light; the picture
    says when it did.
    """
    if not isinstance(depth, int) or isinstance(depth, bool) or not 1 <= depth <= MAX_DEPTH:
        raise DealgraphError(f"depth must be a whole number from 1 to {MAX_DEPTH}, not {depth!r}")
    centre = find(conn, name)
    params = {"types": list(FACT_TYPES)}

    def work(tx):
        seen, frontier, left_out = {centre["id"]}, [centre["id"]], 0
        for _ in range(depth):
            rows = tx.run("MATCH (a:Entity) WHERE a.id IN $frontier MATCH (a)-[r]-(b:Entity) "
                          "WHERE type(r) IN $types AND NOT b.id IN $seen "
                          "WITH b, max(coalesce(r.amount_usd, 0)) AS usd, count(r) AS facts "
                          "RETURN b.id AS id ORDER BY usd DESC, facts DESC, id",
                          frontier=frontier, seen=list(seen), **params)
            frontier = [row["id"] for row in rows]
            if max_neighbours is not None and len(frontier) > max_neighbours:
                left_out += len(frontier) - max_neighbours
                frontier = frontier[:max_neighbours]
            seen.update(frontier)
        picture = Picture(f"{centre['name']} and its neighbourhood (depth {depth})")
        if left_out:
            picture.notes.append(f"Showing the {len(seen) - 1:,} neighbours with the largest amounts and most "
                                 f"facts; {left_out:,} more are left out.")
        for row in tx.run("MATCH (n:Entity) WHERE n.id IN $ids RETURN n", ids=list(seen)):
            key = picture.add_node(row["n"])
            if row["n"]["id"] == centre["id"]:
                picture.pinned.add(key)
        for row in tx.run("MATCH (a:Entity)-[r]->(b:Entity) WHERE a.id IN $ids AND b.id IN $ids "
                          "AND type(r) IN $types RETURN r", ids=list(seen), **params):
            picture.add_relationship(row["r"])
        return picture

    return conn.execute_read(work)


def records_picture(conn, title: str, records) -> Picture | None:
    """The picture of the nodes, relationships and paths in query records (None if they hold none:
    a table). Nodes known only as the ends of a relationship are fetched, for their names."""
    picture = Picture(title)
    graphy = [picture.add_value(value) for record in records for value in record.values()]
    if records and not any(graphy):
        return None
    bare = [k for k, v in picture.nodes.items() if not v["props"]]
    if bare:
        fetch = lambda tx: [row["n"] for row in tx.run("MATCH (n) WHERE elementId(n) IN $ids RETURN n", ids=bare)]
        for node in conn.execute_read(fetch):
            picture.add_node(node)
    return picture
