"""Every method the API answers, for every role, never fails (DESIGN.md §9).

Schemathesis (tests/test_openapi.py) sends the methods the schema declares; OPTIONS and HEAD are
not in the schema, yet every path answers them. Each path of the schema, aimed at real rows, is
asked OPTIONS and HEAD, then every method its `Allow` header names (without a body), by each
role; none may answer a server error, and OPTIONS answers JSON.
"""

from types import SimpleNamespace

import pytest

from config.wsgi import application  # noqa: F401  (the URLconf is loaded as in production)
from tests.test_openapi import (  # noqa: F401  (fixtures)
    _aimed_at_real_rows,
    rows,
    wsgi_keeps_the_test_connection,
)

# Resident, vendor, evaluator (chair), staff owner, approver, superuser, and nobody signed in.
ROLES = ("anonymous", "rita", "dave", "frank", "alice", "carol", "root")


@pytest.fixture
def api_paths(client, rows):  # noqa: F811
    schema = client.get("/api/schema/?format=json").json()
    paths = []
    for template, operations in schema["paths"].items():
        names = {
            parameter["name"]
            for operation in operations.values()
            if isinstance(operation, dict)
            for parameter in operation.get("parameters", [])
            if parameter.get("in") == "path"
        }
        case = SimpleNamespace(path=template, path_parameters=dict.fromkeys(names, "0"))
        parameters = _aimed_at_real_rows(case, rows)
        paths.append(template.format(**parameters))
    return paths


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_method_the_api_answers_never_fails(role, request, client, api_paths):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    failures = []
    for path in api_paths:
        options = client.options(path)
        assert options["Content-Type"].startswith("application/json"), path
        allowed = {m.strip() for m in options.get("Allow", "").split(",") if m.strip()}
        for method in sorted({"OPTIONS", "HEAD"} | allowed):
            response = options if method == "OPTIONS" else client.generic(method, path)
            if response.status_code >= 500:
                failures.append(f"{method} {path} -> {response.status_code}")
    assert not failures, failures
