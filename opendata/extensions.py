"""The local OCDS extensions this app publishes with (docs/open-data.md, "The data governance
extension"), and the release schema they make: the official schema with each extension's
`release-schema.json` applied as a JSON Merge Patch (RFC 7386), as OCDS tools apply them."""

import copy
import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.urls import reverse

EXTENSIONS_DIR = Path(__file__).resolve().parent / "ocds_extensions"
# Published in every package's `extensions`; each is a folder of EXTENSIONS_DIR.
EXTENSIONS = ("data_governance",)
# The files of an extension its URL serves (the names its extension.json refers to).
EXTENSION_FILES = ("extension.json", "release-schema.json", "README.md")


def merge_patch(target, patch):
    """RFC 7386: objects merge key by key, a null removes the key, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def extension_file(name: str, filename: str) -> Path:
    if name not in EXTENSIONS or filename not in EXTENSION_FILES:
        raise FileNotFoundError(filename)
    return EXTENSIONS_DIR / name / filename


@cache
def extension_metadata(name: str) -> dict:
    return json.loads(extension_file(name, "extension.json").read_text(encoding="utf-8"))


def _patch(name: str, schema_name: str) -> dict:
    return json.loads(extension_file(name, schema_name).read_text(encoding="utf-8"))


def patched_release_schema(schema: dict) -> dict:
    for name in EXTENSIONS:
        for schema_name in extension_metadata(name).get("schemas", []):
            if schema_name == "release-schema.json":
                schema = merge_patch(schema, _patch(name, schema_name))
    return schema


def extension_path(name: str) -> str:
    """Where the app serves an extension's extension.json (its schema and README beside it)."""
    return reverse("opendata:ocds_extension", args=[name, "extension.json"])


def served_metadata(name: str) -> dict:
    """extension.json as served: its documentation, a file beside it in the repository, becomes
    an absolute address: OCDS_EXTENSION_DOCUMENTATION_URL when set (e.g. the docs page of the
    public repository), otherwise the README the app serves beside extension.json."""
    metadata = copy.deepcopy(extension_metadata(name))
    configured = settings.OCDS_EXTENSION_DOCUMENTATION_URL
    readme = settings.SITE_URL.rstrip("/") + reverse(
        "opendata:ocds_extension", args=[name, "README.md"]
    )
    metadata["documentationUrl"] = {
        language: configured or readme for language in metadata["documentationUrl"]
    }
    return metadata
