"""The staff dashboard: who may open it, the pipeline by stage with its chart, overdue work and the
deadlines of the next 14 days (with time travel), the filters, empty states and query counts."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from challenges.models import Challenge
from procurement.chronograph import chronograph_reschedule, chronograph_run_due
from procurement.models import Award, Milestone, Pilot
from tests.chart_reading import charts_in
from tests.factories import (
    ChallengeFactory,
    ProposalFactory,
    QuestionFactory,
    UserFactory,
    evaluation_in,
    panel_member,
    set_status,
)

URL = reverse("procurement:dashboard")
# A Monday in February: no daylight-saving change near it in America/Moncton (AST, UTC-4).
START = datetime(2027, 2, 1, 16, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def page(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def section(html, section_id):
    """The markup of one section that holds no other section."""
    start = html.index(f'id="{section_id}"')
    return html[start : html.index("</section>", start)]


def table_rows(html):
    return re.findall(r"<tr class=\"[^\"]*\">.*?</tr>", html, flags=re.S)


def challenge_in(status, *, owner, title=None, **fields):
    extra = {"title": title} if title else {}
    return set_status(ChallengeFactory(owner=owner, **extra), status, **fields)


def published(owner, *, questions_in, submission_in, title=None):
    """A published challenge scheduled as publication leaves it."""
    challenge = ChallengeFactory(
        owner=owner,
        questions_deadline=START + questions_in,
        submission_deadline=START + submission_in,
        **({"title": title} if title else {}),
    )
    challenge = set_status(challenge, "published")
    chronograph_reschedule(challenge)
    challenge.refresh_from_db()
    return challenge


def award_in(challenge, status, *, recommended_by, standstill_ends_at=None):
    evaluation = evaluation_in(challenge, "decided")
    award = Award.objects.create(
        challenge=challenge,
        evaluation=evaluation,
        proposal=ProposalFactory(challenge=challenge),
        recommended_by=recommended_by,
        standstill_ends_at=standstill_ends_at,
    )
    return set_status(award, status)


def pilot_of(challenge, *, owner, status="active"):
    award = award_in(challenge, "final", recommended_by=owner)
    pilot = Pilot.objects.create(challenge=challenge, award=award)
    return set_status(pilot, status)


# Who may open it ---------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_asked_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=/dashboard/" in response["Location"]


@pytest.mark.parametrize("persona", ["alice", "bob", "carol"])
def test_municipal_staff_and_approvers_open_the_dashboard(client, db, request, persona):
    html = page(client, request.getfixturevalue(persona))

    assert "<h1>Pipeline dashboard</h1>" in html
    assert f'href="{URL}"' in html  # the header link


@pytest.mark.parametrize("persona", ["rita", "dave", "erin", "frank", "grace", "root"])
def test_residents_vendors_evaluators_and_the_admin_are_refused(client, db, request, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(URL)

    assert response.status_code == 403
    html = response.content.decode()
    assert "The dashboard is for municipal staff and approvers." in html
    assert f'href="{URL}"' not in html  # no header link either


def test_an_approver_who_is_not_staff_opens_it(client, db):
    approver = UserFactory(username="olivia", roles=["approver"])

    assert "<h1>Pipeline dashboard</h1>" in page(client, approver)


@pytest.mark.parametrize("persona", ["alice", "carol"])
def test_the_header_links_to_the_dashboard_for_those_who_may_open_it(client, db, request, persona):
    client.force_login(request.getfixturevalue(persona))

    html = client.get(reverse("challenges:board")).content.decode()

    assert f'<a href="{URL}">Dashboard</a>' in html


@pytest.mark.parametrize("persona", [None, "rita", "dave", "frank", "grace", "root"])
def test_the_header_has_no_dashboard_link_for_others(client, db, request, persona):
    if persona:
        client.force_login(request.getfixturevalue(persona))

    html = client.get(reverse("challenges:board")).content.decode()

    assert f'href="{URL}"' not in html


# The pipeline by stage ---------------------------------------------------------------------------


def test_every_stage_has_a_section_in_pipeline_order_with_its_count(client, clock, alice, bob):
    challenge_in("draft", owner=alice, title="Snow clearing routes")
    challenge_in("draft", owner=bob, title="Library hours")
    challenge_in("in_review", owner=alice, title="Transit stop shelters")
    challenge_in("cancelled", owner=bob, title="Parking sensors")

    html = page(client, alice)

    ids = re.findall(r'<section id="stage-([a-z_]+)"', html)
    assert ids == [status for status, _label in Challenge.Status.choices]
    assert re.search(r'stage-count">2<', section(html, "stage-draft"))
    assert re.search(r'stage-count">1<', section(html, "stage-in_review"))
    assert re.search(r'stage-count">1<', section(html, "stage-cancelled"))
    assert re.search(r'stage-count">0<', section(html, "stage-published"))
    assert "Snow clearing routes" in section(html, "stage-draft")
    assert "Library hours" in section(html, "stage-draft")
    assert "No challenge in this stage." in section(html, "stage-published")
    assert "4 challenges" in html


def test_a_challenge_row_shows_reference_title_owner_and_its_next_date(client, clock, alice):
    challenge = published(alice, questions_in=10 * DAY, submission_in=30 * DAY, title="Heat")

    stage = section(page(client, alice), "stage-published")

    assert challenge.reference in stage
    assert '<th scope="row">Heat</th>' in stage
    assert "<td>alice</td>" in stage
    assert "Questions deadline" in stage
    assert "Feb 11, 2027, 12:00\u202fp.m. AST" in stage  # 16:00 UTC in Moncton, zone named


def test_after_the_questions_deadline_the_next_date_is_the_submission_deadline(
    client, clock, alice
):
    published(alice, questions_in=1 * DAY, submission_in=30 * DAY)
    clock.move_to(START + 2 * DAY)

    stage = section(page(client, alice), "stage-published")

    assert "Submission deadline" in stage
    assert "Mar 3, 2027, 12:00\u202fp.m. AST" in stage


def test_evaluating_and_awarded_challenges_show_their_current_step_date(client, clock, alice):
    scoring = challenge_in("evaluating", owner=alice, title="Scoring one")
    panel_member(
        evaluation_in(scoring, "scoring"),
        UserFactory(roles=["evaluator"]),
        status="accepted",
        due_at=START + 5 * DAY,
    )
    in_standstill = challenge_in("evaluating", owner=alice, title="Standstill one")
    award_in(in_standstill, "standstill", recommended_by=alice, standstill_ends_at=START + 3 * DAY)
    piloting = challenge_in("awarded", owner=alice, title="Pilot one")
    pilot = pilot_of(piloting, owner=alice)
    Milestone.objects.create(pilot=pilot, title="Install", due_on=date(2027, 2, 20))
    Milestone.objects.create(
        pilot=pilot, title="Done one", due_on=date(2027, 2, 5), done_on=date(2027, 2, 1)
    )

    html = page(client, alice)

    evaluating = section(html, "stage-evaluating")
    # Soonest first within the stage: the standstill ends before the scores are due.
    assert evaluating.index("Standstill one") < evaluating.index("Scoring one")
    assert "Standstill period ends" in evaluating
    assert "Feb 4, 2027, 12:00\u202fp.m. AST" in evaluating
    assert "Scores due" in evaluating
    assert "Feb 6, 2027, 12:00\u202fp.m. AST" in evaluating
    awarded = section(html, "stage-awarded")
    assert "Next pilot milestone" in awarded
    assert "Feb 20, 2027" in awarded


def test_the_chart_draws_one_bar_per_stage(client, clock, alice):
    challenge_in("draft", owner=alice)
    challenge_in("draft", owner=alice)
    challenge_in("closed", owner=alice)

    html = section(page(client, alice), "pipeline-chart")
    (chart,) = charts_in(html)

    assert len(chart.bar_widths) == len(Challenge.Status.choices)
    assert chart.category_ticks == [label for _status, label in Challenge.Status.choices][::-1]
    assert chart.value_ticks == ["0", "1", "2"]
    assert "Number of challenges" in chart.axis_titles
    assert "Draft: 2" in chart.hover and "Closed: 1" in chart.hover
    assert "Open for proposals: 0" in chart.hover
    assert "<script" not in html
    # The largest stage has the longest bar; the others are a share of it.
    widths = sorted(chart.bar_widths)
    assert widths[-1] == pytest.approx(2 * widths[-2]) and widths[-3] == 0
    # The same figures in a table beside the chart.
    assert '<a href="#stage-draft">Draft</a></th><td>2</td>' in html


def test_a_long_stage_is_capped_with_a_link_to_the_board(client, clock, alice, monkeypatch):
    monkeypatch.setattr("procurement.views.dashboard.STAGE_LIMIT", 2)
    for _ in range(3):
        challenge_in("draft", owner=alice)
    challenge_in("closed", owner=alice)

    html = page(client, alice, mine="1", q="Help")

    drafts = section(html, "stage-draft")
    assert drafts.count("<tr>") == 1 + 2  # the head row and two challenges
    assert "Showing 2 of 3: see all on the board" in drafts
    assert 'href="/?status=draft&amp;q=Help&amp;mine=on"' in drafts
    assert "see all on the board" not in section(html, "stage-closed")


# The filters -------------------------------------------------------------------------------------


def test_only_mine_keeps_the_users_own_challenges_in_every_section(client, clock, alice, bob):
    mine = published(alice, questions_in=2 * DAY, submission_in=30 * DAY, title="Alice's own")
    theirs = published(bob, questions_in=3 * DAY, submission_in=30 * DAY, title="Bob's own")

    everything = page(client, alice)
    only_mine = page(client, alice, mine="1")

    assert theirs.reference in section(everything, "stage-published")
    assert theirs.reference in section(everything, "upcoming")
    assert mine.reference in section(only_mine, "stage-published")
    assert mine.reference in section(only_mine, "upcoming")
    assert theirs.reference not in only_mine
    assert 'name="mine" value="1" checked' in only_mine
    assert "1 challenge" in only_mine


def test_the_search_matches_title_or_reference(client, clock, alice):
    snow = challenge_in("draft", owner=alice, title="Snow clearing routes")
    library = challenge_in("draft", owner=alice, title="Library hours")

    by_title = page(client, alice, q="snow")
    by_reference = page(client, alice, q=library.reference)

    assert snow.reference in by_title
    assert library.reference not in by_title
    assert 'value="snow"' in by_title
    assert library.reference in by_reference
    assert snow.reference not in by_reference


def test_a_search_that_matches_nothing_says_so(client, clock, alice):
    challenge_in("draft", owner=alice)

    html = page(client, alice, q="nothing like this")

    assert "No challenge matches your search and filters." in html
    assert "0 challenges" in html


# Overdue work ------------------------------------------------------------------------------------


def test_open_questions_past_their_deadline_and_a_refused_close_are_overdue(
    client, clock, alice, dave
):
    challenge = published(alice, questions_in=1 * DAY, submission_in=20 * DAY)
    QuestionFactory(challenge=challenge, asked_by=dave)
    QuestionFactory(challenge=challenge, asked_by=dave)

    assert "Nothing is overdue." in section(page(client, alice), "overdue")

    # The questions period ends: the chronograph tells the owner; the questions stay open.
    clock.move_to(START + 2 * DAY)
    chronograph_run_due()
    overdue = section(page(client, alice), "overdue")
    assert "The questions period ended with 2 questions unanswered" in overdue
    assert f'href="/challenges/{challenge.reference}/#questions"' in overdue
    assert "Feb 2, 2027, 12:00\u202fp.m. AST" in overdue
    assert "could not close" not in overdue

    # The submission deadline passes: closing is refused while the questions are open.
    clock.move_to(START + 21 * DAY)
    chronograph_run_due()
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.PUBLISHED
    overdue = section(page(client, alice), "overdue")
    assert "could not close: answer or dismiss its 2 open questions" in overdue
    assert "The questions period ended with 2 questions unanswered" in overdue
    # Longest overdue first: the questions deadline came before the submission deadline.
    assert overdue.index("questions period ended") < overdue.index("could not close")


def test_a_scheduled_step_that_has_not_run_is_overdue(client, clock, alice):
    challenge = published(alice, questions_in=1 * DAY, submission_in=20 * DAY)
    clock.move_to(START + 2 * DAY)

    overdue = section(page(client, alice), "overdue")

    assert "A scheduled step of this challenge has not run yet." in overdue
    assert challenge.reference in overdue


def test_an_award_still_in_standstill_after_its_end_is_overdue(client, clock, alice, carol):
    challenge = challenge_in("evaluating", owner=alice)
    award_in(challenge, "standstill", recommended_by=alice, standstill_ends_at=START + DAY)

    assert "Nothing is overdue." in section(page(client, carol), "overdue")

    clock.move_to(START + DAY)  # the end is exclusive: at that instant the standstill is over
    overdue = section(page(client, carol), "overdue")
    assert "The standstill period ended but the award is not final" in overdue
    assert f'href="/challenges/{challenge.reference}/award/"' in overdue


def test_a_final_award_is_not_overdue(client, clock, alice):
    challenge = challenge_in("awarded", owner=alice)
    award_in(challenge, "final", recommended_by=alice, standstill_ends_at=START - DAY)

    assert "Nothing is overdue." in section(page(client, alice), "overdue")


def test_panel_members_who_owe_scores_past_their_due_time_are_overdue(
    client, clock, alice, frank, grace, carol
):
    challenge = challenge_in("evaluating", owner=alice)
    evaluation = evaluation_in(challenge, "scoring")
    panel_member(evaluation, frank, status="accepted", is_chair=True, due_at=START + DAY)
    panel_member(evaluation, grace, due_at=START + DAY)
    panel_member(evaluation, carol, status="submitted", due_at=START + DAY)

    clock.move_to(START + 2 * DAY)
    overdue = section(page(client, alice), "overdue")

    assert "frank has not submitted scores, which were due" in overdue
    assert "grace has not declared conflicts of interest yet" in overdue
    assert "carol" not in overdue
    assert f'href="/evaluation/{challenge.reference}/"' in overdue


def test_an_evaluation_past_scoring_has_no_late_scores(client, clock, alice, frank):
    challenge = challenge_in("evaluating", owner=alice)
    panel_member(
        evaluation_in(challenge, "consensus"), frank, status="accepted", due_at=START - DAY
    )

    assert "Nothing is overdue." in section(page(client, alice), "overdue")


def test_pilot_milestones_past_due_and_not_done_are_overdue(client, clock, alice):
    active = pilot_of(challenge_in("awarded", owner=alice), owner=alice)
    Milestone.objects.create(pilot=active, title="Install sensors", due_on=date(2027, 2, 3))
    Milestone.objects.create(
        pilot=active, title="Kick-off", due_on=date(2027, 1, 20), done_on=date(2027, 1, 20)
    )
    ended = pilot_of(challenge_in("awarded", owner=alice), owner=alice, status="concluded")
    Milestone.objects.create(pilot=ended, title="Never mind", due_on=date(2027, 1, 10))

    clock.move_to(datetime(2027, 2, 3, 20, 0, tzinfo=UTC))  # still 3 Feb in Moncton
    assert "Nothing is overdue." in section(page(client, alice), "overdue")

    clock.move_to(datetime(2027, 2, 4, 4, 30, tzinfo=UTC))  # 4 Feb, 00:30 AST
    overdue = section(page(client, alice), "overdue")
    assert "The pilot milestone “Install sensors” is past due and not done" in overdue
    assert "Feb 3, 2027" in overdue
    assert f'href="/challenges/{active.challenge.reference}/pilot/"' in overdue
    assert "Kick-off" not in overdue
    assert "Never mind" not in overdue


# Upcoming deadlines ------------------------------------------------------------------------------


def test_deadlines_of_the_next_14_days_are_listed_soonest_first(client, clock, alice, frank):
    opening = published(alice, questions_in=2 * DAY, submission_in=14 * DAY, title="Opening")
    standstill = challenge_in("evaluating", owner=alice, title="Standing still")
    award_in(standstill, "standstill", recommended_by=alice, standstill_ends_at=START + 5 * DAY)
    scoring = challenge_in("evaluating", owner=alice, title="Scoring")
    panel_member(
        evaluation_in(scoring, "scoring"), frank, status="accepted", due_at=START + 3 * DAY
    )
    pilot = pilot_of(challenge_in("awarded", owner=alice, title="Piloting"), owner=alice)
    Milestone.objects.create(pilot=pilot, title="Install sensors", due_on=date(2027, 2, 9))
    # Just beyond the horizon, or already done: not listed.
    published(
        alice, questions_in=14 * DAY + timedelta(minutes=1), submission_in=40 * DAY, title="Later"
    )
    Milestone.objects.create(
        pilot=pilot, title="Done early", due_on=date(2027, 2, 10), done_on=date(2027, 2, 1)
    )

    upcoming = section(page(client, alice), "upcoming")

    rows = table_rows(upcoming)
    kinds = [re.search(r'class="upcoming-([a-z_]+)"', row).group(1) for row in rows]
    assert kinds == [
        "questions_deadline",
        "scores_due",
        "standstill_end",
        "milestone_due",
        "submission_deadline",
    ]
    # The questions deadline, in the municipality's zone.
    assert "Feb 3, 2027, 12:00\u202fp.m. AST" in rows[0]
    assert "Scores due from frank" in rows[1]
    assert "Pilot milestone “Install sensors”" in rows[3]
    assert "Feb 9, 2027" in rows[3]
    assert opening.reference in rows[4]
    assert "Feb 15, 2027, 12:00\u202fp.m. AST" in rows[4]  # exactly 14 days ahead: still listed
    assert "Later" not in upcoming
    assert "Done early" not in upcoming
    assert "Times are shown in America/Moncton." in page(client, alice)


def test_a_deadline_moves_from_upcoming_to_past_with_time(client, clock, alice):
    challenge = published(alice, questions_in=2 * DAY, submission_in=20 * DAY)

    html = page(client, alice)
    assert "Questions deadline" in section(html, "upcoming")
    assert "Submission deadline" not in section(html, "upcoming")

    clock.move_to(START + 7 * DAY)
    upcoming = section(page(client, alice), "upcoming")
    assert "Questions deadline" not in upcoming
    assert "Submission deadline" in upcoming
    assert challenge.reference in upcoming


# Empty states ------------------------------------------------------------------------------------


def test_with_no_challenges_every_section_says_so(client, clock, alice):
    html = page(client, alice)

    assert "There are no challenges yet." in section(html, "pipeline-chart")
    assert "<svg" not in section(html, "pipeline-chart")
    assert "Nothing is overdue." in section(html, "overdue")
    assert "No deadline in the next 14 days." in section(html, "upcoming")
    for status, _label in Challenge.Status.choices:
        assert "No challenge in this stage." in section(html, f"stage-{status}")


def test_the_approver_sees_no_link_to_create_a_challenge_in_the_empty_state(client, db):
    approver = UserFactory(username="olivia", roles=["approver"])

    html = page(client, approver)

    assert "There are no challenges yet." in html
    assert reverse("challenges:create") not in section(html, "pipeline-chart")


# Queries -----------------------------------------------------------------------------------------


def fill_pipeline(count, *, owner, evaluator):
    """`count` challenges spread over every stage, with overdue and upcoming work on them."""
    statuses = [status for status, _label in Challenge.Status.choices]
    for index in range(count):
        status = statuses[index % len(statuses)]
        if status == "published":
            challenge = published(owner, questions_in=-DAY, submission_in=3 * DAY)
            QuestionFactory(challenge=challenge)
            continue
        challenge = challenge_in(status, owner=owner)
        if status == "evaluating":
            if index % 2:
                evaluation = evaluation_in(challenge, "scoring")
                panel_member(evaluation, evaluator, status="accepted", due_at=START - DAY)
            else:
                award_in(
                    challenge, "standstill", recommended_by=owner, standstill_ends_at=START + DAY
                )
        elif status == "awarded":
            pilot = pilot_of(challenge, owner=owner)
            Milestone.objects.create(pilot=pilot, title="Late", due_on=date(2027, 1, 25))
            Milestone.objects.create(pilot=pilot, title="Soon", due_on=date(2027, 2, 5))


@pytest.mark.parametrize("count", [5, 50])
def test_the_number_of_queries_does_not_grow_with_challenges(
    client, clock, alice, django_assert_num_queries, count
):
    fill_pipeline(count, owner=alice, evaluator=UserFactory(roles=["evaluator"]))
    client.force_login(alice)

    # Session, user, groups; stage counts, stage lists; five kinds overdue, four kinds upcoming;
    # the header's unread count.
    with django_assert_num_queries(15):
        response = client.get(URL)

    assert response.status_code == 200
    assert f"{count} challenges" in response.content.decode()
