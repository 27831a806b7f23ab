"""Figures of the code's structure (issue 14), printed for the README and issue notes.

    .venv/bin/python scripts/measure_structure.py

- app import cycles and imports against the layers, read as `core/tests/test_import_layers.py`
  reads them (every import, function-local too; tests and migrations left out);
- the longest modules and functions (lines, docstrings included);
- direct role checks (`has_role(` / `acts_as(` calls) outside `rules.py` and the role module.
"""

import ast
import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "rkpk"
ROLE_CALL = re.compile(r"\b(has_role|acts_as)\(")


def layers_module():
    spec = importlib.util.spec_from_file_location(
        "import_layers", ROOT / "core" / "tests" / "test_import_layers.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def source_files(layers):
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if not layers.skipped(parts):
            yield path, parts


def main() -> None:
    layers = layers_module()
    imports = list(layers.app_imports())
    against = sorted({(a, t) for a, t, _p, _l in imports if not layers.allowed(a, t)})
    edges: dict[str, set[str]] = {}
    for app, target, _path, _line in imports:
        edges.setdefault(app, set()).add(target)
    print(f"app imports against the layers: {len(against)} {against}")

    modules, functions, role_checks = [], [], []
    for path, parts in source_files(layers):
        text = path.read_text()
        name = "/".join(parts)
        modules.append((len(text.splitlines()), name))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                functions.append((node.end_lineno - node.lineno + 1, f"{name}:{node.name}"))
        if parts[-1] != "rules.py" and name != "organisation/roles.py":
            for number, line in enumerate(text.splitlines(), 1):
                if ROLE_CALL.search(line) and not line.lstrip().startswith("def "):
                    role_checks.append(f"{name}:{number}")
    modules.sort(reverse=True)
    functions.sort(reverse=True)
    print(
        f"longest module: {modules[0][1]} ({modules[0][0]} lines); over 800 lines: "
        f"{sum(1 for n, _ in modules if n > 800)}"
    )
    print(
        f"longest function: {functions[0][1]} ({functions[0][0]} lines); over 80 lines: "
        f"{sum(1 for n, _ in functions if n > 80)}"
    )
    print(f"direct role checks outside rules.py and organisation/roles.py: {len(role_checks)}")
    for where in role_checks:
        print(f"  {where}")


if __name__ == "__main__":
    main()
