"""Who sees what of an evaluation: the visibility matrix over the selectors.

Personas: frank chairs, grace evaluates, olga recused, ursula is an evaluator not on this panel,
alice owns the challenge, bob is other staff, dave's vendor (Acme) took part, rita is a
resident, root the admin, and an anonymous visitor.
"""

import statistics
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from evaluation import selectors, services
from tests.evaluation.conftest import accept, assignment_of, score_everything
from tests.factories import UserFactory, panel_member

pytestmark = pytest.mark.django_db

EVERYONE = ["frank", "grace", "olga", "ursula", "alice", "bob", "dave", "rita", "root", "anonymous"]


@pytest.fixture
def people(frank, grace, alice, bob, dave, rita, root):
    return {
        "frank": frank,
        "grace": grace,
        "olga": UserFactory(username="olga", roles=["evaluator", "staff"]),
        "ursula": UserFactory(username="ursula", roles=["evaluator"]),
        "alice": alice,
        "bob": bob,
        "dave": dave,
        "rita": rita,
        "root": root,
        "anonymous": AnonymousUser(),
    }


@pytest.fixture
def with_recused(scoring, people):
    panel_member(scoring.evaluation, people["olga"], status="recused", recusal_reason="Conflict.")
    return scoring


def visible_authors(field, user):
    scores = selectors.scores_visible(evaluation=field.evaluation, user=user)
    return sorted({s.assignment.evaluator.username for s in scores})


def progress(field, user):
    return [
        (a.evaluator.username, a.status)
        for a in selectors.panel_progress(evaluation=field.evaluation, user=user)
    ]


def test_before_anyone_submits_each_evaluator_sees_only_their_own_drafts(with_recused, people):
    score_everything(
        with_recused, people["frank"], {with_recused.acme: 8, with_recused.globex: 6}, submit=False
    )
    score_everything(
        with_recused, people["grace"], {with_recused.acme: 7, with_recused.globex: 6}, submit=False
    )

    seen = {name: visible_authors(with_recused, people[name]) for name in EVERYONE}

    assert seen == {
        "frank": ["frank"],
        "grace": ["grace"],
        "olga": [],
        "ursula": [],
        "alice": [],
        "bob": [],
        "dave": [],
        "rita": [],
        "root": [],
        "anonymous": [],
    }


def test_an_evaluator_sees_others_scores_only_after_submitting_their_own(with_recused, people):
    field = with_recused
    score_everything(field, people["frank"], {field.acme: 8, field.globex: 6}, submit=False)
    score_everything(field, people["grace"], {field.acme: 7, field.globex: 6})

    # grace submitted; frank (chair) is still drafting: he sees progress, not her scores.
    assert visible_authors(field, people["frank"]) == ["frank"]
    assert progress(field, people["frank"]) == [
        ("frank", "accepted"),
        ("grace", "submitted"),
        ("olga", "recused"),
    ]
    assert selectors.consensus_sheet(evaluation=field.evaluation, user=people["frank"]) == []
    assert visible_authors(field, people["grace"]) == ["grace"]

    services.assignment_submit(
        assignment=assignment_of(field, people["frank"]), actor=people["frank"]
    )

    assert visible_authors(field, people["frank"]) == ["frank", "grace"]
    assert visible_authors(field, people["grace"]) == ["frank", "grace"]


def test_progress_is_shown_to_staff_and_the_chair_and_to_evaluators_after_submitting(
    with_recused, people
):
    field = with_recused
    score_everything(field, people["grace"], {field.acme: 7, field.globex: 6}, submit=False)

    shown = {name: bool(progress(field, people[name])) for name in EVERYONE}
    assert shown == {
        "frank": True,
        "grace": False,
        "olga": False,
        "ursula": False,
        "alice": True,
        "bob": True,
        "dave": False,
        "rita": False,
        "root": False,
        "anonymous": False,
    }
    services.assignment_submit(
        assignment=assignment_of(field, people["grace"]), actor=people["grace"]
    )
    assert progress(field, people["grace"])


def test_staff_see_progress_only_until_consensus_then_the_submitted_scores(with_recused, people):
    field = with_recused
    score_everything(field, people["frank"], {field.acme: 8, field.globex: 6})
    score_everything(field, people["grace"], {field.acme: 7, field.globex: 6})
    assert visible_authors(field, people["alice"]) == []
    assert visible_authors(field, people["bob"]) == []

    services.evaluation_transition(
        evaluation=field.evaluation, actor=people["frank"], name="open_consensus"
    )
    field.refresh()

    seen = {name: visible_authors(field, people[name]) for name in EVERYONE}
    assert seen == {
        "frank": ["frank", "grace"],
        "grace": ["frank", "grace"],
        "olga": [],
        "ursula": [],
        "alice": ["frank", "grace"],
        "bob": ["frank", "grace"],
        "dave": [],
        "rita": [],
        "root": [],
        "anonymous": [],
    }


def test_before_declaring_an_evaluator_sees_proposals_without_vendor_identity(
    screening, panel, grace
):
    listed = selectors.proposals_for_panel(evaluation=screening.evaluation, user=grace)

    assert [p.label for p in listed] == ["Proposal A", "Proposal B"]
    assert all(p.vendor_name is None and p.proposal is None for p in listed)
    assert all(p.documents == [] for p in listed)
    assert all(p.answers for p in listed)
    # The declaration names every vendor, without saying which proposal is whose.
    assert selectors.declaration_vendors(assignment=panel[1], user=grace) == [
        "Acme Heat Solutions Ltd.",
        "Globex Retrofit Co-operative",
    ]

    accept(panel[1], grace)

    listed = selectors.proposals_for_panel(evaluation=screening.evaluation, user=grace)
    assert sorted(p.vendor_name for p in listed) == [
        "Acme Heat Solutions Ltd.",
        "Globex Retrofit Co-operative",
    ]
    assert all(len(p.documents) == 1 for p in listed)
    document = listed[0].documents[0]
    assert (
        selectors.document_for_panel(
            evaluation=screening.evaluation, public_id=document.public_id, user=grace
        )
        == document
    )


def test_anyone_off_the_panel_sees_no_proposals_through_it(with_recused, people):
    from django.http import Http404

    field = with_recused
    document = field.acme.documents.get()
    for name in ["olga", "ursula", "alice", "bob", "dave", "rita", "root", "anonymous"]:
        user = people[name]
        assert selectors.proposals_for_panel(evaluation=field.evaluation, user=user) == []
        with pytest.raises(Http404):
            selectors.document_for_panel(
                evaluation=field.evaluation, public_id=document.public_id, user=user
            )


def test_the_evaluation_itself_is_visible_to_staff_and_the_panel_only(with_recused, people):
    field = with_recused
    shown = {
        name: selectors.evaluation_for_challenge(challenge=field.challenge, user=people[name])
        is not None
        for name in EVERYONE
    }
    assert shown == {
        "frank": True,
        "grace": True,
        "olga": False,
        "ursula": False,
        "alice": True,
        "bob": True,
        "dave": False,
        "rita": False,
        "root": False,
        "anonymous": False,
    }


def test_the_consensus_sheet_shows_spread_and_flags_outliers_for_the_chair(
    scoring, frank, grace, alice
):
    olga = UserFactory(username="olga", roles=["evaluator"])
    accept(panel_member(scoring.evaluation, olga), olga)
    score_everything(scoring, frank, {scoring.acme: 8, scoring.globex: 6})
    score_everything(scoring, grace, {scoring.acme: 7, scoring.globex: 6})
    score_everything(scoring, olga, {scoring.acme: 2, scoring.globex: 6})

    cells = selectors.consensus_sheet(evaluation=scoring.evaluation, user=frank)

    acme = [c for c in cells if c.proposal_id == scoring.acme.pk]
    first = acme[0]
    assert [(s["evaluator"], s["points"], s["outlier"]) for s in first.scores] == [
        ("frank", 8, False),
        ("grace", 7, False),
        # |2 − median(8, 7)| = 5.5 > 30% of 10 points.
        ("olga", 2, True),
    ]
    assert (first.count, first.minimum, first.maximum) == (3, 2, 8)
    assert first.stddev.quantize(Decimal("0.0001")) == Decimal(
        str(round(statistics.pstdev([8, 7, 2]), 4))
    )
    globex = [c for c in cells if c.proposal_id == scoring.globex.pk]
    assert not any(c.has_outliers for c in globex)
    assert all(c.stddev == 0 for c in globex)
    # Staff see the sheet only from the consensus stage.
    assert selectors.consensus_sheet(evaluation=scoring.evaluation, user=alice) == []


def test_the_ranking_is_for_staff_and_the_chair(ranked, people):
    panel_member(ranked.evaluation, people["olga"], status="recused", recusal_reason="Conflict.")
    shown = {
        name: selectors.ranking_for(evaluation=ranked.evaluation, user=people[name]).count()
        for name in EVERYONE
    }
    assert shown == {
        "frank": 2,
        "grace": 0,
        "olga": 0,
        "ursula": 0,
        "alice": 2,
        "bob": 2,
        "dave": 0,
        "rita": 0,
        "root": 0,
        "anonymous": 0,
    }
