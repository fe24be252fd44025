"""Plan edits, chair changes and consensus scores are recorded in the audit trail, with each
field before and after; the consensus score's history is the trail, shown on the consensus
sheet. A refused write leaves nothing."""

from decimal import Decimal

import pytest

from core.errors import InvalidInput, PermissionDenied, TransitionRefused
from core.models import AuditEntry
from evaluation import services
from evaluation.models import Criterion
from tests.evaluation.conftest import assignment_of, record_consensus

pytestmark = pytest.mark.django_db


def changes(entry):
    return {name: (c["before"], c["after"]) for name, c in entry.metadata["changes"].items()}


def entries_about(model):
    return list(AuditEntry.objects.filter(content_type__model=model).order_by("sequence"))


def test_plan_settings_changes_record_before_and_after(challenge, plan, alice):
    services.plan_save(
        challenge=challenge,
        actor=alice,
        minimum_technical_score="40",
        combination="average",
        tie_break_order=["price", "technical", "draw"],
    )

    [entry] = entries_about("evaluationplan")
    assert (entry.actor, entry.transition, entry.metadata["challenge_id"]) == (
        alice,
        "update",
        challenge.pk,
    )
    assert changes(entry) == {
        "minimum_technical_score": ("0.00", "40.00"),
        "combination": ("consensus", "average"),
        "tie_break_order": (["technical", "price", "draw"], ["price", "technical", "draw"]),
    }


def test_criteria_added_changed_and_removed_are_recorded(challenge, plan, alice):
    rated = plan.criteria.filter(kind="rated").order_by("order").first()
    old_weight = rated.weight

    added = services.criterion_add(
        plan=plan, actor=alice, kind="mandatory", name="Bilingual service"
    )
    services.criterion_update(criterion=rated, actor=alice, weight=old_weight - 5)
    services.criterion_remove(criterion=added, actor=alice)

    created, updated, deleted = entries_about("criterion")
    assert (created.transition, created.object_id) == ("create", str(added.pk))
    assert changes(created)["name"] == (None, "Bilingual service")
    assert (updated.transition, changes(updated)) == (
        "update",
        {"weight": (old_weight, old_weight - 5)},
    )
    assert (deleted.transition, changes(deleted)["name"]) == ("delete", ("Bilingual service", None))
    assert {e.metadata["challenge_id"] for e in (created, updated, deleted)} == {challenge.pk}
    assert not Criterion.objects.filter(pk=added.pk).exists()


def test_a_refused_plan_edit_records_nothing(published, alice, bob):
    plan = published.evaluation_plan
    rated = plan.criteria.filter(kind="rated").first()
    before = AuditEntry.objects.count()

    with pytest.raises(TransitionRefused):  # frozen with the statement
        services.criterion_update(criterion=rated, actor=alice, weight=1)
    with pytest.raises(PermissionDenied):
        services.plan_save(challenge=published, actor=bob, combination="average")

    assert AuditEntry.objects.count() == before


def test_a_chair_change_records_who_lost_and_who_gained_the_chair(panel, alice):
    chair, member = panel

    services.panel_set_chair(assignment=member, actor=alice)

    lost, gained = AuditEntry.objects.filter(transition="chair").order_by("sequence")
    assert (lost.object_id, changes(lost)) == (str(chair.pk), {"is_chair": (True, False)})
    assert (gained.object_id, changes(gained)) == (str(member.pk), {"is_chair": (False, True)})
    assert lost.actor == gained.actor == alice


def test_a_refused_chair_change_records_nothing(panel, bob):
    before = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        services.panel_set_chair(assignment=panel[1], actor=bob)

    assert AuditEntry.objects.count() == before


def test_panel_invitations_are_recorded(panel, alice, frank):
    chair, _member = panel

    entry = AuditEntry.objects.get(content_type__model="panelassignment", object_id=str(chair.pk))

    assert (entry.actor, entry.transition) == (alice, "create")
    assert changes(entry)["evaluator"] == (None, frank.pk)
    assert changes(entry)["is_chair"] == (None, True)


def test_each_consensus_score_keeps_its_history(client, consensus, frank, alice):
    criterion = consensus.criteria()[0]
    record_consensus(consensus, frank, {consensus.acme: "7"})
    services.consensus_record(
        evaluation=consensus.evaluation,
        actor=frank,
        proposal=consensus.acme,
        criterion=criterion,
        points="8",
        rationale="Raised after the site visit.",
    )

    entries = [
        e
        for e in entries_about("consensusscore")
        if e.object_id == str(consensus.acme.consensus_scores.get(criterion=criterion).pk)
    ]
    assert [(e.transition, changes(e)["points"]) for e in entries] == [
        ("create", (None, "7.00")),
        ("update", ("7.00", "8.00")),
    ]
    assert changes(entries[1])["rationale"] == (
        "Agreed after discussion.",
        "Raised after the site visit.",
    )
    assert all(e.actor == frank for e in entries)

    client.force_login(frank)
    page = client.get(f"/evaluation/{consensus.challenge.reference}/consensus/")
    assert "Earlier consensus values" in page.content.decode()
    assert "7 → 8" in page.content.decode()


def test_a_refused_consensus_score_records_nothing(consensus, grace):
    before = AuditEntry.objects.count()

    with pytest.raises(PermissionDenied):
        services.consensus_record(
            evaluation=consensus.evaluation,
            actor=grace,
            proposal=consensus.acme,
            criterion=consensus.criteria()[0],
            points="9",
            rationale="Not the chair.",
        )

    assert AuditEntry.objects.count() == before
    assert Decimal(0) == consensus.acme.consensus_scores.count()


def test_each_score_and_each_change_to_it_is_recorded(scoring, frank):
    assignment = assignment_of(scoring, frank)
    criterion = scoring.criteria()[0]
    score = services.score_save(
        assignment=assignment,
        actor=frank,
        proposal=scoring.acme,
        criterion=criterion,
        points="7",
        rationale="Clear plan.",
    )
    services.score_save(
        assignment=assignment,
        actor=frank,
        proposal=scoring.acme,
        criterion=criterion,
        points="8",
        rationale="Clear plan.",
    )

    first, second = entries_about("score")
    assert (first.actor, first.transition, first.object_id) == (frank, "score", str(score.pk))
    assert changes(first) == {"points": (None, "7.00"), "rationale": (None, "Clear plan.")}
    assert changes(second) == {"points": ("7.00", "8.00")}
    assert second.metadata["challenge_id"] == scoring.evaluation.challenge_id


def test_a_refused_score_records_nothing(scoring, frank):
    assignment = assignment_of(scoring, frank)
    with pytest.raises(InvalidInput):
        services.score_save(
            assignment=assignment,
            actor=frank,
            proposal=scoring.acme,
            criterion=scoring.criteria()[0],
            points="99",
            rationale="Too many.",
        )
    assert entries_about("score") == []


def test_screening_records_each_criterions_result_and_note(screening, alice):
    services.screening_record(
        evaluation=screening.evaluation,
        proposal=screening.acme,
        actor=alice,
        results={
            c.pk: {"passed": True, "note": "Stores data in Canada."}
            for c in screening.criteria("mandatory")
        },
    )
    (screened,) = AuditEntry.objects.filter(transition="screen")
    assert (screened.actor, screened.object_id) == (alice, str(screening.acme.pk))
    assert [after for _before, after in changes(screened).values()] == [
        {"passed": True, "note": "Stores data in Canada."} for _c in screening.criteria("mandatory")
    ]
