"""Where each node goes, computed before the page is written, so the WebGL page opens drawn.

`layout(n, sources, targets)` places `n` nodes joined by the given edges (indexes) and returns
their x and y (numpy arrays, in units of about one relationship's length):

- each connected component is laid out apart: its core (what is left once the nodes with a
  single neighbour are set aside) by Pivot MDS (networkit's, C++: the graph distances from a few
  pivot nodes, projected to 2D; linear in the size of the graph, so tens of thousands of nodes
  take seconds), a core of one or two nodes by hand; a core of up to SPRING_MAX nodes is then
  relaxed by a few steps of a spring embedder (Fruchterman-Reingold in numpy: neighbours pull,
  every pair pushes), which untangles the clusters Pivot MDS leaves on top of each other;
- the nodes with a single neighbour (most companies of a venture graph: one investor seen) are
  spread on a disc around that neighbour (a sunflower: Vogel's spiral), so a fund's portfolio is
  a disc around it rather than a pile of nodes on one point;
- the largest component sits in the middle and the others are packed in rows below it, largest
  first.

The result depends only on the graph (Pivot MDS's random pivots come from a fixed seed), so the
same graph gives the same picture.
"""
from __future__ import annotations

import math

import numpy as np

GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
LEAF_SPACING = 0.3    # how far apart the leaves of one disc are (one relationship = 1)
PIVOTS = 30           # Pivot MDS pivots: more costs time and changes the picture little
SEED = 7
GAP = 1.5             # between packed components
SPRING_MAX = 1_200    # cores up to this size are relaxed by springs (every pair: n^2 per step)
SPRING_STEPS = 120
IDEAL = 2.0           # the springs' ideal edge length (the leaves' discs need room around a node)


def layout(n: int, sources, targets) -> tuple[np.ndarray, np.ndarray]:
    """x and y of `n` nodes joined by edges sources[k] - targets[k] (directions and repeats ignored)."""
    import networkit as nk

    xy = np.zeros((n, 2))
    if n == 0:
        return xy[:, 0], xy[:, 1]
    graph = nk.Graph(n)
    for a, b in zip(np.asarray(sources, dtype=np.int64).tolist(), np.asarray(targets, dtype=np.int64).tolist()):
        if a != b and not graph.hasEdge(a, b):
            graph.addEdge(a, b)
    components = nk.components.ConnectedComponents(graph)
    components.run()
    boxes = []
    for members in sorted(components.getComponents(), key=lambda c: (-len(c), min(c))):
        members = sorted(members)
        placed = _component(graph, members)
        placed -= placed.min(axis=0)
        xy[members] = placed
        boxes.append((members, placed.max(axis=0)))
    _pack(xy, boxes)
    return xy[:, 0], xy[:, 1]


def _component(graph, members: list[int]) -> np.ndarray:
    """Positions of one connected component's nodes (in `members` order)."""
    import networkit as nk

    if len(members) == 1:
        return np.zeros((1, 2))
    degree = {v: graph.degree(v) for v in members}
    core = [v for v in members if degree[v] > 1]
    if not core:  # a single edge
        return np.array([[0.0, 0.0], [1.0, 0.0]])
    where = {}
    if len(core) <= 2:
        for i, v in enumerate(core):
            where[v] = (3.0 * i, 0.0)
    else:
        sub = nk.graphtools.subgraphFromNodes(graph, core, compact=True)
        # subgraphFromNodes with compact=True numbers the nodes in the order of `core` (sorted)
        if len(core) <= 3 * PIVOTS:
            pivots = max(2, min(len(core) - 1, len(core) // 2))
        else:
            pivots = PIVOTS
        nk.setSeed(SEED, False)  # Pivot MDS draws its pivots at random
        mds = nk.viz.PivotMDS(sub, 2, pivots)
        mds.run()
        coordinates = np.array([[p[0], p[1]] for p in mds.getCoordinates()])
        coordinates = _unit_edges(sub, coordinates)
        if len(core) <= SPRING_MAX:
            coordinates = _springs(sub, coordinates)
        for i, v in enumerate(core):
            where[v] = tuple(coordinates[i])
    leaves: dict[int, list[int]] = {}
    for v in members:
        if degree[v] == 1:
            (hub,) = list(graph.iterNeighbors(v))
            if hub in where:
                leaves.setdefault(hub, []).append(v)
    for hub, around in leaves.items():
        cx, cy = where[hub]
        for i, v in enumerate(around, 1):
            radius, angle = LEAF_SPACING * math.sqrt(i + 3), i * GOLDEN_ANGLE
            where[v] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    return np.array([where[v] for v in members])


def _unit_edges(graph, coordinates: np.ndarray) -> np.ndarray:
    """Coordinates scaled so that the median edge is 1 long (Pivot MDS keeps hop distances only
    roughly), centred on 0; two nodes on one point are nudged apart."""
    ends = np.array([(u, v) for u, v in graph.iterEdges()])
    lengths = np.linalg.norm(coordinates[ends[:, 0]] - coordinates[ends[:, 1]], axis=1)
    scale = float(np.median(lengths)) or 1.0
    coordinates = (coordinates - coordinates.mean(axis=0)) / scale
    if not np.isfinite(coordinates).all():
        coordinates = np.nan_to_num(coordinates)
    rng = np.random.default_rng(0)
    return coordinates + rng.normal(scale=0.02, size=coordinates.shape)


def _springs(graph, xy: np.ndarray, steps: int = SPRING_STEPS) -> np.ndarray:
    """Fruchterman-Reingold from the given positions (ideal edge length IDEAL), cooling linearly."""
    ends = np.array([(u, v) for u, v in graph.iterEdges()])
    n = len(xy)
    xy = xy.copy()
    span = float(np.ptp(xy, axis=0).max()) or 1.0
    for step in range(steps):
        delta = xy[:, None, :] - xy[None, :, :]
        distance = np.sqrt((delta ** 2).sum(axis=2)) + 1e-6
        np.fill_diagonal(distance, np.inf)
        move = IDEAL ** 2 * (delta / distance[:, :, None] ** 2).sum(axis=1)  # repulsion k^2/d
        pull = xy[ends[:, 0]] - xy[ends[:, 1]]
        length = np.linalg.norm(pull, axis=1)[:, None] + 1e-6
        force = pull * length / IDEAL                                         # attraction d^2/k
        np.add.at(move, ends[:, 0], -force)
        np.add.at(move, ends[:, 1], force)
        move -= xy * 0.05 / max(1.0, math.sqrt(n))                          # a little gravity
        limit = span * 0.1 * (1 - step / steps) + 0.01
        norm = np.linalg.norm(move, axis=1)[:, None] + 1e-9
        xy += move / norm * np.minimum(norm, limit)
    return xy


def _pack(xy: np.ndarray, boxes: list) -> None:
    """The first (largest) component at the origin, the others in rows below it, left to right."""
    if not boxes:
        return
    width = max(boxes[0][1][0], 10.0)
    x = y = row = 0.0
    top = boxes[0][1][1] + GAP * 2
    for members, (w, h) in boxes[1:]:
        if x > 0 and x + w > width:
            x, y, row = 0.0, y + row + GAP, 0.0
        xy[members] += (x, top + y)
        x += w + GAP
        row = max(row, h)
    xy[:, 1] *= -1  # y up in sigma: the largest component on top
