"""The evaluation through its API, step by step: every transition allowed and refused, every
write stored as the services store it (the domain suite tests the rules themselves)."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from core.models import AuditEntry
from evaluation.models import (
    ConsensusScore,
    Evaluation,
    EvaluationPlan,
    PanelAssignment,
    RankingEntry,
    Score,
    ScoreRevision,
    ScreeningResult,
)
from tests.evaluation.api_helpers import client_for, ev, plan_url, snapshot
from tests.evaluation.conftest import assignment_of, passes, record_consensus, score_everything
from tests.factories import UserFactory, set_status
from vendors.models import Proposal

pytestmark = pytest.mark.django_db


def audited(evaluation, transition):
    return AuditEntry.objects.filter(
        content_type__model="evaluation", object_id=str(evaluation.pk), transition=transition
    )


def step(field, user, name, body=None):
    return client_for(user).post(ev(field, f"{name}/"), body or {}, format="json")


def scores_body(field, proposal, points, reason=""):
    return {
        "proposal": str(proposal.public_id),
        "scores": {
            str(c.pk): {"points": str(points), "rationale": f"{points} for {c.name}."}
            for c in field.criteria()
        },
        "reason": reason,
    }


# The plan --------------------------------------------------------------------------------------

PLAN = {
    "minimum_technical_score": "20.00",
    "combination": "average",
    "tie_break_order": ["price", "technical", "draw"],
    "criteria": [
        {"kind": "mandatory", "name": "Data stays in Canada"},
        {"kind": "rated", "name": "Approach", "weight": 50, "max_points": 10},
        {"kind": "rated", "name": "Team", "weight": 20, "max_points": 5},
        {"kind": "price", "name": "Price", "weight": 30},
    ],
}


def test_the_owner_defines_the_whole_plan_before_publication(challenge, alice):
    response = client_for(alice).put(plan_url(challenge), PLAN, format="json")

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["total_weight"] == 100
    assert body["publication_problems"] == []
    assert body["is_frozen"] is False
    plan = EvaluationPlan.objects.get(challenge=challenge)
    assert plan.combination == "average"
    assert plan.minimum_technical_score == Decimal("20.00")
    assert plan.tie_break_order == ["price", "technical", "draw"]
    assert [(c.kind, c.name, c.weight, c.max_points) for c in plan.criteria.all()] == [
        ("mandatory", "Data stays in Canada", 0, None),
        ("rated", "Approach", 50, 10),
        ("rated", "Team", 20, 5),
        ("price", "Price", 30, None),
    ]


def test_the_owner_changes_the_plans_settings_and_the_criteria_stay(plan, alice, challenge):
    criteria = list(plan.criteria.values_list("pk", flat=True))

    response = client_for(alice).patch(
        plan_url(challenge), {"minimum_technical_score": "35"}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["minimum_technical_score"] == "35.00"
    plan.refresh_from_db()
    assert plan.minimum_technical_score == Decimal("35")
    assert list(plan.criteria.values_list("pk", flat=True)) == criteria


def test_a_plan_whose_weights_do_not_add_up_says_what_publication_lacks(challenge, alice):
    short = {**PLAN, "criteria": PLAN["criteria"][:2]}

    response = client_for(alice).put(plan_url(challenge), short, format="json")

    assert response.status_code == 200
    assert any("add up to 50%" in p for p in response.json()["publication_problems"])


def test_a_draft_plan_is_not_shown_to_the_public_nor_to_vendors(plan, challenge, dave, rita):
    for user in (None, dave, rita):
        assert client_for(user).get(plan_url(challenge)).status_code == 404


def test_the_frozen_plan_is_refused_with_the_services_sentence(published, alice):
    before = snapshot()

    response = client_for(alice).put(plan_url(published), PLAN, format="json")

    assert response.status_code == 409
    assert "was frozen at publication" in response.json()["detail"]
    assert snapshot() == before


# Stage steps -----------------------------------------------------------------------------------


def test_start_screening_is_refused_while_the_challenge_has_not_closed(closed, alice):
    evaluation = Evaluation.objects.get(challenge=closed[0])

    response = client_for(alice).post(
        f"/api/evaluations/{closed[0].reference}/start_screening/", {}, format="json"
    )

    assert response.status_code == 409
    assert "Start the evaluation from the challenge" in response.json()["detail"]
    assert response.json()["allowed_transitions"] == []
    evaluation.refresh_from_db()
    assert evaluation.status == "setup"


def test_start_screening_runs_once_the_challenge_is_evaluating(closed, alice):
    challenge = set_status(closed[0], "evaluating")

    response = client_for(alice).post(
        f"/api/evaluations/{challenge.reference}/start_screening/", {}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["stage"] == "screening"
    assert Evaluation.objects.get(challenge=challenge).status == "screening"


def test_start_scoring_is_refused_until_screening_is_recorded(screening, panel, alice):
    response = step(screening, alice, "start_scoring")

    assert response.status_code == 409
    assert "not yet screened" in response.json()["detail"]
    screening.refresh()
    assert screening.evaluation.status == "screening"


def test_the_owner_records_screening_and_starts_scoring(screening, panel, alice, frank, grace):
    client = client_for(alice)
    mandatory = screening.criteria("mandatory")[0]
    for proposal in (screening.acme, screening.globex):
        response = client.post(
            ev(screening, "screening/"),
            {"proposal": str(proposal.public_id), "results": passes(screening)},
            format="json",
        )
        assert response.status_code == 201, response.content
        assert response.json() == [
            {
                "proposal": str(proposal.public_id),
                "vendor_name": proposal.vendor.legal_name,
                "proposal_status": "qualified",
                "criterion": mandatory.pk,
                "criterion_name": mandatory.name,
                "passed": True,
                "note": "Meets it.",
                "recorded_at": response.json()[0]["recorded_at"],
            }
        ]
    for user in (frank, grace):
        assignment = assignment_of(screening, user)
        response = client_for(user).post(
            f"/api/assignments/{assignment.pk}/accept/",
            {"signature": user.get_username(), "no_conflict": True},
            format="json",
        )
        assert response.status_code == 200, response.content

    response = step(screening, alice, "start_scoring", {"reason": "Panel ready."})

    assert response.status_code == 200, response.content
    assert response.json()["stage"] == "scoring"
    screening.refresh()
    assert screening.evaluation.status == "scoring"
    assert screening.acme.status == "qualified"
    assert audited(screening.evaluation, "start_scoring").get().reason == "Panel ready."


def test_failing_a_mandatory_criterion_disqualifies_through_the_api(screening, alice):
    mandatory = screening.criteria("mandatory")[0]

    response = client_for(alice).post(
        ev(screening, "screening/"),
        {
            "proposal": str(screening.globex.public_id),
            "results": {str(mandatory.pk): {"passed": False, "note": "Hosted abroad."}},
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()[0]["proposal_status"] == "disqualified"
    screening.refresh()
    assert screening.globex.status == Proposal.Status.DISQUALIFIED
    assert ScreeningResult.objects.get(proposal=screening.globex).passed is False


def test_open_consensus_is_refused_while_an_evaluator_is_still_scoring(scoring, frank, grace):
    score_everything(scoring, grace, {scoring.acme: 7, scoring.globex: 6})

    response = step(scoring, frank, "open_consensus")

    assert response.status_code == 409
    assert "still scoring: frank" in response.json()["detail"]
    scoring.refresh()
    assert scoring.evaluation.status == "scoring"


def test_the_chair_opens_consensus_records_it_and_locks(submitted, frank):
    client = client_for(frank)
    assert step(submitted, frank, "open_consensus").status_code == 200
    criterion = submitted.criteria()[0]

    sheet = client.get(ev(submitted, "consensus/")).json()
    cell = next(
        c
        for c in sheet["results"]
        if c["proposal"] == str(submitted.acme.public_id) and c["criterion"] == criterion.pk
    )
    assert (cell["minimum"], cell["maximum"], cell["count"]) == ("7.00", "8.00", 2)
    assert sorted(s["points"] for s in cell["scores"]) == ["7.00", "8.00"]

    refused = step(submitted, frank, "lock_consensus")
    assert refused.status_code == 409
    assert "lock_consensus" not in refused.json()["allowed_transitions"]

    for proposal in (submitted.acme, submitted.globex):
        for c in submitted.criteria():
            response = client.post(
                ev(submitted, "consensus/"),
                {
                    "proposal": str(proposal.public_id),
                    "criterion": c.pk,
                    "points": "7.5",
                    "rationale": "Agreed.",
                },
                format="json",
            )
            assert response.status_code == 200, response.content
            assert response.json()["points"] == "7.50"

    response = step(submitted, frank, "lock_consensus")

    assert response.status_code == 200, response.content
    submitted.refresh()
    assert submitted.evaluation.consensus_locked_at is not None
    assert submitted.evaluation.consensus_locked_by == frank
    assert ConsensusScore.objects.filter(evaluation=submitted.evaluation).count() == 4
    assert audited(submitted.evaluation, "lock_consensus").get().actor == frank


def test_the_owner_may_open_consensus_too(submitted, alice):
    response = step(submitted, alice, "open_consensus")

    assert response.status_code == 200
    assert Evaluation.objects.get(pk=submitted.evaluation.pk).status == "consensus"


def test_prices_open_only_after_the_lock(consensus, alice, frank):
    refused = step(consensus, alice, "open_prices")
    assert refused.status_code == 409
    assert "locked the consensus" in refused.json()["detail"]
    assert client_for(alice).get(ev(consensus, "prices/")).json()["count"] == 0

    record_consensus(consensus, frank, {consensus.acme: "8", consensus.globex: "6"})
    assert step(consensus, frank, "lock_consensus").status_code == 200
    response = step(consensus, alice, "open_prices", {"reason": "Consensus locked."})

    assert response.status_code == 200, response.content
    consensus.refresh()
    assert consensus.evaluation.status == "prices_opened"
    assert consensus.evaluation.prices_opened_by == alice
    prices = client_for(alice).get(ev(consensus, "prices/")).json()["results"]
    assert sorted((p["proposal"], p["price"]) for p in prices) == sorted(
        [
            (str(consensus.acme.public_id), "100000.00"),
            (str(consensus.globex.public_id), "80000.00"),
        ]
    )


def test_the_owner_ranks_reads_the_ranking_and_its_csv_then_decides(prices_opened, alice, frank):
    refused = step(prices_opened, alice, "decide")
    assert refused.status_code == 409
    assert refused.json()["allowed_transitions"] == ["rank"]

    response = step(prices_opened, alice, "rank")

    assert response.status_code == 200, response.content
    assert response.json()["stage"] == "ranked"
    ranking = client_for(frank).get(ev(prices_opened, "ranking/")).json()["results"]
    assert [r["rank"] for r in ranking] == [1, 2]
    stored = RankingEntry.objects.filter(evaluation=prices_opened.evaluation).order_by("rank")
    assert [r["proposal"] for r in ranking] == [str(e.proposal.public_id) for e in stored]
    assert [r["total"] for r in ranking] == [f"{e.total:.4f}" for e in stored]

    export = client_for(alice).get(ev(prices_opened, "ranking.csv"))
    assert export.status_code == 200
    assert export["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["rank", "label", "vendor"]
    assert {row[2] for row in rows[1:]} == {
        "Acme Heat Solutions Ltd.",
        "Globex Retrofit Co-operative",
    }

    response = step(prices_opened, alice, "decide", {"reason": "Best value.", "shortlist_size": 1})

    assert response.status_code == 200, response.content
    prices_opened.refresh()
    assert prices_opened.evaluation.status == "decided"
    assert prices_opened.evaluation.decision_note == "Best value."
    winner = stored[0].proposal
    winner.refresh_from_db()
    assert winner.status == Proposal.Status.SHORTLISTED


def test_the_evaluation_lists_the_steps_the_reader_may_take(submitted, alice, frank, bob):
    for user, allowed in ((alice, ["open_consensus"]), (frank, ["open_consensus"]), (bob, [])):
        body = client_for(user).get(ev(submitted)).json()
        assert body["allowed_transitions"] == allowed
        assert body["stage"] == "scoring"


# The panel and its members ---------------------------------------------------------------------


def test_the_owner_invites_names_the_chair_and_takes_back_an_invitation(
    scoring, alice, frank, grace
):
    ursula = UserFactory(username="ursula", roles=["evaluator"])
    client = client_for(alice)
    due = (timezone.now() + timedelta(days=5)).isoformat()

    response = client.post(ev(scoring, "panel/"), {"evaluator": "ursula", "due_at": due})

    assert response.status_code == 201, response.content
    invited = PanelAssignment.objects.get(evaluation=scoring.evaluation, evaluator=ursula)
    assert (response.json()["id"], response.json()["status"]) == (invited.pk, "invited")

    response = client.post(ev(scoring, f"panel/{assignment_of(scoring, grace).pk}/chair/"))
    assert response.status_code == 200
    assert response.json()["is_chair"] is True
    assert assignment_of(scoring, grace).is_chair
    assert not assignment_of(scoring, frank).is_chair

    response = client.delete(ev(scoring, f"panel/{invited.pk}/"))
    assert response.status_code == 204
    assert not PanelAssignment.objects.filter(pk=invited.pk).exists()


def test_an_answered_invitation_cannot_be_taken_back(scoring, alice, grace):
    grace_place = assignment_of(scoring, grace)

    response = client_for(alice).delete(ev(scoring, f"panel/{grace_place.pk}/"))

    assert response.status_code == 400
    assert "was answered" in response.json()["detail"]
    grace_place.refresh_from_db()
    assert grace_place.status == "accepted"


def test_an_invited_evaluator_reads_the_vendors_then_declares(screening, panel, frank):
    chair = panel[0]
    client = client_for(frank)

    before = client.get(f"/api/assignments/{chair.pk}/").json()
    assert before["declaration_vendors"] == [
        "Acme Heat Solutions Ltd.",
        "Globex Retrofit Co-operative",
    ]
    assert before["allowed_transitions"] == ["accept", "recuse"]
    anonymised = client.get(ev(screening, "proposals/")).json()["results"]
    assert {p["vendor_name"] for p in anonymised} == {None}

    response = client.post(
        f"/api/assignments/{chair.pk}/accept/",
        {"signature": "Frank Evaluator", "no_conflict": True},
        format="json",
    )

    assert response.status_code == 200, response.content
    chair.refresh_from_db()
    assert chair.status == "accepted"
    assert chair.declaration_signature == "Frank Evaluator"
    assert "Frank Evaluator" in chair.declaration_statement
    declared = client.get(ev(screening, "proposals/")).json()["results"]
    assert {p["vendor_name"] for p in declared} == {
        "Acme Heat Solutions Ltd.",
        "Globex Retrofit Co-operative",
    }
    document = declared[0]["documents"][0]
    download = client.get(document["download_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")


def test_a_recused_evaluator_loses_sight_of_the_evaluation(scoring, grace):
    place = assignment_of(scoring, grace)
    client = client_for(grace)
    document_url = None
    proposals = client.get(ev(scoring, "proposals/")).json()["results"]
    document_url = proposals[0]["documents"][0]["download_url"]

    response = client.post(
        f"/api/assignments/{place.pk}/recuse/", {"reason": "I advised Acme last year."}
    )

    assert response.status_code == 200, response.content
    place.refresh_from_db()
    assert (place.status, place.recusal_reason) == ("recused", "I advised Acme last year.")
    for url in (ev(scoring), ev(scoring, "proposals/"), ev(scoring, "scores/"), document_url):
        assert client.get(url).status_code == 404, url


def test_recusing_needs_a_reason(scoring, grace):
    place = assignment_of(scoring, grace)

    response = client_for(grace).post(f"/api/assignments/{place.pk}/recuse/", {"reason": ""})

    assert response.status_code == 400
    assert response.json()["reason"]
    place.refresh_from_db()
    assert place.status == "accepted"


# Scores ----------------------------------------------------------------------------------------


def test_an_evaluator_saves_drafts_submits_then_changes_a_score_with_a_reason(scoring, grace):
    client = client_for(grace)
    place = assignment_of(scoring, grace)
    for proposal, points in ((scoring.acme, 7), (scoring.globex, 6)):
        response = client.post(
            ev(scoring, "scores/"), scores_body(scoring, proposal, points), format="json"
        )
        assert response.status_code == 200, response.content
        assert {s["points"] for s in response.json()} == {f"{points}.00"}
    assert Score.objects.filter(assignment=place).count() == 4

    response = client.post(f"/api/assignments/{place.pk}/submit/")

    assert response.status_code == 200, response.content
    place.refresh_from_db()
    assert place.status == "submitted"
    assert ScoreRevision.objects.filter(score__assignment=place).count() == 4

    response = client.post(
        ev(scoring, "scores/"),
        scores_body(scoring, scoring.acme, 8, reason="Missed the maintenance plan."),
        format="json",
    )

    assert response.status_code == 200, response.content
    assert {s["version"] for s in response.json()} == {2}
    criterion = scoring.criteria()[0]
    score = Score.objects.get(assignment=place, proposal=scoring.acme, criterion=criterion)
    assert score.points == Decimal("8")
    assert list(score.revisions.values_list("version", "points", "reason")) == [
        (1, Decimal("7.00"), ""),
        (2, Decimal("8.00"), "Missed the maintenance plan."),
    ]


def test_a_second_submission_is_refused_with_the_date_of_the_first(submitted, grace):
    place = assignment_of(submitted, grace)
    submitted_at = place.submitted_at

    response = client_for(grace).post(f"/api/assignments/{place.pk}/submit/")

    assert response.status_code == 409
    assert "You already submitted your scores" in response.json()["detail"]
    place.refresh_from_db()
    assert place.submitted_at == submitted_at
    assert ScoreRevision.objects.filter(score__assignment=place).count() == 4
