"""The apps' import graph follows the layers of the architecture (DESIGN §7).

Every import in the source is read with `ast` — module level and inside functions alike —
leaving out tests and migrations. An app may import only the apps of a lower layer: never
one of its own layer, never one above, so no import cycle between apps can form.
"""

import ast
from pathlib import Path

import rkpk

ROOT = Path(rkpk.__file__).parent

# Lowest first. `core` is the ground floor (calendar, audit, shared UI pieces); `site` sits on
# top (home, navigation, daily jobs) with the API, collecting what each app registers in its
# `apps.py`.
LAYERS = (
    ("core",),
    ("organisation",),
    ("notifications",),
    ("procedure",),
    ("plans",),
    ("analysis",),
    ("correspondence",),
    ("ministry",),
    ("meetings", "survey", "complaints", "dashboard"),
    ("api", "site"),
)
# Data every app may read; it imports no app.
LEAVES = ("formats",)

RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}


def apps() -> set[str]:
    return {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}


def skipped(parts: tuple[str, ...]) -> bool:
    return (
        "tests" in parts
        or "migrations" in parts
        or parts[-1] == "conftest.py"
        or parts[-1].startswith("test_")
    )


def imported_modules(node: ast.AST, parts: tuple[str, ...]) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:  # relative: from the file's own package upwards
            package = ("rkpk", *parts[:-1])[: len(parts) - node.level + 1]
            return [".".join((*package, *([node.module] if node.module else [])))]
        return [node.module or ""]
    return []


def app_imports():
    """(importing app, imported app, file, line) for every import of another app."""
    known_apps = apps()
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if len(parts) < 2 or skipped(parts):
            continue
        app = parts[0]
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            for module in imported_modules(node, parts):
                names = module.split(".")
                if names[0] == "rkpk" and len(names) > 1:
                    target = names[1]
                    if target in known_apps and target != app:
                        yield app, target, "/".join(parts), node.lineno


def allowed(app: str, target: str) -> bool:
    if target in LEAVES:
        return True
    if app in LEAVES:
        return False
    return RANK[target] < RANK[app]


def test_every_app_has_a_layer():
    assert apps() - set(RANK) - set(LEAVES) == set()


def test_no_app_imports_its_own_layer_or_one_above():
    found = sorted(
        (app, target, path, line)
        for app, target, path, line in app_imports()
        if not allowed(app, target)
    )
    wrong = [f"{path}:{line}: {app} imports {target}" for app, target, path, line in found]
    assert wrong == [], "\n".join(wrong)


def test_no_import_cycle_between_apps():
    """Implied by the layers; checked on its own so that a wrong layering cannot hide one."""
    edges: dict[str, set[str]] = {}
    for app, target, _path, _line in app_imports():
        edges.setdefault(app, set()).add(target)

    def cycle_from(start):
        stack = [(start, [start])]
        seen = set()
        while stack:
            app, trail = stack.pop()
            for target in sorted(edges.get(app, ())):
                if target == start:
                    return [*trail, start]
                if target not in seen:
                    seen.add(target)
                    stack.append((target, [*trail, target]))
        return None

    cycles = [c for c in map(cycle_from, sorted(edges)) if c]
    assert cycles == [], "\n".join(" -> ".join(c) for c in cycles)
