import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from challenges.models import (
    Addendum,
    Challenge,
    CommunityInput,
    Department,
    EngagementActivity,
    Question,
    ReferenceCounter,
)
from procurement.audit import audit_verify
from procurement.management.commands.seed_demo import DEMO_PASSWORD
from procurement.models import AuditEntry

COUNTED = [
    get_user_model(),
    Group,
    Department,
    Challenge,
    EngagementActivity,
    CommunityInput,
    Question,
    Addendum,
    ReferenceCounter,
    AuditEntry,
]


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


def printed_logins(output: str) -> list[tuple[str, str]]:
    table = output.split("Demo logins", 1)[1]
    rows = re.findall(r"^\s+(\S+)\s+(\S+)\s+\S.*$", table, flags=re.MULTILINE)
    return [row for row in rows if row[0] != "Username"]


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.mark.django_db
def test_it_loads_a_challenge_in_every_stage_so_far():
    seed()

    statuses = set(Challenge.objects.values_list("status", flat=True))
    assert statuses == {
        "draft",
        "co_design",
        "in_review",
        "approved",
        "published",
        "closed",
        "cancelled",
    }
    assert Challenge.objects.filter(title__icontains="winter accessibility").get().status == (
        "co_design"
    )
    assert Challenge.objects.filter(title__icontains="energy poverty").get().status == "published"


@pytest.mark.django_db
def test_running_it_twice_creates_nothing_new():
    seed()
    first = row_counts()

    output = seed()

    assert row_counts() == first
    assert "0 created, 7 already present" in output
    assert first["Challenge"] == 7


@pytest.mark.django_db
def test_the_printed_logins_can_sign_in(client):
    output = seed()
    logins = printed_logins(output)

    assert {username for username, _password in logins} == {
        "staff",
        "staff2",
        "approver",
        "evaluator",
        "vendor",
        "vendor2",
        "resident",
        "admin",
    }
    for username, password in logins:
        assert password == DEMO_PASSWORD
        assert client.login(username=username, password=password), username
        client.logout()


@pytest.mark.django_db
def test_the_printed_logins_work_again_after_a_password_was_changed(client):
    seed()
    vendor = get_user_model().objects.get(username="vendor")
    vendor.set_password("someone-changed-it")
    vendor.save()

    seed()

    assert client.login(username="vendor", password=DEMO_PASSWORD)


@pytest.mark.django_db
def test_each_demo_account_holds_its_role():
    seed()
    users = {u.username: u for u in get_user_model().objects.prefetch_related("groups")}

    def groups(username):
        return {g.name for g in users[username].groups.all()}

    assert groups("staff") == {"staff"}
    assert groups("staff2") == {"staff"}
    assert groups("approver") == {"staff", "approver"}
    assert groups("evaluator") == {"evaluator"}
    assert groups("vendor") == groups("vendor2") == {"vendor"}
    assert groups("resident") == set()
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert not any(users[name].is_superuser for name in users if name != "admin")


@pytest.mark.django_db
def test_the_audit_trail_records_the_steps_as_the_people_who_took_them():
    seed()
    approved = Challenge.objects.get(status="approved")
    entries = AuditEntry.objects.filter(object_id=str(approved.pk), content_type__model="challenge")

    assert list(entries.values_list("transition", "actor_label")) == [
        ("open_co_design", approved.owner.username),
        ("submit_for_review", approved.owner.username),
        ("approve", "approver"),
    ]
    count, breaks = audit_verify()
    assert count == AuditEntry.objects.count() > 0
    assert breaks == []


@pytest.mark.django_db
def test_no_demo_challenge_was_approved_by_its_owner():
    seed()
    approved = Challenge.objects.filter(approved_by__isnull=False)

    assert approved.count() == 4  # approved, published, closed, cancelled after publication
    assert all(c.approved_by_id != c.owner_id for c in approved)


@pytest.mark.django_db
def test_the_co_design_challenge_has_activities_and_moderated_input():
    seed()
    challenge = Challenge.objects.get(status="co_design")

    kinds = set(challenge.engagement_activities.values_list("kind", flat=True))
    assert kinds == {"workshop", "survey", "pop_up"}
    inputs = set(challenge.community_inputs.values_list("status", flat=True))
    assert inputs == {"pending", "published"}


@pytest.mark.django_db
def test_the_open_challenge_has_questions_and_issued_addenda():
    seed()
    challenge = Challenge.objects.get(status="published")

    statuses = list(challenge.questions.values_list("status", flat=True))
    assert statuses.count("answered") == 2
    assert statuses.count("submitted") == 1
    assert statuses.count("dismissed") == 1
    addenda = challenge.addenda.filter(status="issued").order_by("number")
    assert list(addenda.values_list("number", flat=True)) == [1, 2]
    # The second addendum moved the submission deadline; the challenge carries the new date.
    assert challenge.submission_deadline == addenda[1].new_submission_deadline


@pytest.mark.django_db
def test_the_closed_challenge_is_consistent_history():
    seed()
    challenge = Challenge.objects.get(status="closed")

    assert challenge.published_at < challenge.questions_deadline < challenge.submission_deadline
    assert challenge.closed_at == challenge.submission_deadline
    assert not challenge.questions.filter(status="submitted").exists()


@pytest.mark.django_db
def test_the_board_shows_the_demo_challenges(client):
    seed()

    response = client.get(reverse("challenges:board"))

    assert response.status_code == 200
    content = response.content.decode()
    for challenge in Challenge.objects.all():
        if challenge.is_public:
            assert challenge.title in content
        else:
            assert challenge.title not in content
    assert "Energy management for households in energy poverty" in content


@pytest.mark.django_db
def test_staff_see_every_demo_challenge_on_the_board(client):
    seed()
    client.login(username="staff", password=DEMO_PASSWORD)

    response = client.get(reverse("challenges:board"))

    assert response.status_code == 200
    content = response.content.decode()
    for title in Challenge.objects.values_list("title", flat=True):
        assert title in content


@pytest.mark.django_db
def test_it_refuses_to_run_without_debug_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="published password"):
        call_command("seed_demo", stdout=StringIO())

    assert not get_user_model().objects.filter(username="admin").exists()
    assert not Challenge.objects.exists()


@pytest.mark.django_db
def test_it_runs_with_debug_on(settings):
    settings.DEBUG = True

    call_command("seed_demo", stdout=StringIO())

    assert Challenge.objects.count() == 7
