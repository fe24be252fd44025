"""The evaluation pages doing their work: what each page shows, and that a form's POST reaches
the service and lands where it should. Starting points come from the services (conftest)."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import services
from evaluation.models import (
    ConsensusScore,
    Criterion,
    Evaluation,
    EvaluationPlan,
    PanelAssignment,
    RankingEntry,
    Score,
)
from tests.chart_reading import charts_in
from tests.evaluation.conftest import accept, assignment_of, passes, score_everything
from tests.factories import UserFactory
from vendors.models import Proposal, VendorOrganization

pytestmark = pytest.mark.django_db

ACME = "Acme Heat Solutions Ltd."
GLOBEX = "Globex Retrofit Co-operative"


def url(view, challenge, **kwargs):
    return reverse(f"evaluation:{view}", kwargs={"reference": challenge.reference, **kwargs})


def signed_in(client, user):
    client.force_login(user)
    return client


# --- the plan ---------------------------------------------------------------------------------


def test_the_owner_builds_the_plan_and_sees_what_publication_still_needs(client, alice, challenge):
    signed_in(client, alice)
    page = client.get(url("plan", challenge))
    assert page.status_code == 200
    assert "Define the evaluation plan" in page.content.decode()

    response = client.post(
        url("criterion_add", challenge),
        {"kind": "rated", "name": "Approach", "weight": "60", "max_points": "10"},
    )
    assert response.status_code == 302
    response = client.post(
        url("plan_settings", challenge),
        {
            "minimum_technical_score": "30",
            "combination": "average",
            "tie_break_1": "price",
            "tie_break_2": "technical",
        },
    )
    assert response.status_code == 302

    page = client.get(url("plan", challenge)).content.decode()
    assert "60 %" in page
    assert "weights add up to 60%" in page
    plan = EvaluationPlan.objects.get(challenge=challenge)
    assert plan.combination == "average"
    assert plan.tie_break_order == ["price", "technical"]
    assert str(plan.minimum_technical_score) == "30.00"
    assert list(plan.criteria.values_list("name", "weight", "max_points")) == [("Approach", 60, 10)]


def test_the_owner_edits_and_removes_a_criterion(client, alice, challenge, plan):
    criterion = plan.criteria.get(name="Approach")
    signed_in(client, alice)
    assert client.get(url("criterion_edit", challenge, pk=criterion.pk)).status_code == 200
    response = client.post(
        url("criterion_edit", challenge, pk=criterion.pk),
        {"kind": "rated", "name": "Technical approach", "weight": "40", "max_points": "20"},
    )
    assert response.status_code == 302
    criterion.refresh_from_db()
    assert (criterion.name, criterion.max_points) == ("Technical approach", 20)

    response = client.post(url("criterion_remove", challenge, pk=criterion.pk))
    assert response.status_code == 302
    assert not Criterion.objects.filter(pk=criterion.pk).exists()


def test_the_frozen_plan_is_public_with_its_digest_and_date(client, published):
    plan = EvaluationPlan.objects.get(challenge=published)
    page = client.get(url("plan", published))
    assert page.status_code == 200
    content = page.content.decode()
    assert plan.digest in content
    assert "frozen at publication" in content
    assert "lowest eligible price" in content
    assert "Add a criterion" not in content
    # The public challenge page leads there.
    detail = client.get(published.get_absolute_url()).content.decode()
    assert url("plan", published) in detail


# --- the overview: panel and screening ----------------------------------------------------------


def test_the_owner_invites_an_evaluator_with_a_due_date(client, alice, grace, screening):
    signed_in(client, alice)
    page = client.get(url("overview", screening.challenge))
    assert page.status_code == 200
    assert "Invite an evaluator" in page.content.decode()
    due = timezone.localtime(timezone.now() + timedelta(days=10))
    response = client.post(
        url("panel_assign", screening.challenge),
        {"evaluator": grace.pk, "due_at": due.strftime("%Y-%m-%dT%H:%M"), "is_chair": "on"},
    )
    assert response.status_code == 302
    assignment = PanelAssignment.objects.get(evaluation=screening.evaluation, evaluator=grace)
    assert assignment.is_chair
    assert assignment.status == PanelAssignment.Status.INVITED


def test_the_owner_takes_back_an_invitation_and_names_another_chair(client, alice, panel):
    chair, member = panel
    signed_in(client, alice)
    reference = chair.evaluation.challenge.reference
    response = client.post(
        reverse("evaluation:panel_set_chair", kwargs={"reference": reference, "pk": member.pk})
    )
    assert response.status_code == 302
    member.refresh_from_db()
    chair.refresh_from_db()
    assert member.is_chair and not chair.is_chair

    response = client.post(
        reverse("evaluation:panel_unassign", kwargs={"reference": reference, "pk": chair.pk})
    )
    assert response.status_code == 302
    assert not PanelAssignment.objects.filter(pk=chair.pk).exists()


def test_the_owner_records_screening_per_mandatory_criterion(client, alice, screening):
    signed_in(client, alice)
    page = client.get(url("overview", screening.challenge)).content.decode()
    assert f"Record the screening of {ACME}" in page
    data = {}
    for criterion in screening.criteria("mandatory"):
        data[f"criterion_{criterion.pk}"] = "fail"
        data[f"note_{criterion.pk}"] = "Hosted in another country."
    response = client.post(
        url("screening_record", screening.challenge, public_id=screening.acme.public_id), data
    )
    assert response.status_code == 302
    screening.acme.refresh_from_db()
    assert screening.acme.status == Proposal.Status.DISQUALIFIED
    page = client.get(url("overview", screening.challenge)).content.decode()
    assert "Hosted in another country." in page
    assert f"Record the screening of {ACME}" not in page


def test_the_overview_offers_the_steps_the_user_may_take_and_says_what_blocks_the_next(
    client, alice, screening, panel
):
    signed_in(client, alice)
    page = client.get(url("overview", screening.challenge)).content.decode()
    assert "Not yet possible: Start scoring" in page
    assert "Record the screening of the 2 proposals not yet screened." in page

    for proposal in (screening.acme, screening.globex):
        services.screening_record(
            evaluation=screening.evaluation,
            proposal=proposal,
            actor=alice,
            results=passes(screening),
        )
    accept(panel[0], panel[0].evaluator)
    page = client.get(url("overview", screening.challenge)).content.decode()
    assert url("transition", screening.challenge, name="start_scoring") in page
    response = client.post(url("transition", screening.challenge, name="start_scoring"))
    assert response.status_code == 302
    screening.evaluation.refresh_from_db()
    assert screening.evaluation.status == Evaluation.Status.SCORING


# --- the evaluator's workspace -------------------------------------------------------------------


def test_an_invited_evaluator_reads_anonymised_proposals_until_declaring(client, grace, scoring):
    # grace declared in the fixture; a fresh invitee is needed.
    henry = UserFactory(username="henry", roles=["evaluator"])
    services.panel_assign(
        evaluation=scoring.evaluation,
        actor=scoring.challenge.owner,
        evaluator=henry,
        due_at=timezone.now() + timedelta(days=5),
    )
    signed_in(client, henry)
    page = client.get(url("workspace", scoring.challenge)).content.decode()
    assert "Proposal A" in page and "Proposal B" in page
    assert ACME not in page and GLOBEX not in page

    declaration = client.get(url("declare", scoring.challenge)).content.decode()
    assert ACME in declaration and GLOBEX in declaration
    response = client.post(
        url("declare", scoring.challenge), {"no_conflict": "on", "signature": "Henry Hale"}
    )
    assert response.status_code == 302
    assignment = assignment_of(scoring, henry)
    assert assignment.status == PanelAssignment.Status.ACCEPTED
    assert assignment.declaration_signature == "Henry Hale"
    page = client.get(url("workspace", scoring.challenge)).content.decode()
    assert ACME in page and GLOBEX in page


def test_an_evaluator_recuses_with_a_reason_and_then_sees_nothing(client, grace, panel, screening):
    signed_in(client, grace)
    response = client.post(url("recuse", screening.challenge), {"reason": "My cousin runs Acme."})
    assert response.status_code == 302
    assignment = assignment_of(screening, grace)
    assert assignment.status == PanelAssignment.Status.RECUSED
    assert assignment.recusal_reason == "My cousin runs Acme."
    assert client.get(url("workspace", screening.challenge)).status_code == 404


def test_the_scoring_page_shows_the_rubric_beside_the_technical_envelope(client, grace, scoring):
    signed_in(client, grace)
    page = client.get(url("score", scoring.challenge, public_id=scoring.acme.public_id))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Technical envelope" in content and "Rubric and your scores" in content
    for criterion in scoring.criteria():
        assert criterion.name in content
        assert f'name="points_{criterion.pk}"' in content
    assert "Approach" in content  # the proposal's answer to the "Approach" question
    assert "Save draft" in content


def test_an_evaluator_saves_a_draft_then_submits_all(client, grace, scoring):
    signed_in(client, grace)
    for proposal in (scoring.acme, scoring.globex):
        data = {}
        for criterion in scoring.criteria():
            data[f"points_{criterion.pk}"] = "7.5"
            data[f"rationale_{criterion.pk}"] = f"Solid on {criterion.name}."
        response = client.post(url("score", scoring.challenge, public_id=proposal.public_id), data)
        assert response.status_code == 302
    assignment = assignment_of(scoring, grace)
    assert assignment.status == PanelAssignment.Status.ACCEPTED
    assert Score.objects.filter(assignment=assignment, points="7.50").count() == 4

    response = client.post(url("submit", scoring.challenge))
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == PanelAssignment.Status.SUBMITTED
    assert assignment.submitted_at is not None


def test_other_evaluators_scores_show_only_after_ones_own_submission(client, frank, grace, scoring):
    score_everything(scoring, frank, {scoring.acme: "9", scoring.globex: "5"})
    signed_in(client, grace)
    score_url = url("score", scoring.challenge, public_id=scoring.acme.public_id)
    assert "9 for Approach." not in client.get(score_url).content.decode()

    score_everything(scoring, grace, {scoring.acme: "7", scoring.globex: "6"})
    page = client.get(score_url).content.decode()
    assert "9 for Approach." in page
    assert "Reason for the change" in page


def test_a_change_after_submission_keeps_the_reason(client, grace, submitted):
    signed_in(client, grace)
    criterion = submitted.criteria()[0]
    data = {
        f"points_{criterion.pk}": "9",
        f"rationale_{criterion.pk}": "Reread the appendix.",
        "reason": "Missed the appendix on first reading.",
    }
    response = client.post(
        url("score", submitted.challenge, public_id=submitted.acme.public_id), data
    )
    assert response.status_code == 302
    score = Score.objects.get(
        assignment__evaluator=grace, proposal=submitted.acme, criterion=criterion
    )
    assert str(score.points) == "9.00"
    assert score.version == 2
    assert score.revisions.get(version=2).reason == "Missed the appendix on first reading."


def test_a_panel_member_downloads_a_document_of_the_technical_envelope(client, grace, scoring):
    document = scoring.acme.documents.get(title="Work plan")
    signed_in(client, grace)
    page = client.get(url("score", scoring.challenge, public_id=scoring.acme.public_id))
    assert url("document", scoring.challenge, public_id=document.public_id) in page.content.decode()
    response = client.get(url("document", scoring.challenge, public_id=document.public_id))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    document.file.open("rb")
    assert b"".join(response.streaming_content) == document.file.read()


# --- consensus, prices, ranking --------------------------------------------------------------


def test_the_consensus_sheet_flags_outliers_in_words(client, frank, grace, scoring):
    score_everything(scoring, frank, {scoring.acme: "10", scoring.globex: "6"})
    score_everything(scoring, grace, {scoring.acme: "2", scoring.globex: "6"})
    services.evaluation_transition(
        evaluation=scoring.evaluation, actor=frank, name="open_consensus"
    )
    signed_in(client, frank)
    page = client.get(url("consensus", scoring.challenge))
    assert page.status_code == 200
    content = page.content.decode()
    assert "<strong>Outlier</strong>" in content
    assert "Has an outlier" in content
    assert "lowest 2, highest 10, mean 6, standard deviation 4" in content


def test_the_chair_records_consensus_and_locks_it(client, frank, consensus):
    signed_in(client, frank)
    for proposal, points in ((consensus.acme, "8"), (consensus.globex, "6")):
        data = {}
        for criterion in consensus.criteria():
            data[f"points_{criterion.pk}"] = points
            data[f"rationale_{criterion.pk}"] = "Agreed after discussion."
        response = client.post(
            url("consensus_record", consensus.challenge, proposal_id=proposal.pk), data
        )
        assert response.status_code == 302
    assert ConsensusScore.objects.filter(evaluation=consensus.evaluation).count() == 4
    response = client.post(url("consensus_lock", consensus.challenge), {"confirmed": "yes"})
    assert response.status_code == 302
    consensus.evaluation.refresh_from_db()
    assert consensus.evaluation.consensus_locked_at is not None


def test_the_owner_opens_prices_ranks_and_reads_the_results(client, alice, locked):
    signed_in(client, alice)
    assert client.get(url("prices", locked.challenge)).status_code == 404
    response = client.post(
        url("transition", locked.challenge, name="open_prices"), {"confirmed": "yes"}
    )
    assert response.status_code == 302
    prices = client.get(url("prices", locked.challenge)).content.decode()
    assert "$100,000" in prices and "$80,000" in prices

    response = client.post(url("transition", locked.challenge, name="rank"))
    assert response.status_code == 302
    assert response.url == url("results", locked.challenge)
    results = client.get(response.url)
    assert results.status_code == 200
    content = results.content.decode()
    entries = list(RankingEntry.objects.filter(evaluation=locked.evaluation).order_by("rank"))
    assert len(entries) == 2
    # Totals with the precision that matters: 80, not 80.0000 or 80.00.
    assert f"<strong>{entries[0].total.normalize():f}</strong>" in content
    (chart,) = charts_in(content)
    assert chart.title == "Combined points of each proposal on each rated criterion"
    assert len(chart.legend) == 2 and chart.legend[0].startswith("1. Proposal")
    assert chart.value_ticks[0] == "0%" and chart.value_ticks[-1] == "100%"
    assert any(width > 0 for width in chart.bar_widths)
    assert "Scores by criterion (the chart's data)" in content


def test_the_ranking_downloads_as_csv(client, alice, ranked):
    signed_in(client, alice)
    response = client.get(url("results_csv", ranked.challenge))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="ranking-{ranked.challenge.reference}.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["rank", "label", "vendor"]
    assert {rows[1][2], rows[2][2]} == {ACME, GLOBEX}
    assert {rows[1][rows[0].index("price")], rows[2][rows[0].index("price")]} == {
        "100000.00",
        "80000.00",
    }


def test_the_ranking_csv_writes_a_vendor_name_that_looks_like_a_formula_as_text(
    client, alice, ranked
):
    formula = '=HYPERLINK("http://x","y")'
    VendorOrganization.objects.filter(legal_name=ACME).update(legal_name=formula)
    signed_in(client, alice)
    response = client.get(url("results_csv", ranked.challenge))

    assert response.status_code == 200
    # The byte-order mark lets Excel on Windows read the file as UTF-8.
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    vendors = {row[rows[0].index("vendor")] for row in rows[1:]}
    assert vendors == {"'" + formula, GLOBEX}


def test_the_owner_decides_from_the_ranking(client, alice, ranked):
    signed_in(client, alice)
    response = client.post(
        url("transition", ranked.challenge, name="decide"),
        {"shortlist_size": "1", "reason": "Best value."},
    )
    assert response.status_code == 302
    ranked.refresh()
    assert ranked.evaluation.status == Evaluation.Status.DECIDED
    statuses = {ranked.acme.status, ranked.globex.status}
    assert statuses == {Proposal.Status.SHORTLISTED, Proposal.Status.NOT_SELECTED}


def test_my_evaluations_lists_the_evaluators_panels(client, grace, panel, screening):
    signed_in(client, grace)
    page = client.get(reverse("evaluation:mine"))
    assert page.status_code == 200
    content = page.content.decode()
    assert screening.challenge.reference in content
    assert url("declare", screening.challenge) in content
    assert reverse("evaluation:mine") in client.get("/").content.decode()
