"""Pages carry a strict Content-Security-Policy (scripts, styles, images only from this site; no
inline script without the request's nonce; no inline style; no framing), and no template needs
more: an injected <script> or style attribute would not run."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_TEMPLATES = [
    *ROOT.glob("templates/**/*.html"),
    *ROOT.glob("*/templates/**/*.html"),
]


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/", "/open-data/"])
def test_pages_carry_a_strict_policy(client, path):
    response = client.get(path)

    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    header = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in header and "'unsafe-eval'" not in header and "*" not in header


@pytest.mark.django_db
def test_a_page_has_no_inline_script_or_style(client):
    page = client.get("/").content.decode()

    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert "<style" not in page
    assert re.findall(r"\sstyle=", page) == []
    assert '<script src="/static/js/site.js"></script>' in page


def test_no_template_has_inline_script_style_or_event_handler():
    assert APP_TEMPLATES
    found = []
    for template in APP_TEMPLATES:
        text = template.read_text(encoding="utf-8")
        for pattern in (
            r"<script(?![^>]*\b(?:src|nonce)=)[^>]*>",
            r"<style\b",
            r"\sstyle=",
            r"\son[a-z]+=",
        ):
            found += [f"{template.relative_to(ROOT)}: {m}" for m in re.findall(pattern, text)]
    assert found == []


@pytest.mark.django_db
def test_the_api_docs_page_carries_the_policy_and_loads_its_script_from_a_file(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    page = response.content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert "<style" not in page
    start = re.search(r'<script src="(/api/docs/\?[^"]*script=[^"]*)"', page)
    assert start, page
    script = client.get(start.group(1).replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    assert "/static/css/swagger.css" in page
