"""The evaluation API's permission and visibility matrix: every endpoint for every persona.

One evaluation in scoring: frank chairs and is still drafting, grace and iris have submitted,
hank has declared and is drafting, ivan is invited and has not declared, olga recused, ursula is
an evaluator not on this panel; alice owns the challenge, bob is other staff, dave's vendor
(Acme) took part, root is the admin. Writes are sent and rolled back, so every persona meets the
same world; a refusal changes nothing.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from evaluation import services
from tests.evaluation.api_helpers import (
    PRICES,
    client_for,
    ev,
    plan_url,
    send,
    send_and_undo,
)
from tests.evaluation.conftest import accept, assignment_of, score_everything
from tests.factories import UserFactory, panel_member

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "frank",
    "grace",
    "hank",
    "ivan",
    "olga",
    "ursula",
    "alice",
    "bob",
    "dave",
    "root",
]


@pytest.fixture
def people(frank, grace, alice, bob, dave, root):
    return {
        "anonymous": None,
        "frank": frank,
        "grace": grace,
        "hank": UserFactory(username="hank", roles=["evaluator"]),
        "iris": UserFactory(username="iris", roles=["evaluator"]),
        "ivan": UserFactory(username="ivan", roles=["evaluator"]),
        "olga": UserFactory(username="olga", roles=["evaluator", "staff"]),
        "ursula": UserFactory(username="ursula", roles=["evaluator"]),
        "alice": alice,
        "bob": bob,
        "dave": dave,
        "root": root,
    }


@pytest.fixture
def world(scoring, people, alice):
    field = scoring
    due = timezone.now() + timedelta(days=7)
    for name in ("hank", "iris", "ivan"):
        services.panel_assign(
            evaluation=field.evaluation, actor=alice, evaluator=people[name], due_at=due
        )
    for name in ("hank", "iris"):
        accept(assignment_of(field, people[name]), people[name])
    panel_member(field.evaluation, people["olga"], status="recused", recusal_reason="Conflict.")
    score_everything(field, people["grace"], {field.acme: 7, field.globex: 6})
    score_everything(field, people["iris"], {field.acme: 9, field.globex: 5})
    score_everything(field, people["frank"], {field.acme: 8, field.globex: 6}, submit=False)
    # hank has scored Acme only: his submission is refused while Globex is unscored.
    score_everything(field, people["hank"], {field.acme: 4}, submit=False)
    return field.refresh()


def _count(response):
    data = response.json()
    return data["count"] if isinstance(data, dict) and "count" in data else None


def _results(response):
    return response.json()["results"]


# Reads -----------------------------------------------------------------------------------------


def _what_they_see(field, client):
    """A summary of everything one reader gets from the evaluation's read endpoints."""
    seen = {}
    detail = client.get(ev(field))
    seen["evaluation"] = detail.status_code
    if detail.status_code != 200:
        return seen
    body = detail.json()
    seen["progress"] = sorted(m["evaluator"] for m in body["progress"])
    panel = _results(client.get(ev(field, "panel/")))
    seen["panel"] = sorted(m["evaluator"] for m in panel)
    proposals = _results(client.get(ev(field, "proposals/")))
    seen["proposals"] = sorted(
        (p["label"], p["vendor_name"], len(p["documents"])) for p in proposals
    )
    seen["screening"] = _count(client.get(ev(field, "screening/")))
    scores = _results(client.get(ev(field, "scores/")))
    seen["scores"] = sorted({s["evaluator"] for s in scores})
    sheet = _results(client.get(ev(field, "consensus/")))
    seen["consensus"] = sorted({s["evaluator"] for cell in sheet for s in cell["scores"]})
    seen["prices"] = _count(client.get(ev(field, "prices/")))
    seen["ranking"] = _count(client.get(ev(field, "ranking/")))
    seen["csv"] = client.get(ev(field, "ranking.csv")).status_code
    return seen


DECLARED = [
    ("Proposal A", "Acme Heat Solutions Ltd.", 1),
    ("Proposal B", "Globex Retrofit Co-operative", 1),
]
ANONYMISED = [("Proposal A", None, 0), ("Proposal B", None, 0)]
EVERYONE_ON_PANEL = ["frank", "grace", "hank", "iris", "ivan", "olga"]
NOTHING_MORE = {
    "screening": 0,
    "prices": 0,
    "ranking": 0,
    "csv": 404,
}


def _expected(name):
    panel_member_view = {
        "proposals": DECLARED,
        "consensus": [],
        "progress": [],
        "panel": [],
        **NOTHING_MORE,
        # Declared members read the screening of the proposals they score.
        "screening": 2,
    }
    expected = {
        "anonymous": {"evaluation": 403},
        "frank": {
            **panel_member_view,
            "progress": EVERYONE_ON_PANEL,
            "panel": EVERYONE_ON_PANEL,
            "scores": ["frank"],
        },
        "grace": {
            **panel_member_view,
            "progress": EVERYONE_ON_PANEL,
            "panel": EVERYONE_ON_PANEL,
            "scores": ["grace", "iris"],
            "consensus": ["grace", "iris"],
        },
        "hank": {**panel_member_view, "scores": ["hank"]},
        "ivan": {**panel_member_view, "proposals": ANONYMISED, "scores": [], "screening": 0},
        "olga": {"evaluation": 404},
        "ursula": {"evaluation": 404},
        "alice": {
            **NOTHING_MORE,
            "progress": EVERYONE_ON_PANEL,
            "panel": EVERYONE_ON_PANEL,
            "proposals": [],
            "screening": 2,
            "scores": [],
            "consensus": [],
        },
        "dave": {"evaluation": 404},
        "root": {"evaluation": 404},
    }
    expected["bob"] = expected["alice"]
    result = dict(expected[name])
    result.setdefault("evaluation", 200)
    return result


@pytest.mark.parametrize("name", PERSONAS)
def test_each_persona_reads_exactly_what_the_visibility_rules_allow(world, people, name):
    seen = _what_they_see(world, client_for(people[name]))

    expected = _expected(name)
    if seen.get("proposals"):
        # Labels follow the proposals' random ids: compare who is behind them, not the order.
        assert sorted(p[0] for p in seen["proposals"]) == ["Proposal A", "Proposal B"]
        seen["proposals"] = sorted(p[1:] for p in seen["proposals"])
        expected["proposals"] = sorted(p[1:] for p in expected["proposals"])
    assert seen == expected


@pytest.mark.parametrize("name", PERSONAS)
def test_the_plan_is_public_once_frozen_and_the_assignments_list_holds_only_ones_own(
    world, people, name
):
    client = client_for(people[name])

    plan = client.get(plan_url(world.challenge))
    mine = client.get("/api/assignments/")

    assert plan.status_code == 200
    assert plan.json()["digest"] == world.evaluation.plan.digest
    if name == "anonymous":
        assert mine.status_code == 403
        return
    assert mine.status_code == 200
    owners = {a["id"] for a in mine.json()["results"]}
    expected = {a.pk for a in people[name].panel_assignments.all()} if people[name] else set()
    assert owners == expected
    if name in ("frank", "grace", "hank", "ivan", "olga"):
        assert len(owners) == 1


@pytest.mark.parametrize("name", PERSONAS)
def test_nobody_reads_another_evaluators_assignment(world, people, name):
    hank = assignment_of(world, people["hank"])

    response = client_for(people[name]).get(f"/api/assignments/{hank.pk}/")

    assert response.status_code == {"anonymous": 403, "hank": 200}.get(name, 404)


# Writes ----------------------------------------------------------------------------------------


def _writes(field, people):
    """(label, method, url, body): each endpoint that stores something, aimed at this world."""
    acme = str(field.acme.public_id)
    criterion = field.criteria()[0]
    ivan = assignment_of(field, people["ivan"])
    hank = assignment_of(field, people["hank"])
    return [
        (
            "replace the plan",
            "put",
            plan_url(field.challenge),
            {"criteria": [{"kind": "rated", "name": "Approach", "weight": 100, "max_points": 10}]},
        ),
        ("change plan settings", "patch", plan_url(field.challenge), {"combination": "average"}),
        (
            "invite an evaluator",
            "post",
            ev(field, "panel/"),
            {
                "evaluator": "ursula",
                "due_at": (timezone.now() + timedelta(days=3)).isoformat(),
            },
        ),
        ("take back an invitation", "delete", ev(field, f"panel/{ivan.pk}/"), None),
        ("name the chair", "post", ev(field, f"panel/{hank.pk}/chair/"), None),
        (
            "record screening",
            "post",
            ev(field, "screening/"),
            {"proposal": acme, "results": {}},
        ),
        (
            "save scores",
            "post",
            ev(field, "scores/"),
            {
                "proposal": acme,
                "scores": {str(criterion.pk): {"points": "5", "rationale": "Re-read."}},
                "reason": "Re-read the approach.",
            },
        ),
        (
            "record consensus",
            "post",
            ev(field, "consensus/"),
            {"proposal": acme, "criterion": criterion.pk, "points": "8", "rationale": "Agreed."},
        ),
        (
            "accept hank's place",
            "post",
            f"/api/assignments/{hank.pk}/accept/",
            {"signature": "Hank Evaluator", "no_conflict": True},
        ),
        (
            "recuse hank",
            "post",
            f"/api/assignments/{hank.pk}/recuse/",
            {"reason": "A conflict."},
        ),
        ("submit hank's scores", "post", f"/api/assignments/{hank.pk}/submit/", None),
        *(
            (f"evaluation step {step}", "post", ev(field, f"{step}/"), {"reason": "Next."})
            for step in (
                "start_screening",
                "start_scoring",
                "open_consensus",
                "lock_consensus",
                "open_prices",
                "rank",
                "decide",
            )
        ),
    ]


# What each persona gets, in PERSONAS order: anonymous, frank, grace, hank, ivan, olga, ursula,
# alice, bob, dave, root. 2xx answers are undone; every other answer must change nothing.
OWNER_ACTS = [403, 403, 403, 403, 403, 404, 404, None, 403, 404, 404]
WRITES = {
    # The plan is frozen: alice is told so, everyone else may not change it at all.
    "replace the plan": [403, 403, 403, 403, 403, 403, 403, 409, 403, 403, 403],
    "change plan settings": [403, 403, 403, 403, 403, 403, 403, 409, 403, 403, 403],
    "invite an evaluator": [*OWNER_ACTS[:7], 201, *OWNER_ACTS[8:]],
    "take back an invitation": [*OWNER_ACTS[:7], 204, *OWNER_ACTS[8:]],
    "name the chair": [*OWNER_ACTS[:7], 200, *OWNER_ACTS[8:]],
    # Screening is over: the owner is told so.
    "record screening": [*OWNER_ACTS[:7], 400, *OWNER_ACTS[8:]],
    # Only a panel member scores: ivan has not declared; grace changes a submitted score.
    "save scores": [403, 200, 200, 200, 400, 404, 404, 403, 403, 404, 404],
    # The chair records consensus only in the consensus stage.
    "record consensus": [403, 400, 403, 403, 403, 404, 404, 403, 403, 404, 404],
    "accept hank's place": [403, 404, 404, 409, 404, 404, 404, 404, 404, 404, 404],
    "recuse hank": [403, 404, 404, 200, 404, 404, 404, 404, 404, 404, 404],
    "submit hank's scores": [403, 404, 404, 409, 404, 404, 404, 404, 404, 404, 404],
    "evaluation step start_screening": [*OWNER_ACTS[:7], 409, *OWNER_ACTS[8:]],
    "evaluation step start_scoring": [*OWNER_ACTS[:7], 409, *OWNER_ACTS[8:]],
    # hank and frank are still scoring: the chair and the owner are told so.
    "evaluation step open_consensus": [403, 409, 403, 403, 403, 404, 404, 409, 403, 404, 404],
    "evaluation step lock_consensus": [403, 409, 403, 403, 403, 404, 404, 403, 403, 404, 404],
    "evaluation step open_prices": [*OWNER_ACTS[:7], 409, *OWNER_ACTS[8:]],
    "evaluation step rank": [*OWNER_ACTS[:7], 409, *OWNER_ACTS[8:]],
    "evaluation step decide": [*OWNER_ACTS[:7], 409, *OWNER_ACTS[8:]],
}


@pytest.mark.parametrize("name", PERSONAS)
def test_each_persona_may_write_only_what_its_role_allows(world, people, name):
    client = client_for(people[name])
    column = PERSONAS.index(name)

    answers = {}
    for label, method, url, body in _writes(world, people):
        response, changed = send_and_undo(client, method, url, body)
        answers[label] = response.status_code
        if response.status_code >= 400:
            assert not changed, f"{label} was refused but changed something"
            assert response.json()["detail"], f"{label} answered without a reason"
        if response.status_code == 409:
            assert "allowed_transitions" in response.json(), label

    assert answers == {label: codes[column] for label, codes in WRITES.items()}


def test_every_write_endpoint_is_in_the_matrix(world, people):
    assert [label for label, *_rest in _writes(world, people)] == list(WRITES)


# Prices ----------------------------------------------------------------------------------------

PRICE_READS = [
    "",
    "panel/",
    "proposals/",
    "screening/",
    "scores/",
    "consensus/",
    "prices/",
    "ranking/",
    "ranking.csv",
]


def _price_free(field, client, *, vendor_api=True):
    bodies = [send(client, "get", ev(field, path)) for path in PRICE_READS]
    bodies += [send(client, "get", "/api/assignments/")]
    if vendor_api:
        bodies += [send(client, "get", f"/api/proposals/{field.acme.public_id}/price/")]
    return [
        (response.request["PATH_INFO"], response.status_code)
        for response in bodies
        if any(price in response.content.decode(errors="replace") for price in PRICES)
    ]


@pytest.mark.parametrize("stage", ["world", "consensus", "locked"])
def test_no_endpoint_shows_a_price_to_anyone_before_the_prices_are_opened(stage, request, people):
    field = request.getfixturevalue(stage)

    for name in [*PERSONAS, "iris"]:
        # Acme's own member reads Acme's price from the vendor API, by design.
        found = _price_free(field, client_for(people[name]), vendor_api=name != "dave")
        assert found == [], name


def test_after_the_prices_are_opened_only_the_owner_and_the_chair_read_them(prices_opened, people):
    readers = set()
    for name in PERSONAS:
        response = client_for(people[name]).get(ev(prices_opened, "prices/"))
        if response.status_code == 200 and response.json()["count"]:
            readers.add(name)
            prices = sorted(row["price"] for row in response.json()["results"])
            assert prices == ["100000.00", "80000.00"]

    assert readers == {"alice", "frank"}
