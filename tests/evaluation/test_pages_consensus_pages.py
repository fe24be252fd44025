"""The consensus sheet shows ten proposals a page, every criterion of each, so the page stays
the same size however many proposals an evaluation has; recording a consensus score brings the
chair back to the page and the cell they were on. No script is needed."""

import re

import pytest
from django.urls import reverse

from evaluation.models import ConsensusScore, Criterion
from evaluation.selectors import proposal_labels
from evaluation.views.results import CONSENSUS_PAGE_SIZE
from tests.evaluation.builders import ranking_field
from tests.factories import panel_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(frank):
    """An evaluation in consensus with 12 qualified proposals; frank chairs and has submitted."""
    evaluation, proposals = ranking_field(
        [((7, 6), 1000 + i) for i in range(12)], status="consensus"
    )
    panel_member(evaluation, frank, status="submitted", is_chair=True)
    # Nothing agreed yet: every cell offers its form.
    ConsensusScore.objects.filter(evaluation=evaluation).delete()
    return evaluation, proposals


def _url(evaluation, **query):
    url = reverse("evaluation:consensus", kwargs={"reference": evaluation.challenge.reference})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _proposals_shown(content) -> list[str]:
    return re.findall(r'<h2 id="proposal-\d+">([^<]+)</h2>', content)


def test_the_sheet_shows_ten_proposals_a_page_with_links_to_the_others(client, frank, sheet):
    evaluation, _proposals = sheet
    labels = sorted(proposal_labels(evaluation).values(), key=lambda label: (len(label), label))
    client.force_login(frank)

    first = client.get(_url(evaluation)).content.decode()
    second = client.get(_url(evaluation, page=2)).content.decode()

    assert CONSENSUS_PAGE_SIZE == 10
    assert _proposals_shown(first) == labels[:10]
    assert _proposals_shown(second) == labels[10:]
    assert "Proposals 1 to 10 of 12" in first
    assert "Proposals 11 to 12 of 12" in second
    assert 'href="?page=2" rel="next"' in first
    assert 'href="?page=1" rel="prev"' in second
    # Each proposal still shows every rated criterion, with its form.
    assert first.count('class="panel consensus-cell"') == 10 * 2
    assert first.count("Record the consensus for") == 10
    assert first.count("Consensus points for") == 10 * 2


def test_a_page_out_of_range_shows_the_last_one(client, frank, sheet):
    evaluation, _proposals = sheet
    client.force_login(frank)

    content = client.get(_url(evaluation, page=99)).content.decode()

    assert "Proposals 11 to 12 of 12" in content


def test_recording_a_score_returns_to_the_page_of_its_proposal(client, frank, sheet):
    evaluation, proposals = sheet
    labels = proposal_labels(evaluation)
    last = max(proposals, key=lambda p: (len(labels[p.pk]), labels[p.pk]))
    criterion = evaluation.plan.criteria.filter(kind=Criterion.Kind.RATED).first()
    client.force_login(frank)

    response = client.post(
        reverse(
            "evaluation:consensus_record",
            kwargs={
                "reference": evaluation.challenge.reference,
                "proposal_id": last.pk,
            },
        ),
        {f"points_{criterion.pk}": "7", f"rationale_{criterion.pk}": "Agreed after discussion."},
    )

    assert response.status_code == 302
    assert response["Location"] == _url(evaluation, page=2) + f"#consensus-{last.pk}"
    assert ConsensusScore.objects.get(proposal=last, criterion=criterion).points == 7


def test_a_refused_score_is_shown_on_the_page_of_its_proposal(client, frank, sheet):
    evaluation, proposals = sheet
    labels = proposal_labels(evaluation)
    last = max(proposals, key=lambda p: (len(labels[p.pk]), labels[p.pk]))
    criterion = evaluation.plan.criteria.filter(kind=Criterion.Kind.RATED).first()
    client.force_login(frank)

    response = client.post(
        reverse(
            "evaluation:consensus_record",
            kwargs={
                "reference": evaluation.challenge.reference,
                "proposal_id": last.pk,
            },
        ),
        {f"points_{criterion.pk}": "70", f"rationale_{criterion.pk}": ""},
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Proposals 11 to 12 of 12" in content
    assert labels[last.pk] in _proposals_shown(content)
    assert not ConsensusScore.objects.filter(proposal=last).exists()
