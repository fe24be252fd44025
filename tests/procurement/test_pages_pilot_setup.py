"""Setting a pilot up from its page: the owner plans it once the award is final, agrees its
milestones (and marks them done) and its outcome indicators, and sees why it cannot start yet.
Nobody else sees the forms or can post them."""

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import get_default_timezone

from core.errors import InvalidInput
from procurement.models import Milestone, OutcomeIndicator, Pilot
from procurement.services import award as award_services
from procurement.services import pilot as services
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

OTHERS = ["bob", "carol", "dave", "erin", "frank", "grace", "rita", "root"]


@pytest.fixture
def notified(decided, frank, carol, alice):
    award = award_services.award_recommend(evaluation=decided.evaluation, actor=frank)
    award_services.award_approve(award=award, actor=carol)
    return award_services.award_notify(award=award, actor=alice)


@pytest.fixture
def final_award(notified, alice):
    with time_machine.travel(notified.standstill_ends_at, tick=False):
        award_services.award_finalise(award=notified, actor=alice)
    notified.refresh_from_db()
    return notified


@pytest.fixture
def pilot(final_award, alice):
    return services.pilot_create(award=final_award, actor=alice)


@pytest.fixture
def milestone(pilot, alice):
    return services.milestone_add(
        pilot=pilot,
        actor=alice,
        title="Install in 20 homes",
        due_on=timezone.localdate() + timedelta(30),
    )


@pytest.fixture
def ready(milestone, pilot, alice):
    services.indicator_add(
        pilot=pilot,
        actor=alice,
        name="Average energy burden",
        unit="% of income",
        baseline=Decimal("8.5"),
        target=Decimal("6"),
    )
    return pilot


def as_persona(client, request, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))


def page(challenge):
    return reverse("procurement:pilot", kwargs={"reference": challenge.reference})


def plan_url(challenge):
    return reverse("procurement:pilot_plan", kwargs={"reference": challenge.reference})


def milestone_url(pilot):
    return reverse("procurement:milestone_add", kwargs={"reference": pilot.challenge.reference})


def done_url(milestone):
    return reverse(
        "procurement:milestone_mark_done",
        kwargs={"reference": milestone.pilot.challenge.reference, "milestone_id": milestone.pk},
    )


def indicator_url(pilot):
    return reverse("procurement:indicator_add", kwargs={"reference": pilot.challenge.reference})


def award_page(challenge):
    return reverse("procurement:award", kwargs={"reference": challenge.reference})


def row(text, milestone):
    """The table row of one milestone, as HTML."""
    match = re.search(rf'<tr id="milestone-{milestone.pk}">(.*?)</tr>', text, re.S)
    assert match, f"no row for {milestone}"
    return match.group(1)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


INDICATOR = {
    "name": "Households in energy poverty",
    "unit": "households",
    "baseline": "120",
    "target": "80",
    "success_measure": "Fewer households spend over 6% of income on energy.",
}


# Planning the pilot ------------------------------------------------------------------------------


def test_the_owner_sees_a_plan_form_once_the_award_is_final(client, final_award, alice):
    client.force_login(alice)
    response = client.get(page(final_award.challenge))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Plan the pilot" in text
    assert f'action="{plan_url(final_award.challenge)}"' in text
    assert 'name="starts_on"' in text and 'name="ends_on"' in text


@pytest.mark.parametrize("persona", [*OTHERS, "anonymous"])
def test_nobody_else_finds_a_page_before_the_pilot_exists(client, request, final_award, persona):
    as_persona(client, request, persona)

    assert client.get(page(final_award.challenge)).status_code == 404


def test_the_owner_finds_no_plan_form_before_the_award_is_final(client, notified, alice):
    client.force_login(alice)

    assert client.get(page(notified.challenge)).status_code == 404
    assert client.post(plan_url(notified.challenge), {}).status_code == 404
    assert not Pilot.objects.exists()


def test_the_owner_plans_the_pilot_with_its_dates(client, final_award, alice):
    client.force_login(alice)
    response = client.post(
        plan_url(final_award.challenge),
        {"starts_on": "2027-05-01", "ends_on": "2027-10-31"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == page(final_award.challenge)
    assert any("The pilot is planned" in m for m in messages_of(response))
    pilot = Pilot.objects.get()
    assert pilot.award == final_award
    assert pilot.status == Pilot.Status.PLANNED
    assert (pilot.starts_on, pilot.ends_on) == (date(2027, 5, 1), date(2027, 10, 31))


def test_the_dates_of_a_plan_are_optional(client, final_award, alice):
    client.force_login(alice)
    response = client.post(plan_url(final_award.challenge), {"starts_on": "", "ends_on": ""})

    assert response.status_code == 302
    pilot = Pilot.objects.get()
    assert (pilot.starts_on, pilot.ends_on) == (None, None)


def test_a_pilot_cannot_end_before_it_starts(client, final_award, alice):
    client.force_login(alice)
    response = client.post(
        plan_url(final_award.challenge), {"starts_on": "2027-05-01", "ends_on": "2027-04-30"}
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "error-summary" in text
    assert "cannot end before it starts" in text
    assert "Choose a date on or after the start date." in text
    assert not Pilot.objects.exists()


def test_a_plan_with_a_date_that_is_not_a_date_shows_the_form_again(client, final_award, alice):
    client.force_login(alice)
    response = client.post(plan_url(final_award.challenge), {"starts_on": "soon"})

    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not Pilot.objects.exists()


def test_planning_a_second_pilot_is_refused_with_a_message(client, pilot, alice):
    client.force_login(alice)
    response = client.post(plan_url(pilot.challenge), {}, follow=True)

    assert "This award already has a pilot." in messages_of(response)
    assert Pilot.objects.count() == 1


@pytest.mark.parametrize("persona", OTHERS)
def test_nobody_but_the_owner_plans_the_pilot(client, request, final_award, persona):
    as_persona(client, request, persona)

    assert client.post(plan_url(final_award.challenge), {}).status_code == 404
    assert not Pilot.objects.exists()


def test_an_anonymous_plan_is_sent_to_sign_in(client, final_award):
    response = client.post(plan_url(final_award.challenge), {})

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Pilot.objects.exists()


def test_the_award_page_leads_the_owner_to_plan_then_open_the_pilot(client, final_award, alice):
    client.force_login(alice)
    text = client.get(award_page(final_award.challenge)).content.decode()
    assert f'href="{page(final_award.challenge)}"' in text
    assert "Plan the pilot" in text

    services.pilot_create(award=final_award, actor=alice)
    text = client.get(award_page(final_award.challenge)).content.decode()
    assert "Open the pilot" in text and "Plan the pilot" not in text


def test_the_award_page_offers_no_pilot_before_the_award_is_final(client, notified, alice):
    client.force_login(alice)
    text = client.get(award_page(notified.challenge)).content.decode()

    assert "Plan the pilot" not in text
    assert f'href="{page(notified.challenge)}"' not in text


@pytest.mark.parametrize("persona", ["carol", "frank"])
def test_the_award_page_offers_the_pilot_only_to_its_owner(client, request, final_award, persona):
    as_persona(client, request, persona)
    response = client.get(award_page(final_award.challenge))

    assert response.status_code == 200
    assert "Plan the pilot" not in response.content.decode()


# Milestones --------------------------------------------------------------------------------------


def test_the_owner_adds_a_milestone(client, pilot, alice):
    client.force_login(alice)
    due = timezone.localdate() + timedelta(days=14)
    response = client.post(
        milestone_url(pilot),
        {"title": "  Survey 50 homes ", "due_on": due.isoformat()},
        follow=True,
    )

    assert "Milestone added." in messages_of(response)
    milestone = pilot.milestones.get()
    assert (milestone.title, milestone.due_on, milestone.done_on) == ("Survey 50 homes", due, None)
    assert "Upcoming" in row(response.content.decode(), milestone)


def test_a_milestone_needs_a_title_and_a_due_date(client, pilot, alice):
    client.force_login(alice)
    response = client.post(milestone_url(pilot), {"title": "", "due_on": "next week"})

    assert response.status_code == 200
    text = response.content.decode()
    assert "error-summary" in text
    assert 'id="id_milestone_title_error"' in text and 'id="id_milestone_due_on_error"' in text
    assert not Milestone.objects.exists()


def test_milestones_show_done_late_or_upcoming_in_words(client, pilot, alice):
    today = timezone.localdate()
    late = services.milestone_add(
        pilot=pilot, actor=alice, title="Order heat pumps", due_on=today - timedelta(days=3)
    )
    upcoming = services.milestone_add(
        pilot=pilot, actor=alice, title="Install in 20 homes", due_on=today + timedelta(days=3)
    )
    done = services.milestone_add(
        pilot=pilot, actor=alice, title="Sign the agreement", due_on=today - timedelta(days=5)
    )
    services.milestone_mark_done(milestone=done, actor=alice, done_on=today - timedelta(days=6))
    done_late = services.milestone_add(
        pilot=pilot, actor=alice, title="Train the installers", due_on=today - timedelta(days=4)
    )
    services.milestone_mark_done(milestone=done_late, actor=alice, done_on=today)

    text = client.get(page(pilot.challenge)).content.decode()

    assert 'class="badge badge-late">Late<' in row(text, late)
    assert 'class="badge badge-upcoming">Upcoming<' in row(text, upcoming)
    done_row = row(text, done)
    assert 'class="badge badge-done">Done<' in done_row
    assert "after its due date" not in done_row
    late_row = row(text, done_late)
    assert 'class="badge badge-done">Done<' in late_row and "after its due date" in late_row


def test_the_owner_marks_a_milestone_done(client, milestone, alice):
    client.force_login(alice)
    today = timezone.localdate()
    response = client.post(done_url(milestone), {"done_on": today.isoformat()}, follow=True)

    assert "Milestone marked done: Install in 20 homes." in messages_of(response)
    milestone.refresh_from_db()
    assert milestone.done_on == today
    text = response.content.decode()
    assert "Done" in row(text, milestone)
    assert done_url(milestone) not in text


def test_a_milestone_cannot_be_done_in_the_future(client, milestone, alice):
    client.force_login(alice)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(done_url(milestone), {"done_on": tomorrow.isoformat()})

    assert response.status_code == 200
    text = response.content.decode()
    assert "cannot be done in the future" in text
    assert "Choose today or an earlier date." in text
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_the_service_refuses_a_done_date_in_the_future(milestone, alice):
    with pytest.raises(InvalidInput) as error:
        services.milestone_mark_done(
            milestone=milestone, actor=alice, done_on=timezone.localdate() + timedelta(days=1)
        )

    assert "done_on" in error.value.field_errors
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_a_done_milestone_needs_its_date(client, milestone, alice):
    client.force_login(alice)
    response = client.post(done_url(milestone), {"done_on": ""})

    assert response.status_code == 200
    assert f'id="id_done{milestone.pk}_done_on_error"' in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.done_on is None


def test_marking_a_milestone_done_twice_is_refused_with_a_message(client, milestone, alice):
    yesterday = timezone.localdate() - timedelta(days=1)
    services.milestone_mark_done(milestone=milestone, actor=alice, done_on=yesterday)
    client.force_login(alice)

    response = client.post(
        done_url(milestone), {"done_on": timezone.localdate().isoformat()}, follow=True
    )

    assert any("already marked done" in m for m in messages_of(response))
    milestone.refresh_from_db()
    assert milestone.done_on == yesterday


def test_today_is_the_municipalitys_day_when_a_milestone_is_marked_done(milestone, alice):
    # At 23:30 in the municipality's zone it is already the next day in UTC.
    evening = datetime.combine(milestone.due_on, time(23, 30), tzinfo=get_default_timezone())
    with time_machine.travel(evening, tick=False):
        with pytest.raises(InvalidInput):
            services.milestone_mark_done(
                milestone=milestone, actor=alice, done_on=milestone.due_on + timedelta(days=1)
            )
        services.milestone_mark_done(milestone=milestone, actor=alice, done_on=milestone.due_on)

    milestone.refresh_from_db()
    assert milestone.done_on == milestone.due_on


# Indicators --------------------------------------------------------------------------------------


def test_the_indicator_form_starts_from_the_challenges_success_measures(client, pilot, alice):
    client.force_login(alice)
    text = client.get(page(pilot.challenge)).content.decode()

    match = re.search(r'<textarea name="success_measure"[^>]*>(.*?)</textarea>', text, re.S)
    assert match
    assert match.group(1).strip() == pilot.challenge.success_measures


def test_the_owner_adds_an_outcome_indicator(client, pilot, alice):
    client.force_login(alice)
    response = client.post(indicator_url(pilot), INDICATOR, follow=True)

    assert "Outcome indicator added." in messages_of(response)
    indicator = OutcomeIndicator.objects.get()
    assert indicator.pilot == pilot
    assert (indicator.name, indicator.unit) == ("Households in energy poverty", "households")
    assert (indicator.baseline, indicator.target) == (Decimal(120), Decimal(80))
    assert indicator.success_measure == INDICATOR["success_measure"]
    assert "Households in energy poverty" in response.content.decode()


def test_an_indicator_needs_a_target_other_than_its_baseline(client, pilot, alice):
    client.force_login(alice)
    response = client.post(indicator_url(pilot), {**INDICATOR, "target": "120"})

    assert response.status_code == 200
    text = response.content.decode()
    assert "error-summary" in text and "The target must differ from the baseline." in text
    assert not OutcomeIndicator.objects.exists()


@pytest.mark.parametrize(
    "change", [{"name": ""}, {"unit": ""}, {"baseline": "many"}, {"success_measure": ""}]
)
def test_an_incomplete_indicator_shows_the_form_again(client, pilot, alice, change):
    client.force_login(alice)
    response = client.post(indicator_url(pilot), {**INDICATOR, **change})

    assert response.status_code == 200
    field = next(iter(change))
    assert f'id="id_indicator_{field}_error"' in response.content.decode()
    assert not OutcomeIndicator.objects.exists()


# Why the pilot cannot start yet ------------------------------------------------------------------


def test_the_owner_sees_why_the_pilot_cannot_start(client, pilot, alice):
    client.force_login(alice)
    text = client.get(page(pilot.challenge)).content.decode()

    assert "Before the pilot can start" in text
    assert "Agree at least one milestone" in text
    assert "Set at least one outcome indicator" in text
    assert reverse("procurement:pilot_step", args=[pilot.challenge.reference, "start"]) not in text


def test_the_start_problems_shrink_as_the_pilot_is_set_up(client, milestone, alice):
    client.force_login(alice)
    text = client.get(page(milestone.pilot.challenge)).content.decode()

    assert "Agree at least one milestone" not in text
    assert "Set at least one outcome indicator" in text


def test_a_ready_pilot_offers_start_instead_of_problems(client, ready, alice):
    client.force_login(alice)
    text = client.get(page(ready.challenge)).content.decode()

    assert "Before the pilot can start" not in text
    assert reverse("procurement:pilot_step", args=[ready.challenge.reference, "start"]) in text


# Once the pilot has ended ------------------------------------------------------------------------


@pytest.fixture
def ended(ready, alice):
    services.pilot_transition(pilot=ready, actor=alice, name="start")
    return services.pilot_end(
        pilot=ready, actor=alice, name="terminate", lessons_learned="Too few installers."
    )


def test_an_ended_pilot_shows_no_set_up_forms(client, ended, alice):
    client.force_login(alice)
    text = client.get(page(ended.challenge)).content.decode()

    assert milestone_url(ended) not in text
    assert indicator_url(ended) not in text
    assert done_url(ended.milestones.get()) not in text
    assert "Before the pilot can start" not in text


def test_an_ended_pilot_refuses_set_up_with_a_message(client, ended, alice):
    client.force_login(alice)
    milestone = ended.milestones.get()
    today = timezone.localdate().isoformat()
    posts = [
        (milestone_url(ended), {"title": "One more", "due_on": today}),
        (done_url(milestone), {"done_on": today}),
        (indicator_url(ended), INDICATOR),
    ]

    for url, data in posts:
        response = client.post(url, data, follow=True)
        assert "This pilot has ended; its record can no longer change." in messages_of(response)

    assert ended.milestones.count() == 1
    milestone.refresh_from_db()
    assert milestone.done_on is None
    assert ended.indicators.count() == 1


# Nobody but the owner ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [*OTHERS, "anonymous"])
def test_nobody_but_the_owner_sees_the_set_up_forms(client, request, milestone, persona):
    as_persona(client, request, persona)
    pilot = milestone.pilot
    response = client.get(page(pilot.challenge))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Install in 20 homes" in text
    assert milestone_url(pilot) not in text
    assert done_url(milestone) not in text
    assert indicator_url(pilot) not in text
    assert "Before the pilot can start" not in text


@pytest.mark.parametrize("persona", OTHERS)
def test_nobody_but_the_owner_sets_the_pilot_up(client, request, milestone, persona):
    as_persona(client, request, persona)
    pilot = milestone.pilot
    today = timezone.localdate().isoformat()

    assert client.post(milestone_url(pilot), {"title": "X", "due_on": today}).status_code == 404
    assert client.post(done_url(milestone), {"done_on": today}).status_code == 404
    assert client.post(indicator_url(pilot), INDICATOR).status_code == 404
    assert pilot.milestones.count() == 1
    milestone.refresh_from_db()
    assert milestone.done_on is None
    assert not OutcomeIndicator.objects.exists()


def test_anonymous_set_up_posts_are_sent_to_sign_in(client, milestone):
    pilot = milestone.pilot
    today = timezone.localdate().isoformat()
    posts = [
        (milestone_url(pilot), {"title": "X", "due_on": today}),
        (done_url(milestone), {"done_on": today}),
        (indicator_url(pilot), INDICATOR),
    ]

    for url, data in posts:
        response = client.post(url, data)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))

    assert pilot.milestones.count() == 1
    assert not OutcomeIndicator.objects.exists()


def test_a_milestone_of_no_such_pilot_is_not_found(client, milestone, alice):
    client.force_login(alice)
    url = reverse(
        "procurement:milestone_mark_done",
        kwargs={"reference": milestone.pilot.challenge.reference, "milestone_id": milestone.pk + 1},
    )

    assert client.post(url, {"done_on": timezone.localdate().isoformat()}).status_code == 404
