"""The API schema (what /api/docs/ loads) is generated once per language, version and deployed
code, then served from the cache; and every page has an icon, so none logs a 404 for one."""

import pytest
from django.core.cache import cache
from drf_spectacular.generators import SchemaGenerator

from config import schema as schema_module

JSON = "application/vnd.oai.openapi+json"


@pytest.fixture
def generations(monkeypatch):
    """Counts the schema generations, while still generating the real schema."""
    cache.clear()
    calls = []
    original = SchemaGenerator.get_schema

    def counting(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counting)
    yield calls
    cache.clear()


def get_schema(client, language="en", accept=JSON):
    response = client.get("/api/schema/", headers={"accept-language": language, "accept": accept})
    assert response.status_code == 200
    return response


def test_the_schema_is_generated_once_then_served_from_the_cache(client, generations):
    first = get_schema(client)
    second = get_schema(client)

    assert len(generations) == 1
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"] == JSON
    assert first.json()["info"]["title"] == "Civic Challenge Procurement API"
    assert 'filename="Civic Challenge Procurement API.json"' in second["Content-Disposition"]


def test_each_language_and_format_has_its_own_cached_schema(client, generations):
    english = get_schema(client, "en").json()
    french = get_schema(client, "fr").json()
    yaml = get_schema(client, "fr", accept="application/vnd.oai.openapi")
    get_schema(client, "fr")

    assert len(generations) == 3  # en JSON, fr JSON, fr YAML; the last one from the cache
    assert english["paths"].keys() == french["paths"].keys()
    assert english != french  # the French descriptions, not the English ones served again
    assert yaml["Content-Type"].startswith("application/vnd.oai.openapi")
    assert yaml.content.startswith(b"openapi:")


def test_new_code_is_never_served_an_old_schema(client, generations, monkeypatch):
    monkeypatch.setattr(schema_module, "code_fingerprint", lambda: "release-1")
    get_schema(client)
    monkeypatch.setattr(schema_module, "code_fingerprint", lambda: "release-2")
    get_schema(client)

    assert len(generations) == 2


def test_the_code_fingerprint_follows_the_source_files(settings, tmp_path):
    for folder in schema_module.SOURCE_FOLDERS:
        (tmp_path / folder).mkdir()
    (tmp_path / "locale").mkdir()
    views = tmp_path / "core" / "views.py"
    views.write_text("A = 1\n")
    settings.BASE_DIR = tmp_path
    schema_module.code_fingerprint.cache_clear()
    try:
        before = schema_module.code_fingerprint()
        schema_module.code_fingerprint.cache_clear()
        assert schema_module.code_fingerprint() == before  # stable for the same code
        views.write_text("A = 2\n")
        schema_module.code_fingerprint.cache_clear()
        assert schema_module.code_fingerprint() != before
    finally:
        schema_module.code_fingerprint.cache_clear()


@pytest.mark.django_db
def test_pages_link_the_icon_and_favicon_ico_leads_to_it(client):
    page = client.get("/")
    icon = client.get("/favicon.ico")

    assert page.status_code == 200
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in (
        page.content.decode()
    )
    assert icon.status_code == 302
    assert icon["Location"] == "/static/img/favicon.svg"
    assert "max-age=86400" in icon["Cache-Control"]
