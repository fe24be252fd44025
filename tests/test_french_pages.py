"""Every page, read in French by each role that reads it, is French all the way through.

The world and the page list are those of tests/test_query_counts.py (every named page of the
URLconf, the persona who reads it and how its arguments come from the seeded data); the shared
public pages are read by every role as well. Each HTML page fails on:

- English left: a visible text node that is a catalogue msgid (a sentence, or a pattern such as
  "Proposal %(letters)s" with its values filled in) whose French msgstr differs;
- a decimal comma inside an SVG numeric attribute (`width="272,0"` draws nothing);
- a step code: a transition name or a state value of any state machine, or a plain action the
  audit trail records, shown as text (`start_evaluation`, `closed → evaluating`).
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import product
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django_fsm import FSMFieldMixin

from config.celery import app as celery_app
from core.steps import registered_step_names
from tests.test_query_counts import PAGES, SMALL, seed

pytestmark = pytest.mark.django_db

# Who reads the pages everyone may open, besides the persona PAGES names.
ROLES = ("anonymous", "rita", "dave", "frank", "alice", "carol")
SHARED = {
    "challenges:board",
    "challenges:detail",
    "procurement:outcomes",
    "procurement:challenge_history",
    "procurement:award",
    "procurement:pilot",
    "opendata:open_data",
    "opendata:open_data_releases",
    "opendata:open_data_record",
    "evaluation:results",
    "vendors:portal",
    "procurement:dashboard",
    "audit:head",
}
# More states of the same pages: each challenge of the world on its public pages.
EXTRA = {
    "challenges:detail": ("co_design", "consensus", "awarded"),
    "procurement:outcomes": ("open", "consensus"),
    "procurement:challenge_history": ("awarded", "consensus"),
}

# Attributes of SVG elements that hold numbers or coordinates.
SVG_NUMERIC = {
    "width",
    "height",
    "x",
    "y",
    "d",
    "points",
    "transform",
    "viewbox",
    "cx",
    "cy",
    "r",
    "x1",
    "y1",
    "x2",
    "y2",
}
DECIMAL_COMMA = re.compile(r"\d,\d")

# Pages whose words are not ours: Swagger UI is the library's own (English) interface.
NOT_OURS = {"swagger-ui"}
# Words of the seeded data that happen to be msgids: a criterion the municipality named "Price"
# (tests/factories.complete_plan) is its name, not the interface's.
DATA = {"Price"}


# The catalogue -----------------------------------------------------------------------------------


def _catalogue():
    """(exact English sentences, patterns with placeholders) whose French differs."""
    path = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po"
    with path.open("rb") as po:
        catalogue = read_po(po)
    exact, patterns, french_words = set(), [], set()
    for message in catalogue:
        if not message.id or message.fuzzy:
            continue
        pairs = (
            zip(message.id, message.string, strict=False)
            if message.pluralizable
            else [(message.id, message.string)]
        )
        for english, french in pairs:
            # Spaces as the pages' text is read (no-break spaces before « : » included).
            english, french = " ".join(english.split()), " ".join(french.split())
            if not french or french == english:
                continue
            french_words.add(french)
            if "%(" in english:
                words = re.sub(r"%\(\w+\)[sd]", "", english)
                # A pattern needs words of its own to be recognised ("%(a)s: %(b)s" has none).
                if len(re.findall(r"[A-Za-z]{3,}", words)) >= 1:
                    patterns.append((english, _pattern(english), _pattern(french)))
            else:
                exact.add(english)
    # A French word that is also an English msgid ("Note", « Question ») is French here.
    return exact - french_words - DATA, patterns


def _pattern(message: str):
    regex = re.sub(r"%\\\(\w+\\\)[sd]", ".+?", re.escape(message))
    return re.compile(rf"^{regex}$", re.DOTALL)


def _step_codes() -> set[str]:
    """Every transition name and state value of the state machines, and the audited actions."""
    codes = set(registered_step_names())
    for model in apps.get_models():
        for model_field in model._meta.fields:
            if isinstance(model_field, FSMFieldMixin):
                codes.update(str(value) for value, _label in model_field.flatchoices)
                for name in dir(model):
                    meta = getattr(getattr(model, name, None), "_django_fsm", None)
                    if meta is not None and meta.field.name == model_field.name:
                        codes.add(name)
    return codes


# Reading a page ----------------------------------------------------------------------------------


@dataclass
class Page:
    lang: str = ""
    texts: list[str] = field(default_factory=list)
    svg_attributes: list[tuple[str, str, str]] = field(default_factory=list)


class _Reader(HTMLParser):
    HIDDEN = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.stack: list[str] = []
        # Elements marked as another language (the switcher's "English") are not French text.
        self.foreign: list[bool] = []

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.page.lang = dict(attrs).get("lang") or ""
        if "svg" in self.stack or tag == "svg":
            for name, value in attrs:
                if name.lower() in SVG_NUMERIC and value:
                    self.page.svg_attributes.append((tag, name, value))
        if tag not in {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}:
            lang = dict(attrs).get("lang")
            self.stack.append(tag)
            self.foreign.append(bool(lang) and not lang.startswith("fr"))

    def handle_startendtag(self, tag, attrs):
        if "svg" in self.stack:
            for name, value in attrs:
                if name.lower() in SVG_NUMERIC and value:
                    self.page.svg_attributes.append((tag, name, value))

    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack:
                self.foreign.pop()
                if self.stack.pop() == tag:
                    break

    def handle_data(self, data):
        if self.HIDDEN.intersection(self.stack) or any(self.foreign):
            return
        text = " ".join(data.split())
        if text:
            self.page.texts.append(text)


def read(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    return reader.page


# The world, read once in French ------------------------------------------------------------------


def _urls(world):
    """(name, who, url, required): the persona's reading must answer 200; the others are read
    when they may open the page."""
    for name, page in sorted(PAGES.items()):
        if name in NOT_OURS:
            continue
        url = reverse(name, kwargs=page.kwargs(world))
        yield name, page.persona, url, True
        if name in SHARED:
            for who in ROLES:
                if who != page.persona:
                    yield name, who, url, False
    for name, keys in EXTRA.items():
        for key in keys:
            row = world.rows[key]
            # An evaluation is found by its challenge's reference.
            url = reverse(name, kwargs={"reference": getattr(row, "challenge", row).reference})
            for who in ROLES:
                yield f"{name}[{key}]", who, url, False


@pytest.fixture(scope="module")
def crawl(django_db_setup, django_db_blocker, tmp_path_factory):
    """{language: {(name, who): (status, url, Page)}}: every HTML page of the world, read in
    French, and in English for the step codes (English pages showed them too)."""
    overrides = {
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "MEDIA_ROOT": tmp_path_factory.mktemp("media"),
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
        "STORAGES": {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    pages = {"fr": {}, "en": {}}
    try:
        with django_db_blocker.unblock(), override_settings(**overrides):
            ContentType.objects.clear_cache()
            with transaction.atomic():
                world = seed(SMALL)
                clients = {}
                for who, user in world.users.items():
                    clients[who] = Client(raise_request_exception=False)
                    if user is not None:
                        clients[who].force_login(user)
                for (name, who, url, required), language in product(_urls(world), pages):
                    response = clients[who].get(url, HTTP_ACCEPT_LANGUAGE=language)
                    html = response.get("Content-Type", "").startswith("text/html")
                    if getattr(response, "streaming", False) or not html:
                        continue
                    if response.status_code != 200 and not required:
                        continue
                    pages[language][(name, who)] = (
                        response.status_code,
                        url,
                        read(response.content.decode()),
                    )
                transaction.set_rollback(True)
    finally:
        celery_app.conf.task_always_eager = eager
    return pages


@pytest.fixture(scope="module")
def french(crawl):
    return crawl["fr"]


@pytest.fixture(scope="module")
def catalogue():
    return _catalogue()


@pytest.fixture(scope="module")
def step_codes():
    return _step_codes()


# The tests ---------------------------------------------------------------------------------------


def test_the_crawl_reads_every_html_page_of_the_list_in_french(french):
    assert len({name for name, _who in french}) >= 40
    wrong = {key: (status, url) for key, (status, url, _page) in french.items() if status != 200}
    assert not wrong
    assert {page.lang for _status, _url, page in french.values()} == {"fr"}


def _english(page: Page, catalogue) -> list[str]:
    exact, patterns = catalogue
    left = [text for text in page.texts if text in exact]
    for text in page.texts:
        if text in exact or len(text) < 4:
            continue
        left.extend(
            f"{text}  ({msgid})"
            for msgid, english, french in patterns
            if english.match(text) and not french.match(text)
        )
    return left


def test_no_english_from_the_catalogue_is_left_on_a_french_page(french, catalogue):
    found = {
        f"{name} as {who} ({url})": english
        for (name, who), (_status, url, page) in french.items()
        if (english := _english(page, catalogue))
    }
    assert not found


def test_svg_numbers_are_written_with_a_decimal_point(french):
    found = {
        f"{name} as {who} ({url})": sorted(
            {
                f"<{tag} {attribute}={value!r}>"
                for tag, attribute, value in page.svg_attributes
                if DECIMAL_COMMA.search(value)
            }
        )[:5]
        for (name, who), (_status, url, page) in french.items()
        if any(DECIMAL_COMMA.search(value) for _tag, _attribute, value in page.svg_attributes)
    }
    assert not found


def _codes(page: Page, codes: set[str]) -> list[str]:
    shown = []
    for text in page.texts:
        words = set(re.findall(r"[a-z]+(?:_[a-z]+)+", text))
        arrow = "→" in text and any(part.strip() in codes for part in text.split("→"))
        if text in codes or words & codes or arrow:
            shown.append(text)
    return shown


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_step_or_state_code_is_shown(crawl, language, step_codes):
    found = {
        f"{name} as {who} ({url})": codes
        for (name, who), (_status, url, page) in crawl[language].items()
        if (codes := _codes(page, step_codes))
    }
    assert not found


# The checks themselves catch what they are for -----------------------------------------------


def test_the_checks_catch_english_a_comma_in_svg_and_a_step_code(catalogue, step_codes):
    page = read(
        '<html lang="fr"><body><p>Open the review</p><p>Proposal B</p>'
        '<svg viewBox="0 0 10 10"><rect width="272,0" height="4"/></svg>'
        "<table><tr><td>start_evaluation</td><td>closed → evaluating</td></tr></table>"
        "<script>var x = 'Open the review';</script></body></html>"
    )
    english = _english(page, catalogue)
    assert "Open the review" in english
    assert any(text.startswith("Proposal B") for text in english)
    assert [value for _t, _a, value in page.svg_attributes if DECIMAL_COMMA.search(value)] == [
        "272,0"
    ]
    assert _codes(page, step_codes) == ["start_evaluation", "closed → evaluating"]
    french_page = read(
        '<html lang="fr"><body><p>Ouvrir l’examen</p><svg><rect width="272.0"/></svg>'
        "<td>Début de l’évaluation</td><td>Fermé → En évaluation</td></body></html>"
    )
    assert not _english(french_page, catalogue)
    assert not _codes(french_page, step_codes)
