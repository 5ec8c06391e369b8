"""Views read the request, call services and render; they never write to the database themselves
(docs/architecture.md, "The path of a request"). This reads every view module's source, so a view that
starts adding, committing or deleting rows, or building a model to save it, fails here by name and line."""

import ast
import importlib
from pathlib import Path

from app.extensions import db

APP = Path(__file__).resolve().parent.parent / "app"
WRITES = {"add", "add_all", "commit", "delete", "flush", "merge"}


def view_modules():
    """app/**/views.py, app/**/*_views.py and every module of an app/**/views/ package."""
    found = {path for path in APP.rglob("*.py") if "views" in path.stem or path.parent.name == "views"}
    return sorted(found)


def _model_classes(module_name):
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return set()
    return {name for name, value in vars(module).items() if isinstance(value, type) and issubclass(value, db.Model)}


def writes_in(source, package):
    """[(line, what)] of the session writes and model constructions in a module's source. `package` is the
    module's package ("app.directory"), to resolve its relative imports of models."""
    tree = ast.parse(source)
    models, model_modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            if base.endswith("models"):
                classes = _model_classes(base)
                models |= {alias.asname or alias.name for alias in node.names if alias.name in classes}
            for alias in node.names:
                if alias.name.endswith("models"):
                    model_modules.add(alias.asname or alias.name)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in WRITES:
            owner = func.value
            if (isinstance(owner, ast.Attribute) and owner.attr == "session") or (
                isinstance(owner, ast.Name) and owner.id == "session"
            ):
                found.append((node.lineno, f"session.{func.attr}()"))
        if isinstance(func, ast.Name) and func.id in models:
            found.append((node.lineno, f"{func.id}(...)"))
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in model_modules:
            found.append((node.lineno, f"{func.value.id}.{func.attr}(...)"))
    return found


def test_the_check_finds_a_view_that_writes():
    source = (
        "from ..extensions import db\n"
        "from .models import Organisation\n"
        "def view():\n"
        "    organisation = Organisation(name='x')\n"
        "    db.session.add(organisation)\n"
        "    db.session.commit()\n"
        "    db.session.rollback()\n"
    )
    assert writes_in(source, "app.directory") == [
        (4, "Organisation(...)"),
        (5, "session.add()"),
        (6, "session.commit()"),
    ]


def test_no_view_adds_commits_deletes_or_builds_a_model_to_save(app):
    modules = view_modules()
    assert APP / "reporting" / "views" / "entry.py" in modules
    assert APP / "directory" / "vocabulary_views.py" in modules
    offences = []
    for path in modules:
        relative = path.relative_to(APP.parent)
        package = ".".join(relative.with_suffix("").parts[:-1])
        offences += [f"{relative}:{line}: {what}" for line, what in writes_in(path.read_text(), package)]
    assert offences == [], "views that write (move the write into the module's services):\n" + "\n".join(offences)
