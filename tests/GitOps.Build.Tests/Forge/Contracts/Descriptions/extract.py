#!/usr/bin/env python3
"""Cuts the operations GitOps.Build calls out of a forge's published API description.

usage: extract.py SOURCE.json|yaml OUT.json REPO PATH COMMIT [--notes NOTES.json] [--override OVERRIDE.json]
                  [--add ADD.json] [--strip KEY]... [--no-examples] [--fill-from SECOND.json|yaml] 'METHOD /path' ...

--notes adds its fields to the x-source block (how the source was read, what was not read).
--override replaces whole components (e.g. {"definitions": {"Name": {...}}}) with ones read elsewhere, or any node
named by a JSON pointer key (e.g. {"#/paths/~1a~1{b}/post/requestBody": {...}}); what was replaced is listed in
x-source.overridden, the notes say from where.
--add adds nodes the source leaves out (a JSON pointer key, e.g. a requestBody an operation's prose describes but its
schema omits; the parent must exist in SOURCE or, failing that, in the --fill-from document); listed in x-source.added,
the notes say from where. Unlike --override it never replaces: a node that exists already is an error.
--strip KEY drops an operation-level key the source's publisher added (e.g. x-octokit); listed in x-source.stripped.
--fill-from takes what SOURCE lacks (an operation, a component its closure names) from a second document, e.g. a
forge's full description where SOURCE is another project's newer subset of it; what came from there is listed in
x-source.filled (the notes say which document it is).
--no-examples leaves out the media-type examples (and the components/examples they name): the contract servers answer
from their simulation, held to the schemas; listed in x-source.stripped.

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


METHODS = ("get", "put", "post", "patch", "delete", "head", "options", "trace")


def media_objects(doc):
    """The media-type objects of every operation, response and request body (where OpenAPI 3 puts examples)."""
    holders = []
    for item in doc.get("paths", {}).values():
        for method in METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            holders.append(operation.get("requestBody", {}))
            holders.extend(operation.get("responses", {}).values())
    components = doc.get("components", {})
    holders.extend(components.get("responses", {}).values())
    holders.extend(components.get("requestBodies", {}).values())
    for holder in holders:
        if isinstance(holder, dict) and isinstance(holder.get("content"), dict):
            yield from (media for media in holder["content"].values() if isinstance(media, dict))


def main():
    args = sys.argv[1:]
    notes, override, strip, no_examples, second = {}, {}, [], "--no-examples" in args, None
    if "--fill-from" in args:
        at = args.index("--fill-from")
        second = load(args[at + 1])
        del args[at:at + 2]
    if no_examples:
        args.remove("--no-examples")
    while "--strip" in args:
        at = args.index("--strip")
        strip.append(args[at + 1])
        del args[at:at + 2]
    additions = {}
    for flag in ("--notes", "--override", "--add"):
        if flag in args:
            at = args.index(flag)
            value = load(args[at + 1])
            del args[at:at + 2]
            if flag == "--notes":
                notes = value
            elif flag == "--add":
                additions = value
            else:
                override = value
    source, target, repo, path, commit, *operations = args
    doc = load(source)
    for section, components in override.items():
        if section.startswith("#/"):
            resolve(doc, section)  # the node must exist: an override replaces, it never adds
            place(doc, section, components)
            continue
        for name, value in components.items():
            container = doc
            for part in section.split("/"):
                container = container[part]
            container[name] = value
    for pointer, value in additions.items():
        parent, name = pointer.rsplit("/", 1)
        name = name.replace("~1", "/").replace("~0", "~")
        try:
            into = resolve(doc, parent)
        except KeyError:
            into = resolve(second, parent)
        if name in into:
            raise SystemExit(f"--add {pointer}: the source has it already (use --override)")
        into[name] = value
    for item in doc.get("paths", {}).values():
        for method in METHODS:
            if isinstance(item.get(method), dict):
                for key in strip:
                    item[method].pop(key, None)
    if no_examples:
        for media in media_objects(doc):
            media.pop("examples", None)
            media.pop("example", None)
    root_keys = ["swagger", "openapi", "info", "host", "basePath", "schemes", "servers", "consumes", "produces",
                 "securityDefinitions", "security"]
    out = {key: doc[key] for key in root_keys if key in doc}
    out["x-source"] = {"repository": repo, "path": path, "commit": commit,
                       "operations": operations, "extracted_by": "descriptions/extract.py", **notes}
    if override:
        out["x-source"]["overridden"] = [section if section.startswith("#/") else f"{section}/{name}"
                                         for section, names in override.items()
                                         for name in ([None] if section.startswith("#/") else names)]
    if additions:
        out["x-source"]["added"] = list(additions)
    if strip or no_examples:
        out["x-source"]["stripped"] = [f"operations' {key}" for key in strip] + (["media-type examples"] if no_examples else [])
    if "components" in doc and "securitySchemes" in doc["components"]:
        out.setdefault("components", {})["securitySchemes"] = doc["components"]["securitySchemes"]
    filled = []
    out["paths"] = {}
    for operation in operations:
        method, route = operation.split(" ", 1)
        item = doc["paths"].get(route, {})
        if method.lower() not in item and second is not None:
            item = second["paths"][route]
            filled.append(operation)
        kept = out["paths"].setdefault(route, {k: v for k, v in item.items() if k == "parameters"})
        kept[method.lower()] = item[method.lower()]
    pending, seen = list(refs(out)), set()
    while pending:
        pointer = pending.pop()
        if pointer in seen:
            continue
        seen.add(pointer)
        try:
            value = resolve(doc, pointer)
        except KeyError:
            if second is None:
                raise
            value = resolve(second, pointer)
            filled.append(pointer)
        place(out, pointer, value)
        pending.extend(refs(value))
    if filled:
        out["x-source"]["filled"] = filled
    with open(target, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(f"{target}: {len(operations)} operations, {len(seen)} referenced components")


if __name__ == "__main__":
    main()
