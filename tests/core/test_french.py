"""The interface in French (DESIGN.md §6): pages, service errors and the committed catalogue."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import translation

from challenges.models import Challenge
from challenges.services import challenge_create, challenge_transition
from core.errors import InvalidInput, TransitionRefused

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w+\}")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(text):
    body = text.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], body)


def read_po(path):
    """The catalogue's entries as dicts: flags, msgctxt, msgid, msgid_plural, msgstr by index."""
    entries, entry, field = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip() or (line.startswith("#") and entry and "msgid" in entry):
            if entry and "msgid" in entry:
                entries.append(entry)
            entry = None
        if not line.strip():
            continue
        entry = entry or {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if field[0] == "msgstr":
                entry["msgstr"][field[1]] += _unquote(line)
            else:
                entry[field[0]] += _unquote(line)
        else:
            keyword, value = line.split(" ", 1)
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if keyword == "msgstr" or match:
                field = ("msgstr", int(match.group(1)) if match else 0)
                entry["msgstr"][field[1]] = _unquote(value)
            else:
                field = (keyword, None)
                entry[keyword] = _unquote(value)
    return [e for e in entries if e["msgid"] and not e.get("obsolete")]


@pytest.fixture(autouse=True)
def _back_to_the_default_language():
    # LocaleMiddleware activates the request's language for the whole thread and never resets
    # it, so later tests would otherwise run their services in French.
    yield
    translation.deactivate()


@pytest.fixture(scope="module")
def catalogue():
    return read_po(LOCALE_DIR / "django.po")


@pytest.mark.django_db
def test_it_switches_the_board_to_french_through_the_language_form(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"

    page = client.get("/").content.decode()
    assert '<html lang="fr">' in page
    assert "Passer au contenu principal" in page
    assert "<h1>Tableau des défis</h1>" in page
    assert "Skip to main content" not in page


@pytest.mark.django_db
def test_it_keeps_the_board_in_english_without_a_choice(client):
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Skip to main content" in page
    assert "<h1>Challenge board</h1>" in page


@pytest.mark.django_db
def test_the_language_menu_names_each_language_in_that_language(client):
    page = client.get("/").content.decode()
    assert '<option value="fr" lang="fr" >Français</option>' in page
    assert "Anglais" not in page and ">French<" not in page


@pytest.mark.django_db
def test_it_renders_the_sign_in_page_in_french_for_a_french_browser(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Se connecter</h1>" in page
    assert "Passer au contenu principal" in page
    assert "Mot de passe oublié?" in page
    assert "Pas encore de compte?" in page


@pytest.mark.django_db
def test_it_refuses_a_resident_creating_a_challenge_with_a_french_sentence(rita, department):
    with translation.override("fr"), pytest.raises(PermissionDenied) as refused:
        challenge_create(actor=rita, title="Trottoirs", department=department)
    assert str(refused.value) == "Seul le personnel municipal peut créer des défis."
    assert not Challenge.objects.exists()


@pytest.mark.django_db
def test_it_explains_an_owner_who_is_not_staff_in_french_field_by_field(alice, rita, department):
    with translation.override("fr"), pytest.raises(InvalidInput) as refused:
        challenge_create(actor=alice, owner=rita, title="Trottoirs", department=department)
    assert refused.value.messages == [
        "Choisissez un membre du personnel municipal comme responsable du défi."
    ]
    assert refused.value.field_errors == {
        "owner": ["La personne responsable doit être membre du personnel municipal."]
    }
    assert not Challenge.objects.exists()


@pytest.mark.django_db
def test_it_refuses_publishing_a_draft_in_french_and_leaves_it_a_draft(challenge, alice):
    with translation.override("fr"), pytest.raises(TransitionRefused) as refused:
        challenge_transition(challenge=challenge, actor=alice, name="publish")
    message = " ".join(refused.value.messages)
    assert "Cette étape n'est pas possible" in message
    assert "Brouillon" in message
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.DRAFT


def test_the_catalogue_translates_every_entry_without_fuzzy_ones(catalogue):
    assert len(catalogue) > 1000
    untranslated = [e["msgid"] for e in catalogue if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in catalogue if "fuzzy" in e["flags"]]
    one_form = [e["msgid"] for e in catalogue if "msgid_plural" in e and len(e["msgstr"]) != 2]
    assert untranslated == []
    assert fuzzy == []
    assert one_form == []


def test_the_catalogue_keeps_every_placeholder_and_html_tag(catalogue):
    changed = []
    for entry in catalogue:
        # French uses the singular for 0 and 1 and the plural above, as English does for 1.
        forms = [(entry["msgid"], entry["msgstr"][0])]
        if "msgid_plural" in entry:
            forms.append((entry["msgid_plural"], entry["msgstr"][1]))
        for source, text in forms:
            for pattern in (PLACEHOLDER, re.compile(r"<[^>]+>")):
                if sorted(pattern.findall(source)) != sorted(pattern.findall(text)):
                    changed.append(entry["msgid"])
    assert changed == []


def test_the_committed_mo_file_matches_the_catalogue(catalogue):
    # A fresh machine has no msgfmt: the compiled file in the repository is what Django reads.
    with (LOCALE_DIR / "django.mo").open("rb") as compiled:
        mo = gettext.GNUTranslations(compiled)
    stale = []
    for entry in catalogue:
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if "msgid_plural" in entry:
            got = [mo.ngettext(msgid, entry["msgid_plural"], n) for n in (1, 2)]
            expected = [entry["msgstr"][0], entry["msgstr"][1]]
        else:
            got, expected = mo.gettext(msgid), entry["msgstr"][0]
        if got != expected:
            stale.append(entry["msgid"])
    assert stale == []
