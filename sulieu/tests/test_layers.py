"""Every import points one way: no import from a lower layer to a higher one, and no import circle.

The imports are read from the source (``import``/``from`` anywhere in a module, including inside functions,
which is how circles used to be hidden). Tests, conftest files and migrations are left out: tests may
import anything. A module not named in a package's layer list sits on its top layer (views, commands).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Packages, lowest first: a package imports only packages before it (the project package is last).
PACKAGES = ["vntext", "core", "orgs", "archive", "search", "reading", "interop", "books", "contests", "portal",
            "oversight", "sulieu"]

# Inside a package, modules by layer, lowest first (a prefix names a module and everything under it).
LAYERS: dict[str, list[list[str]]] = {
    "archive": [
        ["archive.models", "archive.storage", "archive.formats", "archive.htmlmeta", "archive.officetext", "archive.ocr",
         "archive.hooks", "archive.apps", "archive.samples"],
        ["archive.records", "archive.export", "archive.safepaths"],
        ["archive.pipeline.base", "archive.pipeline.neardup", "archive.fixity"],
        ["archive.pipeline.steps"],
        ["archive.pipeline.leases"],
        ["archive.pipeline"],
        ["archive.pipeline.engine"],
        ["archive.queue"],
        ["archive.tasks"],
        ["archive.runner", "archive.schedule"],
        ["archive.services", "archive.selectors"],
    ],
}


def _modules() -> Iterator[tuple[str, Path]]:
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT)
            parts = rel.with_suffix("").parts
            if "tests" in parts or "migrations" in parts or parts[-1] == "conftest":
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            yield ".".join(parts), path


def _is_module(name: str) -> bool:
    base = ROOT.joinpath(*name.split("."))
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def _imports(module: str, path: Path) -> set[str]:
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{alias.name}" if _is_module(f"{base}.{alias.name}") else base for alias in node.names]
        else:
            continue
        for name in names:
            if name.split(".")[0] in PACKAGES:
                while name and not _is_module(name):
                    name = name.rpartition(".")[0]
                if name and name != module:
                    out.add(name)
    return out


def _graph() -> dict[str, set[str]]:
    graph = {module: _imports(module, path) for module, path in _modules()}
    for a, b in WAGTAIL_SERVING:
        graph.get(a, set()).discard(b)
    return graph


def _layer(module: str) -> tuple[int, int]:
    package = module.split(".")[0]
    layers = LAYERS.get(package, [])
    best, best_len = len(layers), -1
    for i, prefixes in enumerate(layers):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = i, len(prefix)
    return PACKAGES.index(package), best


# Wagtail page models serve themselves: a page's serve()/get_context() call its app's serving module, which
# reads the models back. These edges are that pattern, nothing else.
WAGTAIL_SERVING = {("portal.models.pages", "portal.serving")}


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    return sorted(f"{a} -> {b}" for a, targets in graph.items() for b in targets if _layer(b) > _layer(a))


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_points_upward() -> None:
    assert upward_imports(_graph()) == []


def test_no_import_circle() -> None:
    assert circles(_graph()) == []


def test_the_checks_catch_what_they_are_for() -> None:
    graph = {"archive.models": {"archive.services"}, "archive.services": {"archive.models"},
             "orgs.models": {"sulieu.audit"}, "sulieu.audit": set()}
    assert upward_imports(graph) == ["archive.models -> archive.services", "orgs.models -> sulieu.audit"]
    assert circles(graph) == [["archive.models", "archive.services"]]
    assert _imports("archive.pipeline.engine", ROOT / "archive/pipeline/engine.py") >= {
        "archive.pipeline.leases", "archive.hooks", "archive.pipeline"}


MAX_LINES = 400
# Longer files, each with its reason (or a reason in its first lines: "longer than 400 lines because …").
LONG_FILES = {
    # One parser each, with its regular expressions and the tables they need; next split: the expression
    # tables into their own modules (dates: lunar/relative forms; legacy: the code-page tables; refs: the symbol
    # grammar apart from the context finders).
    "vntext/dates.py": "one date parser (solar, lunar, ranges, relative) and its expressions",
    "vntext/legacy.py": "one legacy-encoding decoder and its TCVN3/VNI/VISCII/VPS tables",
    "vntext/refs.py": "one reference parser: the symbol grammar, the context finders, the cheap symbol path",
    # Arrived in stop 9's parallel branches; next split: tokens/verbs, registration/attempts/ranking, status/review.
    "interop/oai.py": "one OAI-PMH verb table and its token codec; split when a second provider format lands",
    "oversight/services/reports.py": "submit, review and lock of unit reports; split review out next",
}


def test_files_stay_short_or_say_why() -> None:
    long = []
    for _module, path in _modules():
        text = path.read_text(encoding="utf-8")
        rel = str(path.relative_to(ROOT))
        if text.count("\n") > MAX_LINES and rel not in LONG_FILES and "longer than 400 lines because" not in \
                text[:2000].lower():
            long.append(rel)
    assert long == []
