"""The public outcomes page: the problem and who was heard, what was bought and why (only what the
open data publishes at the same stage), and whether it worked; the same page for every role, with
no price, score, recommendation or person in it that the open data keeps out."""

import html
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from challenges import services as challenge_services
from evaluation.models import RankingEntry
from opendata import packages
from procurement.models import Award, Milestone, OutcomeIndicator
from procurement.services import award as award_services
from procurement.services import pilot as pilot_services
from tests.chart_reading import charts_in
from tests.factories import (
    ChallengeFactory,
    CommunityInputFactory,
    EngagementActivityFactory,
    set_status,
)
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

ROLES = ["anonymous", "rita", "dave", "frank", "alice"]
# Acme's and Globex's price envelopes (award_fixtures), as a page could write them.
ACME_PRICES = ("100000", "100,000", "100 000", "100\u00a0000", "100\u202f000")
GLOBEX_PRICES = ("80000", "80,000", "80 000", "80\u00a0000", "80\u202f000")
RECOMMENDATION = "Acme's heat pump plan convinced the chair."
NOT_AWARDED_REASON = "Every proposal was far over the budget."
COMMENT = "Rita Residentova lives at 12 Elm Street."
QUESTION = "Can we reuse existing thermostats?"


def url(challenge):
    return reverse("procurement:outcomes", kwargs={"reference": challenge.reference})


def main(response) -> str:
    """The page's own content, without the header (which names the signed-in person)."""
    assert response.status_code == 200
    text = response.content.decode()
    return text[text.index('<main id="main"') : text.index("</main>")]


def page(client, challenge, user=None) -> str:
    client.logout()
    if user is not None:
        client.force_login(user)
    return main(client.get(url(challenge)))


def without_svg(text: str) -> str:
    return re.sub(r"<svg.*?</svg>", "", text, flags=re.S)


# Building each stage through the services -----------------------------------------------------


@pytest.fixture
def people(rita, dave, erin, frank, grace):
    """The personas with names and addresses that must never reach the public page."""
    names = {
        rita: ("Rita", "Residentova"),
        dave: ("Dave", "Askwell"),
        erin: ("Erin", "Bidmore"),
        frank: ("Frank", "Chairington"),
        grace: ("Grace", "Scorewell"),
    }
    for user, (first, last) in names.items():
        user.first_name, user.last_name = first, last
        user.email = f"{first.lower()}.{last.lower()}@private.example"
        user.save()
    return list(names)


@pytest.fixture
def public_things(published, people, rita, dave, alice):
    """rita's published comment from co-design and dave's question, answered in public."""
    set_status(CommunityInputFactory(challenge=published, author=rita, body=COMMENT), "published")
    question = challenge_services.question_ask(challenge=published, actor=dave, body=QUESTION)
    challenge_services.question_answer(question=question, actor=alice, answer="Yes, if they work.")
    return published


def recommend(decided, frank):
    return award_services.award_recommend(
        evaluation=decided.evaluation, actor=frank, reason=RECOMMENDATION
    )


def announce(decided, frank, carol, alice):
    award = recommend(decided, frank)
    award_services.award_approve(award=award, actor=carol)
    return award_services.award_notify(award=award, actor=alice)


def finalise(award, alice):
    award.refresh_from_db()
    with time_machine.travel(award.standstill_ends_at, tick=False):
        award_services.award_finalise(award=award, actor=alice)
    award.refresh_from_db()
    return award


def pilot_with(award, alice, *, milestones=1, indicators=1, measurements=1):
    """A pilot, started, with the given numbers of milestones, indicators and measurements each."""
    pilot = pilot_services.pilot_create(award=award, actor=alice)
    for n in range(milestones):
        pilot_services.milestone_add(
            pilot=pilot, actor=alice, title=f"Milestone {n}", due_on=date.today() + timedelta(n + 1)
        )
    for n in range(indicators):
        pilot_services.indicator_add(
            pilot=pilot,
            actor=alice,
            name=f"Indicator {n}",
            unit="% of income",
            baseline=Decimal("8.5"),
            target=Decimal("6"),
        )
    pilot_services.pilot_transition(pilot=pilot, actor=alice, name="start")
    for indicator in pilot.indicators.all():
        for n in range(measurements):
            pilot_services.measurement_record(
                indicator=indicator,
                actor=alice,
                value=Decimal("8") - Decimal(n) / 2,
                measured_on=date.today() - timedelta(measurements - n),
                source_note="Utility bills",
            )
    pilot.refresh_from_db()
    return pilot


STAGES = [
    "published",
    "scored_prices_sealed",
    "decided",
    "recommended",
    "approved",
    "announced",
    "final",
    "pilot_active",
    "not_awarded",
]


@pytest.fixture
def stage_challenge(request, public_things, alice, carol, frank):
    """The challenge at the stage named by the test's parameter (public things already in)."""
    stage = request.param
    if stage == "published":
        return public_things
    if stage == "scored_prices_sealed":
        return request.getfixturevalue("submitted").challenge
    decided = request.getfixturevalue("decided")
    challenge = decided.challenge
    if stage == "not_awarded":
        award_services.challenge_end_without_award(
            challenge=challenge, actor=alice, reason=NOT_AWARDED_REASON
        )
    elif stage == "recommended":
        recommend(decided, frank)
    elif stage == "approved":
        award_services.award_approve(award=recommend(decided, frank), actor=carol)
    elif stage in ("announced", "final", "pilot_active"):
        award = announce(decided, frank, carol, alice)
        if stage != "announced":
            award = finalise(award, alice)
        if stage == "pilot_active":
            pilot_with(award, alice, milestones=2, indicators=2, measurements=2)
    challenge.refresh_from_db()
    return challenge


# Privacy: every stage, every role ---------------------------------------------------------------


def assert_nothing_private(page_html, challenge, people, *, announced: bool, final: bool):
    text = html.unescape(page_html)
    visible = without_svg(text)
    for price in GLOBEX_PRICES:
        assert price not in visible, price
    for price in ACME_PRICES:
        if price not in visible:
            continue
        # Only the awarded value, once final, as the open data publishes it.
        assert final, price
        assert price == "100,000"
        assert visible.count(price) == 1
        assert re.search(r'id="award-value">\$100,000<', visible)
    assert "score" not in visible.lower()
    assert "for Approach." not in visible  # the evaluators' rationales
    assert "Agreed after discussion." not in visible
    for entry in RankingEntry.objects.filter(evaluation__challenge=challenge):
        for value in (entry.total, entry.technical, entry.price_points):
            for shown in (f"{value:.4f}", f"{value:.2f}", f"{value:.2f}".replace(".", ",")):
                assert shown not in visible, (value, shown)
    assert RECOMMENDATION not in text
    assert NOT_AWARDED_REASON not in text
    assert "Globex" not in text  # the losing vendor is not public
    assert ("Acme" in text) == announced  # the winner, once the vendors were told
    assert COMMENT not in text  # counted, not quoted
    for user in people:
        assert user.get_full_name() not in text
        assert user.first_name not in text
        assert user.last_name not in text
        assert user.email not in text
        assert not re.search(rf"\b{user.get_username()}\b", text), user.get_username()


@pytest.mark.parametrize("stage_challenge", STAGES, indirect=True)
def test_every_role_sees_the_same_public_page_without_private_things(
    client, stage_challenge, people, request
):
    challenge = stage_challenge
    pages = {
        role: page(
            client, challenge, None if role == "anonymous" else request.getfixturevalue(role)
        )
        for role in ROLES
    }

    assert len(set(pages.values())) == 1, [r for r in ROLES if pages[r] != pages["anonymous"]]
    announced = challenge.awards.filter(status__in=Award.ANNOUNCED_STATES).exists()
    final = challenge.awards.filter(status=Award.Status.FINAL).exists()
    assert_nothing_private(pages["anonymous"], challenge, people, announced=announced, final=final)
    assert ("award-value" in pages["anonymous"]) == final


# Content, stage by stage ------------------------------------------------------------------------


def test_a_published_challenge_shows_the_problem_engagement_and_empty_states(client, public_things):
    text = page(client, public_things)

    assert public_things.problem in text
    assert public_things.desired_outcomes in text
    assert public_things.success_measures in text
    assert "Workshop: 1 activity" in text
    assert "One activity reached 24 participants." in text
    assert "Tenants&#x27; association, seniors&#x27; centre" in text
    assert "One contribution from residents was published" in text
    assert "No award yet; this challenge is open for proposals until" in text
    assert "No pilot yet; a pilot starts once an award is final." in text
    assert 'id="proposal-count"' not in text  # not even a count before the deadline


def test_a_challenge_in_co_design_says_it_is_not_open_yet(client, co_design_challenge):
    EngagementActivityFactory(
        challenge=co_design_challenge, kind="survey", participants=100, groups_reached="Tenants"
    )
    text = page(client, co_design_challenge)

    assert "Workshop: 1 activity" in text
    assert "Survey: 1 activity" in text
    assert "2 activities reached 124 participants in total." in text
    assert "No contribution from residents was published yet." in text
    assert "No award yet; this challenge is not open for proposals yet." in text


def test_every_section_has_an_empty_state(client, challenge, alice):
    set_status(challenge, "co_design")
    text = page(client, challenge)

    assert "No engagement activities recorded yet." in text
    assert "No contribution from residents was published yet." in text
    assert 'id="award-empty"' in text
    assert 'id="pilot-empty"' in text


def test_a_draft_is_not_found_for_the_public_and_shown_to_staff(client, challenge, alice, rita):
    assert client.get(url(challenge)).status_code == 404
    client.force_login(rita)
    assert client.get(url(challenge)).status_code == 404
    assert "not open for proposals yet" in page(client, challenge, alice)
    assert client.get(
        reverse("procurement:outcomes", kwargs={"reference": "NOPE"})
    ).status_code == (404)


def test_while_evaluating_it_counts_proposals_and_names_nobody(client, decided, frank, carol):
    award_services.award_approve(award=recommend(decided, frank), actor=carol)
    text = page(client, decided.challenge)

    assert "2 proposals were received." in text
    assert "the proposals received are being evaluated" in text
    assert "Acme" not in text
    assert 'id="plan-criteria"' not in text


def test_once_announced_it_names_the_vendor_as_pending_and_explains_the_criteria(
    client, decided, frank, carol, alice
):
    announce(decided, frank, carol, alice)
    text = page(client, decided.challenge)

    assert 'id="award-vendor">Acme Heat Solutions Ltd.<' in text
    assert "Pending: the award becomes final" in text
    for name, weight in (("Approach", 40), ("Team and experience", 30)):
        assert re.search(rf"<th scope=\"row\">{name}</th><td>Rated</td><td>{weight}</td>", text)
    assert "Data stays in Canada" in text and "pass or fail" in text
    assert reverse("evaluation:plan", kwargs={"reference": decided.challenge.reference}) in text
    assert "award-value" not in text
    assert "No pilot yet; a pilot starts once an award is final." in text


def test_once_final_it_shows_the_awarded_value_and_waits_for_the_pilot(
    client, decided, frank, carol, alice
):
    finalise(announce(decided, frank, carol, alice), alice)
    text = page(client, decided.challenge)

    assert 'id="award-status">Final<' in text
    assert 'id="award-value">$100,000<' in text
    assert "No pilot yet; the city is setting it up with the vendor." in text


def test_a_final_award_says_the_standstill_ended_and_that_no_contract_is_signed(
    client, decided, frank, carol, alice
):
    award = finalise(announce(decided, frank, carol, alice), alice)
    text = page(client, decided.challenge)

    assert "Award final (standstill ended)" in text
    assert 'id="award-finalised">' in text
    # The award's end of standstill is not a contract: until one is recorded as signed, the
    # page says there is none (test_contract_pages shows a signed one).
    assert "No contract has been signed yet" in text
    assert "Contract signed" not in text
    assert "Contract value" not in text
    assert award.finalised_at is not None


def test_the_award_section_says_what_the_open_data_says(client, decided, frank, carol, alice):
    award = announce(decided, frank, carol, alice)
    for expected_status in ("pending", "active"):
        challenge = decided.challenge
        challenge.refresh_from_db()
        published = packages.compiled_release(challenge)["awards"][0]
        text = page(client, challenge)

        assert published["status"] == expected_status
        assert f'id="award-vendor">{published["suppliers"][0]["name"]}<' in text
        assert ("Final" in text) == (expected_status == "active")
        assert ("award-value" in text) == ("value" in published)
        if expected_status == "pending":
            award = finalise(award, alice)


def test_a_challenge_ended_without_award_says_so_without_the_internal_reason(
    client, decided, alice
):
    award_services.challenge_end_without_award(
        challenge=decided.challenge, actor=alice, reason=NOT_AWARDED_REASON
    )
    text = page(client, decided.challenge)

    assert "No award: this challenge ended without choosing a proposal." in text
    # The challenge keeps no public reason; the open data publishes none either.
    assert NOT_AWARDED_REASON not in text
    assert "No pilot yet; a pilot starts once an award is final." in text


def test_a_cancelled_challenge_shows_its_public_reason(client, published, alice):
    challenge_services.challenge_transition(
        challenge=published, actor=alice, name="cancel", reason="The program lost its funding."
    )
    text = page(client, published)

    assert "No award: this challenge was cancelled." in text
    assert "The program lost its funding." in text


@pytest.fixture
def final_award(decided, frank, carol, alice):
    return finalise(announce(decided, frank, carol, alice), alice)


def test_the_pilot_shows_milestones_with_their_state_and_indicators_against_targets(
    client, final_award, alice
):
    pilot = pilot_with(final_award, alice, milestones=3, indicators=2, measurements=3)
    first, second, third = pilot.milestones.order_by("due_on")
    Milestone.objects.filter(pk=first.pk).update(
        due_on=date.today() - timedelta(10), done_on=date.today() - timedelta(12)
    )
    Milestone.objects.filter(pk=second.pk).update(due_on=date.today() - timedelta(2))
    pilot_services.measurement_record(
        indicator=pilot.indicators.order_by("pk").last(),
        actor=alice,
        value=Decimal("5.5"),
        measured_on=date.today(),
        source_note="Utility bills",
    )
    text = page(client, final_award.challenge)

    assert 'id="pilot-status">Active<' in text
    assert re.search(r'class="milestone-done"><th scope="row">Milestone 0</th>.*?Done', text)
    assert re.search(r'class="milestone-late"><th scope="row">Milestone 1</th>.*?Late', text)
    assert re.search(
        r'class="milestone-upcoming"><th scope="row">Milestone 2</th>.*?Upcoming', text
    )
    drawn = charts_in(text)
    assert [chart.dots for chart in drawn] == [3, 4]
    assert all(chart.legend == ["Measured value", "Baseline", "Target"] for chart in drawn)
    assert all("% of income" in chart.axis_titles for chart in drawn)
    assert "Baseline 8.5 % of income; target 6 % of income." in text
    assert "Latest: 7 % of income on" in text and "Not at the target yet" in text
    assert "Latest: 5.5 % of income on" in text and "Target reached" in text
    assert "The lessons learned are published when the pilot ends." in text


def test_a_pilot_without_milestones_or_indicators_has_empty_states(client, final_award, alice):
    pilot_services.pilot_create(award=final_award, actor=alice)
    text = page(client, final_award.challenge)

    assert 'id="pilot-status">Planned<' in text
    assert "No milestone agreed yet." in text
    assert "No outcome indicator set yet." in text


def test_the_lessons_learned_appear_once_the_pilot_ended(client, final_award, alice):
    pilot = pilot_with(final_award, alice)
    pilot_services.pilot_transition(pilot=pilot, actor=alice, name="open_review")
    pilot_services.pilot_end(
        pilot=pilot, actor=alice, name="adopt", lessons_learned="Heat pumps cut bills by a third."
    )
    text = page(client, final_award.challenge)

    assert 'id="pilot-status">Adopted<' in text
    assert "Heat pumps cut bills by a third." in text


def test_the_pilot_page_draws_the_same_chart(client, final_award, alice):
    pilot = pilot_with(final_award, alice, measurements=2)
    outcomes = page(client, final_award.challenge)
    pilot_page = main(
        client.get(reverse("procurement:pilot", kwargs={"reference": pilot.challenge.reference}))
    )

    def svg(text):
        return re.search(r"<svg.*?</svg>", text, flags=re.S).group(0)

    assert svg(outcomes) == svg(pilot_page)
    assert charts_in(outcomes)[0].line_paths == 3


# Queries --------------------------------------------------------------------------------------


def test_the_queries_do_not_grow_with_milestones_indicators_or_measurements(
    client, final_award, alice, django_assert_num_queries
):
    pilot = pilot_with(final_award, alice, milestones=1, indicators=1, measurements=1)
    page(client, final_award.challenge)  # caches (content types, templates) warm up
    with CaptureQueriesContext(connection) as small:
        page(client, final_award.challenge)
    count = len(small.captured_queries)
    with django_assert_num_queries(count):
        page(client, final_award.challenge)

    for n in range(5):
        pilot_services.milestone_add(
            pilot=pilot, actor=alice, title=f"More {n}", due_on=date.today() + timedelta(40 + n)
        )
        indicator = pilot_services.indicator_add(
            pilot=pilot, actor=alice, name=f"More {n}", unit="kWh", baseline=1, target=2
        )
        for day in range(4):
            pilot_services.measurement_record(
                indicator=indicator,
                actor=alice,
                value=day,
                measured_on=date.today() - timedelta(day),
                source_note="Meter",
            )

    with django_assert_num_queries(count):
        text = page(client, final_award.challenge)
    assert text.count("<svg") == 6


# Links ----------------------------------------------------------------------------------------


def test_the_challenge_page_links_to_the_outcomes_once_published(client, published, alice):
    in_co_design = set_status(ChallengeFactory(owner=alice), "co_design")

    assert url(published) in client.get(published.get_absolute_url()).content.decode()
    detail = client.get(in_co_design.get_absolute_url()).content.decode()
    assert detail and url(in_co_design) not in detail


def test_the_open_data_index_links_to_each_challenges_outcomes(client, published, alice):
    other = set_status(ChallengeFactory(owner=alice), "published")
    text = client.get(reverse("opendata:open_data")).content.decode()

    assert url(published) in text
    assert url(other) in text


def test_an_indicator_written_in_french_only_is_marked_for_english_readers(
    client, final_award, alice
):
    pilot = pilot_with(final_award, alice, indicators=1)
    OutcomeIndicator.objects.filter(pilot=pilot).update(
        name_en="", name_fr="Part du revenu consacrée à l’énergie"
    )
    english = page(client, final_award.challenge)
    assert (
        '<span lang="fr">Part du revenu consacrée à l’énergie</span> '
        '<span class="language-mark">(French only)</span>'
    ) in english
    french = main(client.get(url(final_award.challenge), HTTP_ACCEPT_LANGUAGE="fr"))
    assert "<span>Part du revenu consacrée à l’énergie</span></h4>" in french
