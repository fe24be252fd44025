"""The evaluation plan: defined with the statement, required by publication, frozen by it
(tests/evaluation/test_plan_four_eyes.py: fixed from review on, approved with the challenge)."""

from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from challenges import services as challenge_services
from challenges.models import Challenge
from core.errors import InvalidInput, PermissionDenied, TransitionRefused
from evaluation import selectors, services
from evaluation.models import Criterion, Evaluation, EvaluationPlan
from tests.factories import EngagementActivityFactory, complete_plan, set_status

pytestmark = pytest.mark.django_db

CRITERIA = [
    {"kind": "mandatory", "name": "Data stays in Canada"},
    {"kind": "rated", "name": "Approach", "weight": 50, "max_points": 10},
    {"kind": "rated", "name": "Team", "weight": 20, "max_points": 5},
    {"kind": "price", "name": "Price", "weight": 30},
]


@pytest.fixture
def approved(challenge):
    EngagementActivityFactory(challenge=challenge)
    return set_status(challenge, "approved")


def publish(challenge, actor):
    return challenge_services.challenge_transition(challenge=challenge, actor=actor, name="publish")


def test_the_owner_defines_a_plan_in_one_step(challenge, alice):
    plan = services.plan_define(
        challenge=challenge,
        actor=alice,
        criteria=CRITERIA,
        minimum_technical_score="42.5",
        combination="average",
        tie_break_order=["price", "technical"],
    )

    plan.refresh_from_db()
    assert (plan.combination, str(plan.minimum_technical_score)) == ("average", "42.50")
    assert plan.tie_break_order == ["price", "technical"]
    assert list(plan.criteria.values_list("kind", "name", "weight", "max_points", "order")) == [
        ("mandatory", "Data stays in Canada", 0, None, 1),
        ("rated", "Approach", 50, 10, 2),
        ("rated", "Team", 20, 5, 3),
        ("price", "Price", 30, None, 4),
    ]
    assert services.plan_publication_problems(challenge) == []


def test_a_new_plan_defaults_to_consensus_and_the_usual_tie_breaks(challenge, alice):
    plan = services.plan_save(challenge=challenge, actor=alice)

    plan.refresh_from_db()
    assert plan.combination == "consensus"
    assert plan.tie_break_order == ["technical", "price", "draw"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "rated", "name": "Approach", "weight": 0, "max_points": 10}, "weight"),
        ({"kind": "rated", "name": "Approach", "weight": 40}, "max_points"),
        ({"kind": "rated", "name": "", "weight": 40, "max_points": 10}, "name"),
        ({"kind": "bonus", "name": "Approach"}, "kind"),
        ({"kind": "price", "name": "Price", "weight": 101}, "weight"),
        ({"kind": "rated", "name": "Approach", "weight": "many", "max_points": 10}, "weight"),
        ({"kind": "rated", "name": "A", "weight": 40, "max_points": 10, "order": 40000}, "order"),
        ({"kind": "rated", "name": "A", "weight": 40, "max_points": 10, "order": -1}, "order"),
    ],
)
def test_it_refuses_a_bad_criterion_and_stores_nothing(plan_only, alice, data, field):
    with pytest.raises(InvalidInput) as refused:
        services.criterion_add(plan=plan_only, actor=alice, **data)

    assert field in refused.value.field_errors
    assert not plan_only.criteria.exists()


@pytest.fixture
def plan_only(challenge, alice):
    return services.plan_save(challenge=challenge, actor=alice)


def test_weights_may_not_pass_100(plan_only, alice):
    services.criterion_add(
        plan=plan_only, actor=alice, kind="rated", name="A", weight=80, max_points=5
    )

    with pytest.raises(InvalidInput, match="would add up to 110%"):
        services.criterion_add(plan=plan_only, actor=alice, kind="price", name="Price", weight=30)

    assert list(plan_only.criteria.values_list("name", flat=True)) == ["A"]


def test_a_plan_has_one_price_criterion(plan_only, alice):
    services.criterion_add(plan=plan_only, actor=alice, kind="price", name="Price", weight=10)

    with pytest.raises(InvalidInput, match="one price criterion"):
        services.criterion_add(plan=plan_only, actor=alice, kind="price", name="Cost", weight=10)
    with pytest.raises(IntegrityError), transaction.atomic():
        Criterion.objects.create(plan=plan_only, kind="price", name="Cost", weight=10)

    assert plan_only.criteria.count() == 1


def test_the_database_refuses_a_criterion_whose_weight_does_not_fit_its_kind(plan_only):
    with pytest.raises(IntegrityError), transaction.atomic():
        Criterion.objects.create(plan=plan_only, kind="mandatory", name="X", weight=10)


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"minimum_technical_score": "-1"}, "minimum_technical_score"),
        ({"combination": "median"}, "combination"),
        ({"tie_break_order": ["price", "price"]}, "tie_break_order"),
        ({"tie_break_order": ["coin"]}, "tie_break_order"),
    ],
)
def test_it_refuses_bad_plan_settings(challenge, alice, options, field):
    with pytest.raises(InvalidInput) as refused:
        services.plan_save(challenge=challenge, actor=alice, **options)

    assert field in refused.value.field_errors
    assert not EvaluationPlan.objects.exists()


@pytest.mark.parametrize("persona", ["bob", "carol", "frank", "dave", "root"])
def test_only_the_owner_defines_the_plan(challenge, persona, request):
    with pytest.raises(PermissionDenied):
        services.plan_define(
            challenge=challenge, actor=request.getfixturevalue(persona), criteria=CRITERIA
        )
    assert not EvaluationPlan.objects.exists()


def test_the_owner_changes_and_removes_criteria_before_publication(plan_only, alice):
    criterion = services.criterion_add(
        plan=plan_only, actor=alice, kind="rated", name="Approach", weight=40, max_points=10
    )
    services.criterion_update(criterion=criterion, actor=alice, weight=70, name="Method")
    criterion.refresh_from_db()
    assert (criterion.name, criterion.weight, criterion.max_points) == ("Method", 70, 10)

    services.criterion_remove(criterion=criterion, actor=alice)
    assert not plan_only.criteria.exists()


# Publication check ------------------------------------------------------------------------------


def test_publication_is_refused_without_a_plan(approved, alice):
    with pytest.raises(TransitionRefused) as refused:
        publish(approved, alice)

    assert refused.value.messages == [
        "Define the evaluation plan (criteria, weights, minimum technical score, tie-breaks) "
        "before publishing."
    ]
    approved.refresh_from_db()
    assert approved.status == Challenge.Status.APPROVED


def test_publication_is_refused_when_weights_do_not_add_up_to_100(approved, alice):
    complete_plan(approved, rated=(("Approach", 40, 10),), price_weight=30)

    with pytest.raises(TransitionRefused) as refused:
        publish(approved, alice)

    assert refused.value.messages == [
        "The evaluation plan's weights add up to 70%; they must add up to 100%."
    ]
    approved.refresh_from_db()
    assert approved.status == Challenge.Status.APPROVED


def test_publication_is_refused_without_a_rated_criterion(approved, alice):
    complete_plan(approved, rated=(), price_weight=100)

    with pytest.raises(TransitionRefused) as refused:
        publish(approved, alice)

    assert refused.value.messages == ["Add at least one rated criterion to the evaluation plan."]


def test_publication_is_refused_when_the_minimum_is_out_of_reach(approved, alice):
    complete_plan(approved, minimum_technical_score=71)

    with pytest.raises(TransitionRefused, match="above what the rated criteria can give"):
        publish(approved, alice)


def test_publication_freezes_the_plan_with_its_digest_and_opens_the_evaluation(approved, alice):
    plan = complete_plan(approved)
    moment = timezone.now().replace(microsecond=0) + timedelta(minutes=5)

    with time_machine.travel(moment, tick=False):
        publish(approved, alice)

    plan.refresh_from_db()
    assert plan.frozen_at == moment
    assert plan.digest == plan.compute_digest()
    assert len(plan.digest) == 64
    evaluation = Evaluation.objects.get(challenge=approved)
    assert (evaluation.status, evaluation.plan) == ("setup", plan)


def test_the_digest_changes_with_any_rule_of_the_plan(challenge):
    plan = complete_plan(challenge)
    before = plan.compute_digest()

    Criterion.objects.filter(plan=plan, kind="rated").update(max_points=11)

    assert plan.compute_digest() != before


# Frozen -----------------------------------------------------------------------------------------


@pytest.fixture
def frozen(approved, alice):
    plan = complete_plan(approved)
    publish(approved, alice)
    plan.refresh_from_db()
    return plan


def frozen_sentence(plan):
    from core.timefmt import format_local

    return (
        f"The evaluation plan was frozen at publication on {format_local(plan.frozen_at)}; "
        "it can no longer change."
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda plan, actor: services.plan_save(
            challenge=plan.challenge, actor=actor, minimum_technical_score=10
        ),
        lambda plan, actor: services.plan_define(
            challenge=plan.challenge, actor=actor, criteria=CRITERIA
        ),
        lambda plan, actor: services.criterion_add(
            plan=plan, actor=actor, kind="mandatory", name="Insurance"
        ),
        lambda plan, actor: services.criterion_update(
            criterion=plan.criteria.get(kind="price"), actor=actor, weight=20
        ),
        lambda plan, actor: services.criterion_remove(
            criterion=plan.criteria.get(kind="mandatory"), actor=actor
        ),
    ],
    ids=["settings", "define", "add", "update", "remove"],
)
def test_a_frozen_plan_cannot_change(frozen, alice, change):
    before = (frozen.compute_digest(), list(frozen.criteria.values_list("pk", "weight")))

    with pytest.raises(TransitionRefused) as refused:
        change(frozen, alice)

    assert refused.value.messages == [frozen_sentence(frozen)]
    frozen.refresh_from_db()
    assert frozen.digest == before[0] == frozen.compute_digest()
    assert list(frozen.criteria.values_list("pk", "weight")) == before[1]


def test_a_plan_cannot_be_created_for_a_challenge_already_published(published_challenge, alice):
    with pytest.raises(
        TransitionRefused, match="only while the challenge is a draft or in co-design"
    ):
        services.plan_define(challenge=published_challenge, actor=alice, criteria=CRITERIA)
    assert not EvaluationPlan.objects.exists()


# Public summary -------------------------------------------------------------------------------


def test_the_public_summary_shows_criteria_weights_and_digest_once_published(frozen):
    summary = selectors.plan_public_summary(frozen.challenge)

    assert summary["digest"] == frozen.digest
    assert summary["total_weight"] == 100
    assert [(c["kind"], c["name"], c["weight"]) for c in summary["criteria"]] == [
        ("mandatory", "Data stays in Canada", 0),
        ("rated", "Approach", 40),
        ("rated", "Team and experience", 30),
        ("price", "Price", 30),
    ]
    assert summary["tie_break_order"] == ["technical score", "price", "recorded draw"]
    assert summary["frozen_at"] == frozen.frozen_at


def test_there_is_no_public_summary_before_publication(challenge, rita, alice):
    complete_plan(challenge)

    assert selectors.plan_public_summary(challenge) is None
    assert selectors.plan_for_challenge(challenge=challenge, user=rita) is None
    assert selectors.plan_for_challenge(challenge=challenge, user=alice) is not None
