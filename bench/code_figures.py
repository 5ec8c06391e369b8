"""Figures about the code itself: the largest Python files and the imports written inside functions.

    .venv/bin/python -m bench.code_figures [--list] [--cycles]

A function-local import is an ``import`` or ``from ... import`` statement anywhere inside a function body
(in ``app/``, ``seed/`` and ``config.py``). ``--list`` prints each one with its file and line.
``--cycles`` imports every module of ``app/`` and ``seed/`` on its own, in a fresh interpreter: a module
that fails only then is part of an import cycle at module level (a few minutes on two cores).
"""

import ast
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("app", "seed")


def python_files():
    for folder in FOLDERS:
        yield from sorted((ROOT / folder).rglob("*.py"))
    yield ROOT / "config.py"


def local_imports(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    found.append(inner)
    # A nested function's imports are reached from every enclosing function: count each statement once.
    return sorted({id(n): n for n in found}.values(), key=lambda n: n.lineno)


def module_names():
    for path in python_files():
        if path.name != "config.py":
            parts = path.relative_to(ROOT).with_suffix("").parts
            yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_alone(name):
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", f"import {name}"], cwd=ROOT, capture_output=True, text=True
    )
    return name, (result.stderr.strip().splitlines() or [""])[-1] if result.returncode else None


def report_cycles():
    names = list(module_names())
    with ThreadPoolExecutor(max_workers=2) as pool:
        failures = [(name, error) for name, error in pool.map(import_alone, names) if error]
    for name, error in failures:
        print(f"  {name}: {error}")
    print(f"modules that fail to import on their own: {len(failures)} of {len(names)}")


def main(argv):
    files = list(python_files())
    sizes = sorted(((len(p.read_text(encoding="utf-8").splitlines()), p) for p in files), reverse=True)
    print("largest files (lines):")
    for lines, path in sizes[:5]:
        print(f"  {lines:5d}  {path.relative_to(ROOT)}")
    total = 0
    for path in files:
        imports = local_imports(path)
        total += len(imports)
        if "--list" in argv:
            for node in imports:
                names = ", ".join(alias.name for alias in node.names)
                source = (
                    f"from {'.' * node.level}{node.module or ''} import {names}"
                    if isinstance(node, ast.ImportFrom)
                    else f"import {names}"
                )
                print(f"  {path.relative_to(ROOT)}:{node.lineno}: {source}")
    print(f"function-local imports: {total}")
    if "--cycles" in argv:
        report_cycles()


if __name__ == "__main__":
    main(sys.argv[1:])
