"""The official Open Referral UK openapi.json, made usable by schemathesis at test time.

Read from ../shared/oruk (never copied into the repository): its remote `$ref`s to the UK profile's schemas
are bundled from the local copies into components/schemas, and the corrections listed with their reasons
in oruk_official_fixes.json are applied.
"""

import copy
import json
from pathlib import Path

REMOTE = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
FIXES = Path(__file__).with_name("oruk_official_fixes.json")


def _component_name(file_name):
    return file_name.removesuffix(".json").replace("/", "__")


def _pointer_parts(pointer):
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer.lstrip("/").split("/")]


def apply_fixes(document, fixes):
    for fix in fixes:
        *parents, last = _pointer_parts(fix["path"])
        target = document
        for part in parents:
            target = target[part]
        assert last in target, f"{fix['path']} is not in the official document: is the fix still needed?"
        target[last] = copy.deepcopy(fix["value"])
    return document


def bundled_official_document(oruk_dir, server_url):
    """The official document with every schema inlined under components/schemas and `server_url` as its
    server (the official document names none)."""
    document = json.loads((oruk_dir / "openapi.json").read_text(encoding="utf-8"))
    apply_fixes(document, json.loads(FIXES.read_text(encoding="utf-8"))["fixes"])
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    wanted, seen = [], set()

    def rewrite(node, base_dir):
        if isinstance(node, dict):
            for key, value in list(node.items()):
                if key == "$ref" and isinstance(value, str) and not value.startswith("#"):
                    name = value.removeprefix(REMOTE) if value.startswith(REMOTE) else f"{base_dir}{value}"
                    name = name.removeprefix("./")
                    if name not in seen:
                        seen.add(name)
                        wanted.append(name)
                    node[key] = f"#/components/schemas/{_component_name(name)}"
                else:
                    rewrite(value, base_dir)
        elif isinstance(node, list):
            for item in node:
                rewrite(item, base_dir)

    rewrite(document["paths"], "")
    while wanted:
        name = wanted.pop()
        schema = json.loads((oruk_dir / name).read_text(encoding="utf-8"))
        schema.pop("$schema", None)
        schema.pop("$id", None)
        base_dir = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
        rewrite(schema, base_dir)
        schemas[_component_name(name)] = schema
    document["servers"] = [{"url": server_url}]
    return document
