"""The staff, resident and vendor forms: good input is saved, bad input is shown back with errors
and nothing is saved."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from challenges.models import Addendum, Challenge, CommunityInput, EngagementActivity, Question
from tests.factories import AddendumFactory, set_status

pytestmark = pytest.mark.django_db


def local_input(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def statement(dept, **changes):
    data = {
        "title_en": "Safer crossings near schools",
        "summary_en": "Children cross busy streets.",
        "department": dept.pk,
        "problem_en": "Drivers do not slow down near three schools.",
        "context_en": "Wide arterial roads.",
        "desired_outcomes_en": "Fewer near misses.",
        "constraints": "",
        "success_measures_en": "Measured speeds fall by 10 km/h.",
        "affected_communities": "Families in the north end.",
        "budget_min": "20000",
        "budget_max": "80000",
    }
    data.update(changes)
    return data


# --- create and edit the statement -------------------------------------------------------------


def test_staff_create_a_draft_challenge_they_own(client, alice, department):
    client.force_login(alice)

    response = client.post(reverse("challenges:create"), statement(department))

    challenge = Challenge.objects.get()
    assert response.status_code == 302
    assert response.url == challenge.get_absolute_url()
    assert challenge.owner == alice
    assert challenge.status == Challenge.Status.DRAFT
    assert challenge.title == "Safer crossings near schools"
    assert challenge.budget_max == 80000


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"title_en": ""},
            "title_en",
            "Title: write it in English, in French or in both.",
        ),
        ({"department": ""}, "department", "This field is required."),
        ({"budget_min": "-5"}, "budget_min", "The budget cannot be negative."),
        ({"budget_max": "abc"}, "budget_max", "Enter a number."),
        (
            {"budget_min": "900", "budget_max": "100"},
            None,
            "The budget range must start below where it ends.",
        ),
    ],
)
def test_bad_input_on_create_is_shown_and_nothing_is_saved(
    client, alice, department, changes, field, message
):
    client.force_login(alice)

    response = client.post(reverse("challenges:create"), statement(department, **changes))

    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors[field] if field else form.non_field_errors()
    assert message in errors
    assert "Please correct the following" in response.content.decode()
    assert Challenge.objects.count() == 0


def test_the_owner_edits_the_statement(client, alice, challenge, department):
    client.force_login(alice)

    response = client.post(
        reverse("challenges:edit", args=[challenge.reference]),
        statement(department, title_en="Warmer homes for tenants"),
    )

    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.title == "Warmer homes for tenants"
    assert challenge.problem == "Drivers do not slow down near three schools."


def test_a_negative_budget_on_edit_is_refused_and_nothing_changes(
    client, alice, challenge, department
):
    client.force_login(alice)
    before = (challenge.title, challenge.budget_min)

    response = client.post(
        reverse("challenges:edit", args=[challenge.reference]),
        statement(department, title="Changed", budget_min="-1"),
    )

    assert response.status_code == 200
    assert "The budget cannot be negative." in response.context["form"].errors["budget_min"]
    # The page header still shows the stored title, not the rejected input.
    assert f"{challenge.reference} {before[0]}" in response.content.decode()
    challenge.refresh_from_db()
    assert (challenge.title, challenge.budget_min) == before


# --- timeline ----------------------------------------------------------------------------------


def test_the_timeline_is_read_in_the_municipality_zone(client, alice, challenge):
    client.force_login(alice)

    response = client.post(
        reverse("challenges:timeline", args=[challenge.reference]),
        # January is Atlantic Standard Time (UTC-4); July is Atlantic Daylight Time (UTC-3).
        {"questions_deadline": "2031-01-15T14:00", "submission_deadline": "2031-07-15T14:00"},
    )

    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.questions_deadline == datetime(2031, 1, 15, 18, 0, tzinfo=UTC)
    assert challenge.submission_deadline == datetime(2031, 7, 15, 17, 0, tzinfo=UTC)


def test_the_timeline_form_shows_the_stored_dates_in_local_time(client, alice, challenge):
    Challenge.objects.filter(pk=challenge.pk).update(
        questions_deadline=datetime(2031, 1, 15, 18, 0, tzinfo=UTC),
        submission_deadline=datetime(2031, 7, 15, 17, 0, tzinfo=UTC),
    )
    client.force_login(alice)

    response = client.get(reverse("challenges:timeline", args=[challenge.reference]))

    html = response.content.decode()
    assert 'value="2031-01-15T14:00"' in html
    assert 'value="2031-07-15T14:00"' in html


@pytest.mark.parametrize(
    ("questions", "submission", "field", "message"),
    [
        (40, 20, "questions_deadline", "must come before the submission deadline"),
        (-1, 20, "questions_deadline", "Choose a moment in the future."),
        (None, 20, "questions_deadline", "This field is required."),
        ("garbage", 20, "questions_deadline", "Enter a valid date/time."),
    ],
)
def test_an_invalid_timeline_is_shown_with_errors_and_not_saved(
    client, alice, challenge, questions, submission, field, message
):
    before = (challenge.questions_deadline, challenge.submission_deadline)
    now = timezone.now()
    if isinstance(questions, int):
        questions = local_input(now + timedelta(days=questions))
    client.force_login(alice)

    response = client.post(
        reverse("challenges:timeline", args=[challenge.reference]),
        {
            "questions_deadline": questions or "",
            "submission_deadline": local_input(now + timedelta(days=submission)),
        },
    )

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    challenge.refresh_from_db()
    assert (challenge.questions_deadline, challenge.submission_deadline) == before


def test_a_timeline_too_short_for_publication_is_saved_with_a_warning(client, alice, challenge):
    client.force_login(alice)
    now = timezone.now()

    response = client.post(
        reverse("challenges:timeline", args=[challenge.reference]),
        {
            "questions_deadline": local_input(now + timedelta(days=2)),
            "submission_deadline": local_input(now + timedelta(days=5)),
        },
        follow=True,
    )

    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert "Timeline saved." in messages
    assert any("must be at least 14 days away" in m for m in messages)
    challenge.refresh_from_db()
    assert challenge.submission_deadline > now + timedelta(days=4)


# --- co-design ---------------------------------------------------------------------------------


def activity(**changes):
    data = {
        "kind": "workshop",
        "held_on": "2026-05-04",
        "participants": "18",
        "groups_reached": "Seniors' centre",
        # The summary is written in either official language, or both.
        "summary_en": "Bus stops matter more than benches.",
    }
    data.update(changes)
    return data


def test_the_owner_records_an_engagement_activity(client, alice, co_design_challenge):
    client.force_login(alice)
    url = reverse("challenges:activity_add", args=[co_design_challenge.reference])

    response = client.post(url, activity())

    assert response.status_code == 302
    assert response.url.endswith("#engagement")
    recorded = EngagementActivity.objects.filter(challenge=co_design_challenge).latest("id")
    assert (recorded.participants, recorded.recorded_by) == (18, alice)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"participants": "0"}, "participants"),
        ({"summary_en": "", "summary_fr": ""}, "summary_en"),
        ({"kind": "x"}, "kind"),
    ],
)
def test_a_bad_engagement_activity_is_refused(client, alice, co_design_challenge, changes, field):
    client.force_login(alice)
    before = EngagementActivity.objects.count()

    response = client.post(
        reverse("challenges:activity_add", args=[co_design_challenge.reference]),
        activity(**changes),
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert EngagementActivity.objects.count() == before


def test_empty_community_input_is_shown_back_on_the_challenge_page(
    client, rita, co_design_challenge
):
    client.force_login(rita)

    response = client.post(
        reverse("challenges:input_add", args=[co_design_challenge.reference]),
        {"kind": "idea", "body": ""},
    )

    assert response.status_code == 200
    assert response.context["input_form"].errors["body"] == ["This field is required."]
    assert "Please correct the following" in response.content.decode()
    assert CommunityInput.objects.count() == 0


# --- questions and addenda ---------------------------------------------------------------------


def test_an_empty_question_is_shown_back_and_not_saved(client, dave, published_challenge):
    client.force_login(dave)

    response = client.post(
        reverse("challenges:question_ask", args=[published_challenge.reference]), {"body": " "}
    )

    assert response.status_code == 200
    assert response.context["question_form"].errors["body"]
    assert Question.objects.count() == 0


def test_a_question_after_the_deadline_is_refused_with_the_time_it_closed(
    client, dave, published_challenge
):
    Challenge.objects.filter(pk=published_challenge.pk).update(
        questions_deadline=timezone.now() - timedelta(hours=1)
    )
    client.force_login(dave)

    page = client.get(published_challenge.get_absolute_url())
    response = client.post(
        reverse("challenges:question_ask", args=[published_challenge.reference]),
        {"body": "Is it too late?"},
    )

    assert "The question period closed at" in page.content.decode()
    assert page.context["question_form"] is None
    assert response.status_code == 200
    assert "questions can no longer be asked" in " ".join(
        response.context["question_form"].non_field_errors()
    )
    assert Question.objects.count() == 0


def test_the_owner_drafts_an_addendum_then_issues_it_with_its_new_dates(
    client, alice, published_challenge
):
    client.force_login(alice)
    new_deadline = timezone.now().replace(second=0, microsecond=0) + timedelta(days=40)

    created = client.post(
        reverse("challenges:addendum_add", args=[published_challenge.reference]),
        {
            "title_en": "More time",
            "body_en": "The submission deadline moves.",
            "new_submission_deadline": local_input(new_deadline),
        },
    )
    addendum = Addendum.objects.get(challenge=published_challenge)
    assert created.status_code == 302
    assert addendum.status == Addendum.Status.DRAFT

    issued = client.post(
        reverse("challenges:addendum_issue", args=[published_challenge.reference, addendum.pk]),
        {"confirmed": "yes"},
        follow=True,
    )

    assert issued.status_code == 200
    assert "Addendum 1 issued." in [str(m) for m in issued.context["messages"]]
    addendum.refresh_from_db()
    published_challenge.refresh_from_db()
    assert (addendum.status, addendum.number) == (Addendum.Status.ISSUED, 1)
    assert published_challenge.submission_deadline == new_deadline


def test_an_addendum_without_a_title_is_refused(client, alice, published_challenge):
    client.force_login(alice)

    response = client.post(
        reverse("challenges:addendum_add", args=[published_challenge.reference]),
        {"title_en": "", "title_fr": " ", "body_en": "Something"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["title_en"] == [
        "Title: write it in English, in French or in both."
    ]
    assert Addendum.objects.count() == 0


def test_an_addendum_that_leaves_too_little_time_is_not_issued(client, alice, published_challenge):
    addendum = AddendumFactory(
        challenge=published_challenge, new_submission_deadline=timezone.now() + timedelta(days=3)
    )
    client.force_login(alice)

    page = client.get(published_challenge.get_absolute_url())
    response = client.post(
        reverse("challenges:addendum_issue", args=[published_challenge.reference, addendum.pk]),
        follow=True,
    )

    html = page.content.decode()
    assert "must be at least 14 days away" in html
    assert (
        reverse("challenges:addendum_issue", args=[published_challenge.reference, addendum.pk])
        not in html
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("must be at least 14 days away" in m for m in messages)
    addendum.refresh_from_db()
    published_challenge.refresh_from_db()
    assert addendum.status == Addendum.Status.DRAFT
    assert published_challenge.submission_deadline != addendum.new_submission_deadline


def test_the_closed_state_refuses_a_new_addendum_page(client, alice, published_challenge):
    set_status(published_challenge, "closed")
    client.force_login(alice)

    response = client.get(reverse("challenges:addendum_add", args=[published_challenge.reference]))

    assert response.status_code == 403
