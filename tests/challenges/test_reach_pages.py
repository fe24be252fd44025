"""The reach ledger on the pages: the chart with the gap as its own series and the same figures in
a table; the owner's form of targets and reason; the public section once the challenge is public."""

import pytest
from django.urls import reverse
from django.utils import translation

from challenges.models import ReachTarget
from core import charts
from tests.chart_reading import charts_in, read
from tests.factories import (
    ActivityReachFactory,
    EngagementActivityFactory,
    PriorityGroupFactory,
    ReachTargetFactory,
    set_status,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger_challenge(challenge):
    seniors = PriorityGroupFactory(slug="p-seniors", name_en="Seniors p", name_fr="Aînés p")
    youth = PriorityGroupFactory(slug="p-youth", name_en="Youth p", name_fr="Jeunes p")
    ReachTargetFactory(challenge=challenge, group=seniors, target=20)
    made = EngagementActivityFactory(challenge=challenge)
    ActivityReachFactory(activity=made, group=seniors, participants=6)
    ActivityReachFactory(activity=made, group=youth, participants=9)
    return challenge


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_reach_chart_draws_target_reached_and_the_gap(language):
    rows = [
        {"label": "Seniors", "target": 20, "reached": 6, "gap": 14},
        {"label": "Youth", "target": None, "reached": 9, "gap": 0},
    ]
    with translation.override(language):
        chart = read(charts.reach_chart(rows))

    legend = {
        "en": ["Target", "Reached", "Still to reach"],
        "fr": ["Cible", "Personnes jointes", "Encore à joindre"],
    }
    assert chart.legend == legend[language]
    # A bar for each figure there is: no target bar for Youth, no gap bar where none.
    assert sorted(w > 0 for w in chart.bar_widths).count(True) == 4
    hover = {"en": "Seniors: 14 still to reach", "fr": "Seniors : 14 personnes encore à joindre"}
    assert hover[language] in [text.replace("\u00a0", " ") for text in chart.hover]
    assert chart.role == "img" and chart.title and chart.description
    assert "style=" not in chart.markup and "<script" not in chart.markup
    assert chart.localised_attributes == []


def test_the_public_page_shows_the_ledger_with_its_table_once_public(client, ledger_challenge):
    set_status(ledger_challenge, "published")

    response = client.get(ledger_challenge.get_absolute_url())

    html = response.content.decode()
    assert 'id="reach-heading"' in html
    assert 'class="reach-gap"' in html  # the unmet row is marked
    assert "Seniors p" in html and "Youth p" in html
    reach = [c for c in charts_in(html) if c.labelled_by.startswith("reach-chart")]
    assert len(reach) == 1


def test_a_draft_ledger_is_not_public(client, rita, ledger_challenge):
    client.force_login(rita)

    assert client.get(ledger_challenge.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("challenges:reach", args=[ledger_challenge.reference])).status_code
        == 404
    )


def test_the_owner_sets_targets_on_the_page(client, alice, ledger_challenge):
    client.force_login(alice)
    url = reverse("challenges:reach", args=[ledger_challenge.reference])
    page = client.get(url)
    form = page.context["targets_form"]
    seniors = next(g for g in form.groups if g.slug == "p-seniors")
    youth = next(g for g in form.groups if g.slug == "p-youth")
    assert form[f"group_{seniors.pk}"].initial == 20

    data = {f"group_{g.pk}": "" for g in form.groups}
    data[f"group_{youth.pk}"] = "15"
    response = client.post(
        reverse("challenges:reach_targets", args=[ledger_challenge.reference]), data
    )

    assert response.status_code == 302
    assert list(
        ReachTarget.objects.filter(challenge=ledger_challenge).values_list("group__slug", "target")
    ) == [("p-youth", 15)]


def test_a_target_of_zero_is_shown_back_and_nothing_changes(client, alice, ledger_challenge):
    client.force_login(alice)
    seniors = ReachTarget.objects.get(challenge=ledger_challenge).group

    response = client.post(
        reverse("challenges:reach_targets", args=[ledger_challenge.reference]),
        {f"group_{seniors.pk}": "0"},
    )

    assert response.status_code == 200
    assert response.context["targets_form"].errors[f"group_{seniors.pk}"]
    assert ReachTarget.objects.get(challenge=ledger_challenge).target == 20


def test_the_owner_records_the_reason_on_the_page(client, alice, ledger_challenge):
    client.force_login(alice)
    url = reverse("challenges:reach", args=[ledger_challenge.reference])
    assert "The reach targets are not met" in client.get(url).content.decode()

    response = client.post(
        reverse("challenges:reach_gap_reason", args=[ledger_challenge.reference]),
        {"reach_gap_reason": "The seniors' centre closed."},
    )

    assert response.status_code == 302
    ledger_challenge.refresh_from_db()
    assert ledger_challenge.reach_gap_reason == "The seniors' centre closed."
    assert "The reach targets are not met" not in client.get(url).content.decode()


def test_after_review_the_page_reads_but_offers_no_form(client, alice, ledger_challenge):
    set_status(ledger_challenge, "published")
    client.force_login(alice)

    response = client.get(reverse("challenges:reach", args=[ledger_challenge.reference]))

    assert response.status_code == 200
    assert response.context["targets_form"] is None
    assert "Save the targets" not in response.content.decode()


def test_the_api_reads_the_ledger(api_as, ledger_challenge):
    set_status(ledger_challenge, "published")

    data = api_as(None).get(f"/api/challenges/{ledger_challenge.reference}/reach/").json()

    assert [
        (r["group_slug"], r["target"], r["reached"], r["gap"], r["met"]) for r in data["rows"]
    ] == [("p-seniors", 20, 6, 14, False)]
    assert [(r["group_slug"], r["reached"]) for r in data["untargeted"]] == [("p-youth", 9)]
    assert (data["activities"], data["all_met"], data["total_gap"]) == (1, False, 14)


def test_the_api_sets_lists_and_removes_targets(api_as, alice, ledger_challenge):
    youth = PriorityGroupFactory(slug="p-youth")
    base = f"/api/challenges/{ledger_challenge.reference}/reach-targets/"

    response = api_as(alice).post(base, {"group": youth.pk, "target": 12}, format="json")
    assert response.status_code == 200, response.content
    assert [(t["group_slug"], t["target"]) for t in api_as(alice).get(base).json()] == [
        ("p-seniors", 20),
        ("p-youth", 12),
    ]
    assert (
        api_as(alice).post(base, {"group": youth.pk, "target": 0}, format="json").status_code == 400
    )

    assert api_as(alice).delete(f"{base}{youth.pk}/").status_code == 204
    assert api_as(alice).delete(f"{base}{youth.pk}/").status_code == 404
    assert not ReachTarget.objects.filter(group=youth).exists()
