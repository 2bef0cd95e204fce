"""Node positions for the map and for Gephi: ``x``/``y`` on every node.

A two-level layout so that communities come out grouped and big graphs take seconds:

1. the communities (node attribute ``community``; all one group when absent) are laid out as a
   small graph of their own (igraph Fruchterman–Reingold), linked by the weight of the edges
   between them normalised by their sizes;
2. every community gets a disc whose area grows with its size, and the discs are pushed apart
   until (nearly) no two overlap;
3. inside each disc, the community's own subgraph is laid out with Fruchterman–Reingold (C;
   with a grid above 300 nodes) and scaled to the disc.

A single force layout of the whole graph was measured and rejected: on a 10k-node graph with
planted communities it mixes them into a hairball (a node is nearest its own community's
centre only 8–10 % of the time, against ~100 % here), and DrL took 22 s at 10k nodes and 200 s at
75k.  igraph's random generator is seeded for each call and restored afterwards, so the same
graph and ``seed`` give the same positions.  Coordinates are centred on 0, scaled so that the
farthest node is at distance ``scale``, and rounded to 2 decimals.

>>> import networkx as nx
>>> G = nx.barbell_graph(5, 0)
>>> nx.set_node_attributes(G, {n: int(n >= 5) for n in G}, "community")
>>> pos = compute_layout(G, seed=1)
>>> pos == compute_layout(G, seed=1), G.nodes[0]["x"] == pos[0][0]
(True, True)
>>> max(max(abs(x), abs(y)) for x, y in pos.values()) <= 1000
True
"""

from __future__ import annotations

import logging
import math
import random
from collections import defaultdict
from collections.abc import Hashable

import igraph as ig
import networkx as nx
import numpy as np

from .analysis._convert import to_igraph

__all__ = ["compute_layout", "remove_overlap"]

log = logging.getLogger(__name__)

Position = tuple[float, float]
#: Above this many nodes Fruchterman–Reingold uses its grid (O(n) per iteration, not O(n²))
#: and 150 iterations instead of 500.
GRID_ABOVE = 300


def compute_layout(
    G: nx.Graph,
    *,
    seed: int = 42,
    scale: float = 1000.0,
    weight: str | None = "weight",
    community: str = "community",
) -> dict[Hashable, Position]:
    """Compute positions, write them as ``x``/``y`` node attributes and return them.

    >>> import networkx as nx
    >>> compute_layout(nx.empty_graph(1))
    {0: (0.0, 0.0)}
    """
    n = G.number_of_nodes()
    if n == 0:
        return {}
    g, nodes, w = to_igraph(G, weight)
    g.es["w"] = w
    groups = [_group(G.nodes[node].get(community)) for node in nodes]
    rng = random.Random(seed)
    members: dict[int | str, list[int]] = defaultdict(list)
    for i, group in enumerate(groups):
        members[group].append(i)
    order = sorted(members, key=lambda c: (-len(members[c]), str(c)))
    centres, radii = _community_discs(g, w, groups, order, members, rng)
    coords = np.zeros((n, 2))
    for k, group in enumerate(order):
        idx = members[group]
        local = _local_layout(g, idx, rng)
        coords[idx] = centres[k] + local * radii[k]
    coords = _normalise(coords, scale)
    pos: dict[Hashable, Position] = {}
    for node, (x, y) in zip(nodes, coords.tolist(), strict=True):
        x, y = round(x, 2) + 0.0, round(y, 2) + 0.0
        pos[node] = (x, y)
        G.nodes[node]["x"] = x
        G.nodes[node]["y"] = y
    return pos


def _group(value: object) -> int | str:
    if isinstance(value, bool) or value is None:
        return -1
    return value if isinstance(value, int | str) else str(value)


def _fr(graph: ig.Graph, weights: list[float] | None, start: list[list[float]], seed: float):
    """igraph's Fruchterman–Reingold with its random generator seeded for this call only."""
    ig.set_random_number_generator(random.Random(seed))
    try:
        big = graph.vcount() > GRID_ABOVE
        layout = graph.layout_fruchterman_reingold(
            weights=weights, seed=start, grid=big, niter=150 if big else 500
        )
    finally:
        ig.set_random_number_generator(random)  # igraph's default generator
    return np.asarray(layout.coords, dtype=float)


def _local_layout(g: ig.Graph, idx: list[int], rng: random.Random) -> np.ndarray:
    """Positions of one community's nodes inside the unit disc."""
    k = len(idx)
    half = math.sqrt(k)  # FR's natural extent; its grid cells assume it (else it is O(n²))
    start = [[rng.uniform(-half, half), rng.uniform(-half, half)] for _ in range(k)]
    if k == 1:
        return np.zeros((1, 2))
    sub = g.subgraph(idx)  # idx is ascending, and igraph keeps vertex order
    if sub.ecount() == 0:
        return _normalise(np.asarray(start), 1.0)
    return _normalise(_fr(sub, sub.es["w"], start, rng.random()), 1.0)


def _community_discs(
    g: ig.Graph,
    w: list[float],
    groups: list[int | str],
    order: list[int | str],
    members: dict[int | str, list[int]],
    rng: random.Random,
) -> tuple[np.ndarray, np.ndarray]:
    """Centre and radius of each community's disc (in ``order``), discs pushed apart."""
    k = len(order)
    sizes = np.array([len(members[c]) for c in order], dtype=float)
    radii = np.sqrt(sizes)
    if k == 1:
        return np.zeros((1, 2)), radii
    index = {c: i for i, c in enumerate(order)}
    between: dict[tuple[int, int], float] = defaultdict(float)
    for (u, v), x in zip(g.get_edgelist(), w, strict=True):
        a, b = index[groups[u]], index[groups[v]]
        if a != b:
            between[(min(a, b), max(a, b))] += x
    pairs = sorted(between)
    q = ig.Graph(n=k, edges=pairs, directed=False)
    qw = [between[(a, b)] / math.sqrt(sizes[a] * sizes[b]) for a, b in pairs]
    top = max(qw, default=1.0)
    half = math.sqrt(k)
    start = [[rng.uniform(-half, half), rng.uniform(-half, half)] for _ in range(k)]
    centres = _normalise(_fr(q, [x / top for x in qw] or None, start, rng.random()), 1.0)
    # spread the centres so that the discs cover about half of the disc holding them all
    centres *= math.sqrt(2.0 * sizes.sum())
    return _separate(centres, radii), radii


def _separate(centres: np.ndarray, radii: np.ndarray, *, rounds: int = 60) -> np.ndarray:
    """Push overlapping discs apart (the largest 1500 discs; smaller ones hardly show)."""
    m = min(len(centres), 1500)
    c, r = centres[:m].copy(), radii[:m]
    gap = 0.05 * float(r.mean())
    need = r[:, None] + r[None, :] + gap
    np.fill_diagonal(need, 0.0)
    for _ in range(rounds):
        diff = c[:, None, :] - c[None, :, :]
        dist = np.sqrt((diff**2).sum(axis=2))
        overlap = need - dist
        np.fill_diagonal(overlap, 0.0)
        if overlap.max() <= 1e-9:
            break
        overlap = np.clip(overlap, 0.0, None)
        safe = np.where(dist > 1e-9, dist, 1.0)
        push = (diff / safe[:, :, None]) * (overlap / 2.0)[:, :, None]
        # larger discs move less
        share = (r[None, :] / (r[:, None] + r[None, :]))[:, :, None]
        c += (push * share * 2.0).sum(axis=1) / max(1.0, float(np.sqrt(m)))
    out = centres.copy()
    out[:m] = c
    return out


def _normalise(coords: np.ndarray, scale: float) -> np.ndarray:
    """Centre on the mean and scale so that the farthest point is at distance ``scale``."""
    if len(coords) == 0:
        return coords
    coords = coords - coords.mean(axis=0)
    reach = float(np.sqrt((coords**2).sum(axis=1)).max())
    return coords * (scale / reach) if reach > 0 else coords


def remove_overlap(
    points: list[Position], radii: list[float], *, rounds: int = 40, refresh: int = 4
) -> list[Position]:
    """Nudge discs (centre ``points[i]``, radius ``radii[i]``) apart until none overlap.

    A no-overlap pass like Gephi's: each round moves both discs of every overlapping pair
    apart along their centre line, by their share of the overlap (the smaller disc more);
    coincident centres part along a direction fixed by their indices.  Candidate pairs come
    from a k-d tree every ``refresh`` rounds (with some slack), so a round costs a few array
    operations.  Stops when nothing overlaps or after ``rounds``; deterministic.  Dense maps
    keep some overlap: the pass only moves discs locally, it never spreads a community out.
    The map calls it with its on-screen node sizes, so the graph files keep the layout's
    own positions.

    >>> remove_overlap([(0.0, 0.0), (1.0, 0.0)], [1.0, 1.0])
    [(-0.5, 0.0), (1.5, 0.0)]
    """
    from scipy.spatial import cKDTree

    if len(points) < 2:
        return list(points)
    xy = np.asarray(points, dtype=float)
    r = np.asarray(radii, dtype=float)
    n = len(xy)
    reach = 2.0 * float(r.max()) * 1.25
    pairs = np.zeros((0, 2), dtype=np.intp)
    for k in range(rounds):
        if k % refresh == 0:
            pairs = cKDTree(xy).query_pairs(reach, output_type="ndarray")
            if len(pairs) == 0:
                break
            # keep the pairs that are near enough to touch within the next few rounds
            gap = np.sqrt(((xy[pairs[:, 1]] - xy[pairs[:, 0]]) ** 2).sum(axis=1))
            pairs = pairs[gap < 1.5 * (r[pairs[:, 0]] + r[pairs[:, 1]])]
        i, j = pairs[:, 0], pairs[:, 1]
        diff = xy[j] - xy[i]
        dist = np.sqrt((diff**2).sum(axis=1))
        need = r[i] + r[j]
        over = need - dist
        hit = over > 1e-9
        if not hit.any():
            if k % refresh == 0:
                break
            continue
        i, j, diff, dist, over, need = i[hit], j[hit], diff[hit], dist[hit], over[hit], need[hit]
        same = dist < 1e-9
        angle = (i[same] * 7919 + j[same] * 104729) % 360 * (math.pi / 180)
        diff[same] = np.stack([np.cos(angle), np.sin(angle)], axis=1)
        dist[same] = 1.0
        unit = diff / dist[:, None]
        share_i = (r[j] / need)[:, None]  # the smaller disc moves more
        push_i = -unit * (over[:, None] * share_i)
        push_j = unit * (over[:, None] * (1.0 - share_i))
        for axis in (0, 1):  # bincount sums the pushes per disc (np.add.at is ~10x slower)
            xy[:, axis] += np.bincount(i, push_i[:, axis], n) + np.bincount(j, push_j[:, axis], n)
    return [(float(x), float(y)) for x, y in xy]
