"""Figures about the code itself: the largest Python files and the imports written inside functions.

    .venv/bin/python -m bench.code_figures [--list]

A function-local import is an ``import`` or ``from ... import`` statement anywhere inside a function body
(in ``app/``, ``seed/`` and ``config.py``). ``--list`` prints each one with its file and line.
"""

import ast
import sys
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


if __name__ == "__main__":
    main(sys.argv[1:])
