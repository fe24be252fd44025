"""Every evaluation page and form endpoint × every persona, at the stages that change the answer.

Personas: alice owns the challenge (staff), bob is other staff, frank chairs the panel, grace
evaluates (before and after her own submission), henry recused, ivan is an evaluator not on this
panel, dave a vendor who bid, rita a resident, root the admin, and anonymous.

"ok" is 200 for a page, a redirect (not to sign-in) after a POST that changed something; "login"
a redirect to sign-in; 403 and 404 are refusals, and a refused POST changes nothing. Whatever a
persona may not see answers 404, as if it did not exist.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from evaluation.models import (
    ConsensusScore,
    EvaluationPlan,
    PanelAssignment,
    Score,
    ScreeningResult,
)
from tests.evaluation.conftest import score_everything
from tests.factories import ChallengeFactory, UserFactory

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "rita", "dave", "root", "alice", "bob", "frank", "grace", "henry", "ivan")
# As a page could write them; "80000" alone could turn up inside a hex digest by chance.
# French money groups digits with a no-break or narrow no-break space.
PRICES = tuple(
    amount.replace(" ", space)
    for amount in ("100000.00", "80000.00", "100,000", "80,000", "100 000", "80 000")
    for space in (" ", "\u00a0", "\u202f")
)


def expect(ok=(), forbidden=(), anonymous="login"):
    """Expected outcome per persona: `ok` succeed, `forbidden` get 403, other signed-in 404."""
    outcome = {"anonymous": anonymous}
    for persona in PERSONAS[1:]:
        outcome[persona] = "ok" if persona in ok else 403 if persona in forbidden else 404
    return outcome


@pytest.fixture
def henry(db):
    return UserFactory(username="henry", roles=["evaluator"])


@pytest.fixture
def ivan(db):
    return UserFactory(username="ivan", roles=["evaluator"])


@pytest.fixture
def recused(panel, screening, alice, henry, ivan):
    """henry was invited and recused (before any later stage is built on the panel)."""
    assignment = services.panel_assign(
        evaluation=screening.evaluation,
        actor=alice,
        evaluator=henry,
        due_at=timezone.now() + timedelta(days=14),
    )
    services.assignment_recuse(assignment=assignment, actor=henry, reason="I advised Acme.")
    return screening


@pytest.fixture
def grace_submitted(scoring, grace):
    score_everything(scoring, grace, {scoring.acme: "7", scoring.globex: "6"})
    return scoring


def at(request, stage):
    request.getfixturevalue("recused")
    return request.getfixturevalue(stage).refresh()


def sign_in(client, request, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


def assert_outcome(response, outcome, *, method):
    if outcome == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif outcome == "ok":
        assert response.status_code == (200 if method == "get" else 302)
        if method == "post":
            assert not response.url.startswith(reverse("login"))
    else:
        assert response.status_code == outcome


def page(view, field=None, **kwargs):
    if field is None:
        return reverse(f"evaluation:{view}")
    return reverse(f"evaluation:{view}", kwargs={"reference": field.challenge.reference, **kwargs})


def score_url(field):
    return page("score", field, public_id=field.acme.public_id)


def csv_url(field):
    return page("results_csv", field)


PANEL = ("frank", "grace")
STAFF_AND_CHAIR = ("alice", "bob", "frank")
ON_PANELS = ("frank", "grace", "henry", "ivan")
NOT_EVALUATORS = ("rita", "dave", "root", "alice", "bob")

# (stage, url builder, expected outcome per persona)
GET_CASES = {
    "plan": ("scoring", lambda f: page("plan", f), expect(ok=PERSONAS, anonymous="ok")),
    "overview at scoring": ("scoring", lambda f: page("overview", f), expect(ok=STAFF_AND_CHAIR)),
    "my evaluations": (
        "scoring",
        lambda f: page("mine"),
        expect(ok=ON_PANELS, forbidden=NOT_EVALUATORS),
    ),
    "workspace": ("scoring", lambda f: page("workspace", f), expect(ok=PANEL)),
    "declaration": ("scoring", lambda f: page("declare", f), expect(ok=PANEL)),
    "scoring page before submission": ("scoring", score_url, expect(ok=PANEL)),
    "scoring page after grace submitted": ("grace_submitted", score_url, expect(ok=PANEL)),
    "consensus at scoring": ("grace_submitted", lambda f: page("consensus", f), expect()),
    "prices at scoring": ("scoring", lambda f: page("prices", f), expect()),
    "results at scoring": ("scoring", lambda f: page("results", f), expect()),
    "csv at scoring": ("scoring", csv_url, expect()),
    "consensus when open": (
        "consensus",
        lambda f: page("consensus", f),
        expect(ok=("alice", "bob", "frank", "grace")),
    ),
    "prices when locked": ("locked", lambda f: page("prices", f), expect()),
    "prices when opened": (
        "prices_opened",
        lambda f: page("prices", f),
        expect(ok=("alice", "frank")),
    ),
    "results when prices opened": ("prices_opened", lambda f: page("results", f), expect()),
    "overview when ranked": ("ranked", lambda f: page("overview", f), expect(ok=STAFF_AND_CHAIR)),
    "scoring page when ranked": ("ranked", score_url, expect(ok=PANEL)),
    "results when ranked": ("ranked", lambda f: page("results", f), expect(ok=STAFF_AND_CHAIR)),
    "csv when ranked": ("ranked", csv_url, expect(ok=STAFF_AND_CHAIR)),
}


@pytest.mark.parametrize("case", GET_CASES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_page_answers_each_persona_as_the_rules_say(client, request, case, persona):
    stage, build, outcomes = GET_CASES[case]
    field = at(request, stage)
    response = sign_in(client, request, persona).get(build(field))
    assert_outcome(response, outcomes[persona], method="get")


def test_the_plan_before_publication_is_for_staff_and_editable_by_its_owner(
    client, request, challenge, plan
):
    url = reverse("evaluation:plan", kwargs={"reference": challenge.reference})
    outcomes = {"alice": 200, "bob": 200, "anonymous": 404}
    for persona in ("rita", "dave", "root", "frank"):
        outcomes[persona] = 404
    for persona, status in outcomes.items():
        client.logout()
        response = sign_in(client, request, persona).get(url)
        assert response.status_code == status, persona
        if persona in ("alice", "bob"):
            assert ("Add a criterion" in response.content.decode()) == (persona == "alice")


def test_a_plan_not_started_is_explained_to_staff_and_hidden_from_others(client, request, alice):
    # The challenge page links staff to the plan; before its owner starts it, they are told so.
    challenge = ChallengeFactory(owner=alice)
    url = reverse("evaluation:plan", kwargs={"reference": challenge.reference})
    outcomes = {"alice": 200, "bob": 200, "carol": 200, "anonymous": 404}
    for persona in ("rita", "dave", "frank"):
        outcomes[persona] = 404
    for persona, status in outcomes.items():
        client.logout()
        response = sign_in(client, request, persona).get(url)
        assert response.status_code == status, persona
        if persona in ("bob", "carol"):
            assert "still being written by the challenge" in response.content.decode()


# --- POSTs: the refused change nothing ---------------------------------------------------------


def _assign(field, request):
    return {
        "evaluator": UserFactory(roles=["evaluator"]).pk,
        "due_at": timezone.localtime(timezone.now() + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M"),
    }


def _screening(field, request):
    data = {}
    for criterion in field.criteria("mandatory"):
        data[f"criterion_{criterion.pk}"] = "pass"
        data[f"note_{criterion.pk}"] = "Meets it."
    return data


def _scores(field, request):
    data = {}
    for criterion in field.criteria():
        data[f"points_{criterion.pk}"] = "6"
        data[f"rationale_{criterion.pk}"] = "Fair."
    return data


def _declaration(field, request):
    return {"no_conflict": "on", "signature": "A Person"}


def _consensus_cell(field):
    return page("consensus_record", field, proposal_id=field.acme.pk)


def _snapshot_panel(field):
    return PanelAssignment.objects.filter(evaluation=field.evaluation).count()


def _snapshot_screening(field):
    field.acme.refresh_from_db()
    return field.acme.status, ScreeningResult.objects.count()


def _snapshot_scores(field):
    return sorted(Score.objects.values_list("assignment_id", "points", "rationale"))


def _snapshot_declarations(field):
    return sorted(
        PanelAssignment.objects.filter(evaluation=field.evaluation).values_list("pk", "status")
    )


def _snapshot_consensus(field):
    return sorted(ConsensusScore.objects.values_list("proposal_id", "criterion_id", "points"))


def _snapshot_stage(field):
    field.evaluation.refresh_from_db()
    return field.evaluation.status, field.evaluation.consensus_locked_at


def _snapshot_plan(field):
    plan = EvaluationPlan.objects.get(challenge=field.challenge)
    return plan.minimum_technical_score, plan.combination, plan.criteria.count()


POST_CASES = {
    "invite an evaluator": (
        "scoring",
        lambda f: page("panel_assign", f),
        _assign,
        _snapshot_panel,
        expect(ok=("alice",), forbidden=("bob", "frank")),
    ),
    "record screening": (
        "screening",
        lambda f: page("screening_record", f, public_id=f.acme.public_id),
        _screening,
        _snapshot_screening,
        expect(ok=("alice",), forbidden=("bob",)),
    ),
    "declare no conflict": (
        "screening",
        lambda f: page("declare", f),
        _declaration,
        _snapshot_declarations,
        expect(ok=PANEL),
    ),
    "save scores": ("scoring", score_url, _scores, _snapshot_scores, expect(ok=PANEL)),
    "record consensus": (
        "consensus",
        _consensus_cell,
        lambda f, r: {
            key: value
            for criterion in f.criteria()
            for key, value in (
                (f"points_{criterion.pk}", "7"),
                (f"rationale_{criterion.pk}", "Agreed."),
            )
        },
        _snapshot_consensus,
        expect(ok=("frank",), forbidden=("alice", "bob", "grace")),
    ),
    "lock consensus": (
        "consensus",
        lambda f: page("consensus_lock", f),
        # Confirmed, as the confirmation page posts it (test_one_way_steps.py asks first).
        lambda f, r: {"confirmed": "yes"},
        _snapshot_stage,
        # The chair is told what is missing first (a redirect with a message).
        {**expect(forbidden=("alice", "bob", "grace")), "frank": 302},
    ),
    "open prices": (
        "locked",
        lambda f: page("transition", f, name="open_prices"),
        lambda f, r: {"confirmed": "yes"},
        _snapshot_stage,
        expect(ok=("alice",), forbidden=("bob", "frank")),
    ),
    "rank": (
        "prices_opened",
        lambda f: page("transition", f, name="rank"),
        lambda f, r: {},
        _snapshot_stage,
        expect(ok=("alice",), forbidden=("bob", "frank")),
    ),
    "change the frozen plan's rules": (
        "scoring",
        lambda f: page("plan_settings", f),
        lambda f, r: {"minimum_technical_score": "50", "combination": "average"},
        _snapshot_plan,
        # The owner is told the plan is frozen (200, form error); nobody changes it.
        {
            **expect(forbidden=("rita", "dave", "root", "bob", "frank", "grace", "henry", "ivan")),
            "alice": 200,
        },
    ),
}


@pytest.mark.parametrize("case", POST_CASES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_form_answers_each_persona_and_a_refusal_changes_nothing(
    client, request, case, persona
):
    stage, build, data, snapshot, outcomes = POST_CASES[case]
    field = at(request, stage)
    url, payload = build(field), data(field, request)
    before = snapshot(field)
    response = sign_in(client, request, persona).post(url, payload)
    outcome = outcomes[persona]
    if outcome in (200, 302):
        assert response.status_code == outcome
        assert outcome == 200 or not response.url.startswith(reverse("login"))
    else:
        assert_outcome(response, outcome, method="post")
    if outcome == "ok":
        assert snapshot(field) != before
    else:
        assert snapshot(field) == before


# --- sealed prices ----------------------------------------------------------------------------


def _every_page(field):
    return [
        page("plan", field),
        page("overview", field),
        page("workspace", field),
        page("declare", field),
        score_url(field),
        page("score", field, public_id=field.globex.public_id),
        page("consensus", field),
        page("prices", field),
        page("results", field),
        csv_url(field),
        page("mine"),
        field.challenge.get_absolute_url(),
    ]


@pytest.mark.parametrize("stage", ["scoring", "consensus", "locked"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_page_shows_a_price_before_the_envelopes_are_opened(client, request, stage, persona):
    field = at(request, stage)
    sign_in(client, request, persona)
    for url in _every_page(field):
        response = client.get(url)
        content = response.content.decode()
        for amount in PRICES:
            assert amount not in content, (url, amount)


@pytest.mark.parametrize("persona", ["root", "bob", "grace", "henry", "ivan", "dave", "rita"])
def test_opened_prices_stay_with_the_owner_and_the_chair(client, request, persona):
    field = at(request, "ranked")
    sign_in(client, request, persona)
    for url in _every_page(field):
        content = client.get(url).content.decode()
        for amount in PRICES:
            assert amount not in content, (url, amount)


@pytest.mark.parametrize("persona", ["alice", "frank"])
def test_the_owner_and_the_chair_read_opened_prices(client, request, persona):
    field = at(request, "ranked")
    sign_in(client, request, persona)
    assert "$100,000" in client.get(page("prices", field)).content.decode()
    assert "$80,000" in client.get(page("results", field)).content.decode()
