"""The OCDS merge routine: a compiled release and a versioned release from stored releases.

It follows the standard's merging rules (OCDS 1.1, "Merging"), read from the local release
schema, as the reference implementation (`ocdsmerge`) applies them: releases in date order;
objects merged field by field; arrays of objects with an `id` merged by `id`; other arrays, and
those the schema marks `wholeListMerge`, replaced whole; `omitWhenMerged` fields left out; a
null removes a field. The reference implementation is a development dependency only: the tests
check that it gives the same record.
"""

from dataclasses import dataclass
from functools import cache

from . import ocds

OMIT = "omitWhenMerged"
WHOLE = "wholeListMerge"


@dataclass(frozen=True)
class _Item:
    """A step into an array of objects, by the object's `id`."""

    id: object


def _types(node: dict) -> list[str]:
    kind = node.get("type", [])
    return [kind] if isinstance(kind, str) else list(kind)


def _resolve(node: dict, definitions: dict) -> dict:
    # A reference stands for its target, whatever sits beside it (as `jsonref` reads it).
    while "$ref" in node and node["$ref"].startswith("#/definitions/"):
        node = definitions[node["$ref"].rsplit("/", 1)[1]]
    return node


def _rules(properties: dict, definitions: dict, path: tuple = ()):
    for key, node in properties.items():
        node = _resolve(node, definitions)
        new_path = (*path, key)
        types = _types(node)
        if node.get("omitWhenMerged") or node.get("mergeStrategy") == "ocdsOmit":
            yield new_path, OMIT
        elif "array" in types and (
            node.get("wholeListMerge") or node.get("mergeStrategy") == "ocdsVersion"
        ):
            yield new_path, WHOLE
        elif "object" in types and "properties" in node:
            yield from _rules(node["properties"], definitions, new_path)
        elif "array" in types and "items" in node:
            items = _resolve(node["items"], definitions)
            item_types = _types(items)
            if any(item_type != "object" for item_type in item_types):
                yield new_path, WHOLE
            elif "object" in item_types and "properties" in items:
                if "id" not in items["properties"]:
                    yield new_path, WHOLE
                else:
                    yield from _rules(items["properties"], definitions, new_path)


@cache
def merge_rules() -> dict[tuple, str]:
    schema = ocds.release_schema()
    return dict(_rules(schema["properties"], schema.get("definitions", {})))


def _flatten(value, rules: dict, flat: dict, path: tuple = (), rule_path: tuple = ()) -> dict:
    if isinstance(value, list):
        pairs = [(_Item(item.get("id")), item, rule_path) for item in value]
    else:
        pairs = [(key, item, (*rule_path, key)) for key, item in value.items()]
    for key, item, item_rule_path in pairs:
        rule = rules.get(item_rule_path)
        if rule == OMIT:
            continue
        if (
            rule == WHOLE
            or not isinstance(item, dict | list)
            or (isinstance(item, list) and any(not isinstance(i, dict) for i in item))
        ):
            flat[(*path, key)] = item
        elif item:
            _flatten(item, rules, flat, (*path, key), item_rule_path)
    return flat


def _unflatten(flat: dict) -> dict:
    result: dict = {}
    items: dict[tuple, dict] = {}
    for key, value in flat.items():
        node = result
        for end, part in enumerate(key, 1):
            if isinstance(part, _Item):
                if key[:end] not in items:
                    items[key[:end]] = {} if part.id is None else {"id": part.id}
                    node.append(items[key[:end]])
                node = items[key[:end]]
            elif part in node:
                node = node[part]
            elif end < len(key):
                node[part] = [] if isinstance(key[end], _Item) else {}
                node = node[part]
            elif value is not None:
                node[part] = value
    return result


def _in_order(releases: list[dict]) -> list[dict]:
    return sorted(releases, key=lambda release: release["date"])


def compiled_release(releases: list[dict]) -> dict:
    """The latest value of every field: the record's `compiledRelease`."""
    rules = merge_rules()
    data: dict = {("tag",): ["compiled"]}
    for release in _in_order(releases):
        data[("id",)] = f"{release['ocid']}-{release['date']}"
        data[("date",)] = release["date"]
        data[("ocid",)] = release["ocid"]
        data.update(_flatten({k: v for k, v in release.items() if k != "tag"}, rules, {}))
    return _unflatten(data)


def versioned_release(releases: list[dict]) -> dict:
    """Every field's history, one entry per release that changed it: the `versionedRelease`."""
    rules = merge_rules()
    data: dict = {}
    for release in _in_order(releases):
        flat = _flatten({k: v for k, v in release.items() if k != "tag"}, rules, {})
        flat.pop(("ocid",), None)
        data[("ocid",)] = release["ocid"]
        for key, value in flat.items():
            history = data.get(key)
            if history is not None and history[-1]["value"] == value:
                continue
            data.setdefault(key, []).append(
                {
                    "releaseID": release["id"],
                    "releaseDate": release["date"],
                    "releaseTag": release.get("tag"),
                    "value": value,
                }
            )
    return _unflatten(data)
