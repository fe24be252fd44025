"""Who reads the screening results: municipal staff, and the panel's members once they have
declared no conflict (the chair on the overview, every declared member in their workspace).
Invited but undeclared, recused and unassigned evaluators, vendors, residents and the admin do not.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.permissions import can
from evaluation import services
from tests.evaluation.conftest import accept, assignment_of
from tests.factories import UserFactory, panel_member

pytestmark = pytest.mark.django_db

EXPECTED = {
    "frank": True,  # chair, declared
    "grace": True,  # member, declared
    "ivan": False,  # invited, not declared
    "olga": False,  # recused, although also staff
    "ursula": False,  # evaluator on no panel of this challenge
    "alice": True,  # owner
    "bob": True,  # other staff
    "carol": True,  # approver (also staff)
    "dave": False,  # vendor who took part
    "rita": False,  # resident
    "root": False,  # admin: configuration only
}


@pytest.fixture
def people(frank, grace, alice, bob, carol, dave, rita, root):
    return {
        "frank": frank,
        "grace": grace,
        "ivan": UserFactory(username="ivan", roles=["evaluator"]),
        "olga": UserFactory(username="olga", roles=["evaluator", "staff"]),
        "ursula": UserFactory(username="ursula", roles=["evaluator"]),
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "dave": dave,
        "rita": rita,
        "root": root,
    }


@pytest.fixture
def field(scoring, people, alice):
    """Scoring, both proposals screened as passed; ivan invited, olga recused."""
    services.panel_assign(
        evaluation=scoring.evaluation,
        actor=alice,
        evaluator=people["ivan"],
        due_at=timezone.now() + timedelta(days=7),
    )
    panel_member(scoring.evaluation, people["olga"], status="recused", recusal_reason="Conflict.")
    return scoring.refresh()


def page(name, field):
    return reverse(f"evaluation:{name}", kwargs={"reference": field.challenge.reference})


@pytest.mark.parametrize("name", EXPECTED)
def test_the_rule_lets_staff_and_declared_panel_members_read_the_screening(field, people, name):
    assert can(people[name], "evaluation.view_screening", field.evaluation) is EXPECTED[name]


@pytest.mark.parametrize("name", ["grace", "frank"])
def test_declared_panel_members_see_the_screening_results_in_their_workspace(
    client, field, people, name
):
    client.force_login(people[name])

    html = client.get(page("workspace", field)).content.decode()

    assert "Screening results" in html
    assert html.count("<td>Passed</td>") == 2
    assert "Acme Heat Solutions Ltd." in html
    assert "No screening recorded yet" not in html


def test_the_chair_sees_on_the_overview_what_staff_see(client, field, frank, alice):
    client.force_login(alice)
    staff = client.get(page("overview", field)).content.decode()
    client.force_login(frank)
    chair = client.get(page("overview", field)).content.decode()

    for html in (staff, chair):
        assert html.count("<td>Passed</td>") == 2
        assert "No screening recorded yet" not in html


def test_an_undeclared_member_sees_no_screening_in_the_workspace(client, field, people):
    client.force_login(people["ivan"])

    response = client.get(page("workspace", field))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Screening results" not in html
    assert "Passed" not in html
    assert "Acme Heat Solutions Ltd." not in html


def test_before_any_screening_a_declared_member_is_told_so(client, screening, panel, grace):
    accept(assignment_of(screening, grace), grace)
    client.force_login(grace)

    html = client.get(page("workspace", screening)).content.decode()

    assert "No screening recorded yet." in html
    assert "Screening results" not in html


@pytest.mark.parametrize("name", ["olga", "ursula", "dave", "rita", "root"])
def test_others_cannot_open_the_workspace_or_read_the_screening_by_api(
    client, api_as, field, people, name
):
    client.force_login(people[name])
    reference = field.challenge.reference

    assert client.get(page("workspace", field)).status_code == 404
    response = api_as(people[name]).get(f"/api/evaluations/{reference}/screening/")
    assert response.status_code in (403, 404)
