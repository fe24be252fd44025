""" "You said, we did" as open data: one CSV row per theme of a published challenge, both
languages in their own columns, published input counted (never rejected or pending input,
never the input itself), in the same queries however many themes."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opendata import ocds
from tests.factories import ChallengeFactory, CommunityInputFactory, InputThemeFactory, set_status

pytestmark = pytest.mark.django_db

URL = "/open-data/you-said-we-did.csv"


def body(client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="you-said-we-did.csv"' in response["Content-Disposition"]
    return response.content.decode("utf-8-sig")


@pytest.fixture
def published(challenge):
    set_status(challenge, "published")
    heard = InputThemeFactory(
        challenge=challenge,
        position=1,
        title_en="Cold homes",
        title_fr="Logements froids",
        you_said_en="Drafty windows.",
        you_said_fr="Fenêtres qui laissent passer l’air.",
        outcome="statement",
        we_did_en="The statement asks for less heat loss.",
        we_did_fr=None,
    )
    for status in ("published", "published", "pending", "rejected"):
        set_status(
            CommunityInputFactory(challenge=challenge, theme=heard, body=f"Body {status}"),
            status,
        )
    InputThemeFactory(
        challenge=challenge,
        position=2,
        title_en=None,
        title_fr="Autobus",
        you_said_en=None,
        you_said_fr="Les autobus sont en retard.",
        outcome="no_change",
        we_did_en=None,
        we_did_fr="Rien : le budget ne le permet pas.",
    )
    return challenge


def test_the_csv_is_exactly_one_row_per_theme_of_published_challenges(client, published):
    in_co_design = set_status(ChallengeFactory(department=published.department), "co_design")
    InputThemeFactory(challenge=in_co_design, title_en="Not in open data yet")

    rows = list(csv.reader(io.StringIO(body(client))))

    ocid = ocds.ocid(published)
    assert rows == [
        [
            "ocid",
            "reference",
            "position",
            "theme_en",
            "theme_fr",
            "outcome",
            "you_said_en",
            "you_said_fr",
            "we_did_en",
            "we_did_fr",
            "published_input_count",
        ],
        [
            ocid,
            published.reference,
            "1",
            "Cold homes",
            "Logements froids",
            "statement",
            "Drafty windows.",
            "Fenêtres qui laissent passer l’air.",
            "The statement asks for less heat loss.",
            "",
            "2",
        ],
        [
            ocid,
            published.reference,
            "2",
            "",
            "Autobus",
            "no_change",
            "",
            "Les autobus sont en retard.",
            "",
            "Rien : le budget ne le permet pas.",
            "0",
        ],
    ]
    assert "Body" not in body(client)


def test_the_csv_costs_the_same_queries_however_many_themes(client, published):
    with CaptureQueriesContext(connection) as few:
        body(client)
    for i in range(8):
        theme = InputThemeFactory(challenge=published, title_en=f"Extra {i}")
        CommunityInputFactory(challenge=published, theme=theme)

    with CaptureQueriesContext(connection) as many:
        assert body(client).count("\n") == 11

    assert len(many) == len(few)


def test_the_open_data_page_links_the_csv(client, db):
    page = client.get(reverse("opendata:open_data")).content.decode()
    assert f'href="{reverse("opendata:open_data_themes_csv")}"' in page
