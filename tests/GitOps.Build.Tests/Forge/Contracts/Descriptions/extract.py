#!/usr/bin/env python3
"""Cuts the operations GitOps.Build calls out of a forge's published API description.

usage: extract.py SOURCE.json|yaml OUT.json REPO PATH COMMIT [--notes NOTES.json] [--override OVERRIDE.json] 'METHOD /path' ...

--notes adds its fields to the x-source block (how the source was read, what was not read).
--override replaces whole components (e.g. {"definitions": {"Name": {...}}}) with ones read elsewhere; the names
replaced are listed in x-source.overridden, the notes say from where.

Keeps the document's root (version, info, servers/host/basePath, security schemes), the named operations with their
path-level parameters, and every $ref those reach (the closure), byte-for-byte as published otherwise; records where it
came from in an `x-source` block (an extension, so OpenAPI readers accept the document as is).
"""
import json
import sys

import yaml


def load(path):
    with open(path, encoding="utf-8-sig") as f:
        text = f.read()
    return json.loads(text) if path.endswith(".json") else yaml.safe_load(text)


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/"):
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


def resolve(doc, pointer):
    node = doc
    for part in pointer[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def place(out, pointer, value):
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer[2:].split("/")]
    node = out
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def main():
    args = sys.argv[1:]
    notes, override = {}, {}
    for flag in ("--notes", "--override"):
        if flag in args:
            at = args.index(flag)
            value = load(args[at + 1])
            del args[at:at + 2]
            if flag == "--notes":
                notes = value
            else:
                override = value
    source, target, repo, path, commit, *operations = args
    doc = load(source)
    for section, components in override.items():
        for name, value in components.items():
            container = doc
            for part in section.split("/"):
                container = container[part]
            container[name] = value
    root_keys = ["swagger", "openapi", "info", "host", "basePath", "schemes", "servers", "consumes", "produces",
                 "securityDefinitions", "security"]
    out = {key: doc[key] for key in root_keys if key in doc}
    out["x-source"] = {"repository": repo, "path": path, "commit": commit,
                       "operations": operations, "extracted_by": "descriptions/extract.py", **notes}
    if override:
        out["x-source"]["overridden"] = [f"{section}/{name}" for section, names in override.items() for name in names]
    if "components" in doc and "securitySchemes" in doc["components"]:
        out.setdefault("components", {})["securitySchemes"] = doc["components"]["securitySchemes"]
    out["paths"] = {}
    for operation in operations:
        method, route = operation.split(" ", 1)
        item = doc["paths"][route]
        kept = out["paths"].setdefault(route, {k: v for k, v in item.items() if k == "parameters"})
        kept[method.lower()] = item[method.lower()]
    pending, seen = list(refs(out)), set()
    while pending:
        pointer = pending.pop()
        if pointer in seen:
            continue
        seen.add(pointer)
        value = resolve(doc, pointer)
        place(out, pointer, value)
        pending.extend(refs(value))
    with open(target, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{target}: {len(operations)} operations, {len(seen)} referenced components")


if __name__ == "__main__":
    main()
