"""Shortest paths on real line networks: railways, highways and river networks.

A `Network` is a graph of WGS-84 vertices with edge lengths in km. Two sources:
- `scgraph_network("rail" | "road", bbox)`: the world railway and highway graphs of the PyPI
  package scgraph-data (MIT, derived from OpenStreetMap, © OpenStreetMap contributors, ODbL;
  needs `scgraph<3`), cut to a bounding box;
- `lines_network(lines)`: any set of polylines (river segments from geo.places.hydro), vertices
  merged when equal after rounding and line ends joined to the nearest vertex within `join_km`.

`route(network, nodes)` goes through the nodes in order (each snapped to its nearest vertex)
along shortest paths (scipy's Dijkstra); `check_route` measures what the tests check: the
distance of each node to the result and its length against the straight-line route.
Everything here is pure computation: callers cache the results (geo.places.courses).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

LonLat = tuple[float, float]
EARTH_KM = 6371.0088
KM_PER_DEG = math.pi * EARTH_KM / 180.0
SCGRAPH_MODULES: dict[str, tuple[str, str]] = {
    "rail": ("scgraph_data.world_railways", "world_railways_geograph"),
    "road": ("scgraph_data.world_highways", "world_highways_geograph"),
}


class RoutingError(Exception):
    """A route cannot be found (node too far from the network, or no path between two nodes)."""


def haversine_km(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    """Great-circle distances (km) between lon/lat arrays of the same shape (…, 2)."""
    lon1, lat1, lon2, lat2 = (np.radians(x) for x in (a[..., 0], a[..., 1], b[..., 0], b[..., 1]))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def path_length_km(coords: Sequence[LonLat] | NDArray[np.float64]) -> float:
    """Length in km of a polyline of lon/lat vertices."""
    arr = np.asarray(coords, dtype=float)
    if len(arr) < 2:
        return 0.0
    return float(haversine_km(arr[:-1], arr[1:]).sum())


def _xy(lonlat: NDArray[np.float64], lat0: float) -> NDArray[np.float64]:
    """Local equirectangular km coordinates (for nearest-vertex search and segment distances)."""
    return np.column_stack([lonlat[:, 0] * KM_PER_DEG * math.cos(math.radians(lat0)), lonlat[:, 1] * KM_PER_DEG])


def point_line_km(point: LonLat, line: Sequence[LonLat] | NDArray[np.float64]) -> float:
    """Shortest distance (km) from a point to a polyline (local equirectangular approximation)."""
    arr = np.asarray(line, dtype=float)
    lat0 = point[1]
    p = _xy(np.asarray([point], dtype=float), lat0)[0]
    xy = _xy(arr, lat0)
    if len(xy) == 1:
        return float(np.hypot(*(xy[0] - p)))
    a, b = xy[:-1], xy[1:]
    ab = b - a
    denom = (ab**2).sum(axis=1)
    t = np.where(denom > 0, ((p - a) * ab).sum(axis=1) / np.where(denom > 0, denom, 1), 0.0)
    t = np.clip(t, 0, 1)
    proj = a + ab * t[:, None]
    return float(np.hypot(*(proj - p).T).min())


@dataclass
class Network:
    """Vertices (lon, lat) and a symmetric sparse matrix of edge lengths (km)."""

    lonlat: NDArray[np.float64]
    graph: object  # scipy.sparse.csr_matrix
    lat0: float

    def __post_init__(self) -> None:
        from scipy.spatial import cKDTree

        self.tree = cKDTree(_xy(self.lonlat, self.lat0)) if len(self.lonlat) else None

    def nearest(self, point: LonLat) -> tuple[int, float]:
        """Index of the vertex nearest `point` and its distance in km."""
        if self.tree is None:
            raise RoutingError("the network is empty")
        _, i = self.tree.query(_xy(np.asarray([point], dtype=float), self.lat0)[0])
        return int(i), float(haversine_km(np.asarray(point, dtype=float), self.lonlat[int(i)]))

    def shortest(self, src: int, dst: int, limit_km: float = np.inf) -> list[int]:
        """Vertex indices of the shortest path src → dst (RoutingError when there is none)."""
        from scipy.sparse.csgraph import dijkstra

        if src == dst:
            return [src]
        dist, pred = dijkstra(self.graph, directed=False, indices=src, return_predecessors=True, limit=limit_km)
        if not np.isfinite(dist[dst]):
            raise RoutingError("no path on the network between two consecutive nodes")
        path = [dst]
        while path[-1] != src:
            path.append(int(pred[path[-1]]))
        return path[::-1]

    def farthest(self, src: int) -> int:
        """The vertex farthest (along the network) from `src` in its connected part."""
        from scipy.sparse.csgraph import dijkstra

        dist = dijkstra(self.graph, directed=False, indices=src)
        dist[~np.isfinite(dist)] = -1
        return int(np.argmax(dist))


def _matrix(n: int, rows: ArrayLike, cols: ArrayLike, weights: ArrayLike) -> object:
    """Sparse n×n matrix of edge lengths; of duplicate edges the shortest is kept (Dijkstra runs
    with directed=False, so either direction serves)."""
    from scipy.sparse import csr_matrix

    r = np.asarray(rows, dtype=np.int64)
    c = np.asarray(cols, dtype=np.int64)
    w = np.maximum(np.asarray(weights, dtype=float), 1e-6)  # zero-length edges would vanish
    if len(r):
        order = np.lexsort((w, c, r))
        r, c, w = r[order], c[order], w[order]
        first = np.ones(len(r), dtype=bool)
        first[1:] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
        r, c, w = r[first], c[first], w[first]
    return csr_matrix((w, (r, c)), shape=(n, n))


def _scgraph_source(modname: str) -> tuple[NDArray[np.float64], list[str]] | None:
    """The nodes ([lat, lon] rows) and each node's adjacency text ("nb: km, nb: km", "" when it
    has none) of a scgraph-data graph, read from its module's source text without importing it.

    The module is one generated literal (`graph=[{nb: km, …}, …]` and `nodes=[[lat, lon], …]` on a
    line each): importing it unmarshals ~90 MB of bytecode and builds millions of Python objects
    (~1.5 s, ~1 GB) for the few percent of the world the build uses. Numbers are parsed by
    `float`/`int`, as the import would. None when the file has another layout (the caller imports)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec(modname)
    if spec is None or spec.origin is None:
        return None
    try:
        text = Path(spec.origin).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    g_head, n_head = "\ngraph=[{", "\nnodes=[["
    gi, ni = text.find(g_head), text.find(n_head)
    if gi < 0 or ni < 0:
        return None
    g_end, n_end = text.find("}]\n", gi), text.find("]]\n", ni)
    if g_end < 0 or n_end < 0:
        return None
    pieces = text[gi + len(g_head) : g_end].split("}, {")
    flat = text[ni + len(n_head) : n_end].replace("], [", ", ").split(", ")
    if len(flat) != 2 * len(pieces):
        return None
    return np.fromiter(map(float, flat), dtype=np.float64, count=len(flat)).reshape(-1, 2), pieces


def _adjacency(pieces: list[str], ids: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """(position in `ids`, neighbour id, km) of every edge of the nodes `ids`, in the source order."""
    chosen = [pieces[i] for i in ids.tolist()]
    counts = np.fromiter((p.count(": ") for p in chosen), dtype=np.int64, count=len(chosen))
    pairs = ", ".join(p for p in chosen if p).replace(": ", ", ").split(", ") if counts.sum() else []
    nbs = np.fromiter(map(int, pairs[0::2]), dtype=np.int64, count=len(pairs) // 2)
    kms = np.fromiter(map(float, pairs[1::2]), dtype=np.float64, count=len(pairs) // 2)
    return np.repeat(np.arange(len(chosen), dtype=np.int64), counts), nbs, kms


def scgraph_network(kind: str, bbox: tuple[float, float, float, float]) -> Network:
    """The scgraph-data graph `kind` ("rail" or "road") cut to bbox (lon0, lat0, lon1, lat1)."""
    import importlib

    modname, attr = SCGRAPH_MODULES[kind]
    source = _scgraph_source(modname)
    if source is None:
        geograph = getattr(importlib.import_module(modname), attr)
        nodes = np.asarray(geograph.nodes, dtype=float)  # [lat, lon]
        pieces = None
    else:
        nodes, pieces = source
    lon0, lat0, lon1, lat1 = bbox
    inside = (nodes[:, 1] >= lon0) & (nodes[:, 1] <= lon1) & (nodes[:, 0] >= lat0) & (nodes[:, 0] <= lat1)
    ids = np.flatnonzero(inside)
    remap = np.full(len(nodes), -1, dtype=np.int64)
    remap[ids] = np.arange(len(ids))
    if pieces is not None:
        rows, nbs, weights = _adjacency(pieces, ids)
    else:
        edges = [(a, nb, float(w)) for a, old in enumerate(ids.tolist()) for nb, w in geograph.graph[old].items()]
        rows = np.asarray([e[0] for e in edges], dtype=np.int64)
        nbs = np.asarray([e[1] for e in edges], dtype=np.int64)
        weights = np.asarray([e[2] for e in edges], dtype=np.float64)
    cols = remap[nbs]
    keep = (cols >= 0) & (cols != rows)
    lonlat = nodes[ids][:, ::-1].copy()
    return Network(lonlat, _matrix(len(ids), rows[keep], cols[keep], weights[keep]), (lat0 + lat1) / 2)


def lines_network(lines: Iterable[Sequence[LonLat]], join_km: float = 0.5, decimals: int = 5) -> Network:
    """A network from polylines: equal vertices (after rounding) merged, line ends joined to the
    nearest vertex of another line within `join_km` (tributaries that stop short of the main river)."""
    index: dict[tuple[float, float], int] = {}
    coords: list[tuple[float, float]] = []
    rows: list[int] = []
    cols: list[int] = []
    ends: list[tuple[int, int]] = []  # (vertex, line number)
    owner: list[int] = []
    for li, line in enumerate(lines):
        prev = -1
        for lon, lat in line:
            key = (round(float(lon), decimals), round(float(lat), decimals))
            v = index.get(key)
            if v is None:
                v = index[key] = len(coords)
                coords.append(key)
                owner.append(li)
            if prev >= 0 and prev != v:
                rows.append(prev)
                cols.append(v)
            prev = v
        if len(line):
            first = index[(round(float(line[0][0]), decimals), round(float(line[0][1]), decimals))]
            ends += [(first, li), (prev, li)]
    lonlat = np.asarray(coords, dtype=float).reshape(-1, 2)
    lat0 = float(lonlat[:, 1].mean()) if len(lonlat) else 30.0
    if len(lonlat) and join_km > 0:
        from scipy.spatial import cKDTree

        xy = _xy(lonlat, lat0)
        tree = cKDTree(xy)
        own = np.asarray(owner)
        for v, li in ends:
            for u in tree.query_ball_point(xy[v], join_km):
                if own[u] != li and u != v:
                    rows.append(v)
                    cols.append(int(u))
    weights = haversine_km(lonlat[rows], lonlat[cols]).tolist() if rows else []
    return Network(lonlat, _matrix(len(lonlat), rows, cols, weights), lat0)


@dataclass(frozen=True)
class Route:
    """A path on a network through ordered nodes."""

    coords: list[LonLat]
    snap_km: list[float]  # distance from each node to the vertex it was snapped to


def route(network: Network, nodes: Sequence[LonLat], snap_km: float, detour: float = 3.0) -> Route:
    """The path through `nodes` in order; each node snaps to its nearest vertex, which must lie
    within `snap_km`. Each leg searches at most `detour` × its straight distance (+ 20 km)."""
    snapped: list[int] = []
    dists: list[float] = []
    for i, node in enumerate(nodes):
        v, d = network.nearest(node)
        if d > snap_km:
            raise RoutingError(f"node {i + 1} ({node[0]:.3f},{node[1]:.3f}) is {d:.1f} km from the network")
        snapped.append(v)
        dists.append(round(d, 3))
    path: list[int] = [snapped[0]]
    for a, b in zip(snapped[:-1], snapped[1:], strict=True):
        straight = float(haversine_km(network.lonlat[a], network.lonlat[b]))
        path += network.shortest(a, b, detour * straight + 20.0)[1:]
    coords = [(float(x), float(y)) for x, y in network.lonlat[path]]
    dedup = [c for i, c in enumerate(coords) if i == 0 or c != coords[i - 1]]
    if len(dedup) < 2:
        raise RoutingError("the route collapses to a single vertex")
    return Route(dedup, dists)


@dataclass(frozen=True)
class RouteCheck:
    """What the tests check on a routed line: node distances and the length ratio."""

    node_km: list[float]  # distance from each node to the line
    length_km: float
    straight_km: float  # the straight-line route through the same nodes

    @property
    def ratio(self) -> float:
        return self.length_km / self.straight_km if self.straight_km > 0 else math.inf

    def ok(self, max_node_km: float, min_ratio: float, max_ratio: float) -> bool:
        return max(self.node_km) <= max_node_km and min_ratio <= self.ratio <= max_ratio


def check_route(coords: Sequence[LonLat], nodes: Sequence[LonLat]) -> RouteCheck:
    """Distances of `nodes` to the polyline `coords`, its length and the straight-line length."""
    return RouteCheck(
        node_km=[round(point_line_km(n, coords), 3) for n in nodes],
        length_km=round(path_length_km(coords), 3),
        straight_km=round(path_length_km(nodes), 3),
    )
