"""The admin configures; it never runs a transition or rewrites the record (DESIGN.md §6)."""

import pytest
from django.forms import SplitDateTimeField
from django.urls import reverse

from challenges import services
from challenges.models import (
    Addendum,
    Challenge,
    CommunityInput,
    Department,
    EngagementActivity,
    Question,
    ReferenceCounter,
    ResponseQuestion,
)
from core.models import AuditChainHead, AuditEntry
from tests.factories import (
    AddendumFactory,
    ChallengeFactory,
    CommunityInputFactory,
    QuestionFactory,
    set_status,
)

MODELS = [
    Department,
    Challenge,
    EngagementActivity,
    CommunityInput,
    Question,
    Addendum,
    ReferenceCounter,
    ResponseQuestion,
    AuditEntry,
]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def form_data(response) -> dict:
    """The change form's current values as a browser would post them back."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, SplitDateTimeField):
            date, time = field.widget.decompress(value)
            data[f"{name}_0"] = date.isoformat() if date else ""
            data[f"{name}_1"] = time.isoformat() if time else ""
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    return data


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


@pytest.fixture
def one_of_each(published_challenge, alice, carol, dave, rita, department):
    """A row of every model, with a real audit trail from a service transition."""
    other = ChallengeFactory(owner=alice, department=department)
    services.challenge_transition(challenge=other, actor=alice, name="open_co_design")
    CommunityInputFactory(challenge=other, author=rita)
    QuestionFactory(challenge=published_challenge, asked_by=dave)
    AddendumFactory(challenge=published_challenge)
    ReferenceCounter.objects.create(prefix="RVB", year=2026, last_number=2)
    ResponseQuestion.objects.create(
        challenge=published_challenge, prompt="How will households without internet take part?"
    )
    assert all(model.objects.exists() for model in MODELS)
    return published_challenge


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_changelist_and_change_page_load_for_the_admin(admin_client, one_of_each, model):
    changelist = admin_client.get(admin_url(model, "changelist"))
    change = admin_client.get(admin_url(model, "change", model.objects.first().pk))

    assert changelist.status_code == 200
    assert change.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_the_changelist_search_and_status_filter_work(admin_client, one_of_each, model):
    obj = model.objects.first()
    model_admin = admin_client.get(admin_url(model, "changelist")).context["cl"].model_admin

    searched = admin_client.get(admin_url(model, "changelist"), {"q": "heat"})
    params = {"status__exact": obj.status} if "status" in model_admin.list_filter else {}
    filtered = admin_client.get(admin_url(model, "changelist"), params)

    assert searched.status_code == 200
    assert filtered.status_code == 200
    assert obj in filtered.context["cl"].result_list


@pytest.mark.django_db
def test_the_challenge_change_page_lists_its_records(admin_client, one_of_each):
    response = admin_client.get(admin_url(Challenge, "change", one_of_each.pk))

    content = response.content.decode()
    assert "Clarification of the data residency requirement" in content
    assert "Tenants&#x27; association" in content or "Tenants' association" in content


@pytest.mark.django_db
def test_it_does_not_let_the_admin_edit_a_challenge_status(admin_client, challenge):
    url = admin_url(Challenge, "change", challenge.pk)
    page = admin_client.get(url)
    assert "status" not in page.context["adminform"].form.fields
    data = form_data(page)
    data.update(status="published", title="Warmer homes for everyone")

    response = admin_client.post(url, data)

    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.title == "Warmer homes for everyone"
    assert challenge.status == Challenge.Status.DRAFT
    # The edit is on the record, the status is not part of it.
    entry = AuditEntry.objects.get()
    assert (entry.transition, entry.actor.username) == ("update", "root")
    assert entry.metadata["changes"]["title"] == {
        "before": page.context["original"].title,
        "after": "Warmer homes for everyone",
    }
    assert "status" not in entry.metadata["changes"]


@pytest.mark.django_db
def test_it_lets_the_admin_reassign_the_owner_of_a_published_challenge(
    admin_client, published_challenge, bob
):
    url = admin_url(Challenge, "change", published_challenge.pk)
    data = form_data(admin_client.get(url))
    original_problem = published_challenge.problem
    data.update(owner=bob.pk, problem="Rewritten after publication", status="cancelled")

    response = admin_client.post(url, data)

    assert response.status_code == 302
    published_challenge.refresh_from_db()
    assert published_challenge.owner == bob
    # After publication the statement changes only by addendum, and the state only by service.
    assert published_challenge.problem == original_problem
    assert published_challenge.status == Challenge.Status.PUBLISHED


@pytest.mark.django_db
def test_it_offers_only_staff_as_owners(admin_client, challenge, dave, bob):
    page = admin_client.get(admin_url(Challenge, "change", challenge.pk))
    owners = page.context["adminform"].form.fields["owner"].queryset

    assert bob in owners
    assert dave not in owners


@pytest.mark.django_db
def test_it_refuses_to_add_challenges_in_the_admin(admin_client, department):
    response = admin_client.get(admin_url(Challenge, "add"))

    assert response.status_code == 403
    assert not Challenge.objects.exists()


@pytest.mark.django_db
def test_it_lets_the_admin_delete_only_a_draft(admin_client, challenge, published_challenge):
    draft = ChallengeFactory(owner=challenge.owner, department=challenge.department)

    refused = admin_client.post(
        admin_url(Challenge, "delete", published_challenge.pk), {"post": "yes"}
    )
    allowed = admin_client.post(admin_url(Challenge, "delete", draft.pk), {"post": "yes"})

    assert refused.status_code == 403
    assert allowed.status_code == 302
    assert Challenge.objects.filter(pk=published_challenge.pk).exists()
    assert not Challenge.objects.filter(pk=draft.pk).exists()


@pytest.mark.django_db
def test_it_offers_no_transition_urls(admin_client, challenge):
    response = admin_client.post(
        f"{admin_url(Challenge, 'change', challenge.pk)}transition/publish/"
    )

    assert response.status_code in (302, 404)
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.DRAFT


@pytest.mark.django_db
def test_it_does_not_let_the_admin_moderate_community_input(
    admin_client, co_design_challenge, rita
):
    community_input = CommunityInputFactory(challenge=co_design_challenge, author=rita)
    url = admin_url(CommunityInput, "change", community_input.pk)

    response = admin_client.post(url, {"status": "published", "body": "Edited by the admin"})

    assert response.status_code == 403
    community_input.refresh_from_db()
    assert community_input.status == CommunityInput.Status.PENDING
    assert community_input.body != "Edited by the admin"


@pytest.mark.django_db
def test_it_does_not_let_the_admin_answer_a_question(admin_client, published_challenge, dave):
    question = QuestionFactory(challenge=published_challenge, asked_by=dave)

    response = admin_client.post(
        admin_url(Question, "change", question.pk), {"status": "answered", "answer": "Yes."}
    )

    assert response.status_code == 403
    question.refresh_from_db()
    assert question.status == Question.Status.SUBMITTED
    assert question.answer == ""


@pytest.mark.django_db
def test_it_does_not_let_the_admin_issue_an_addendum(admin_client, published_challenge):
    addendum = AddendumFactory(challenge=published_challenge)

    response = admin_client.post(admin_url(Addendum, "change", addendum.pk), {"status": "issued"})

    assert response.status_code == 403
    addendum.refresh_from_db()
    assert addendum.status == Addendum.Status.DRAFT
    assert addendum.number is None


@pytest.fixture
def audit_entry(challenge, alice):
    services.challenge_transition(challenge=challenge, actor=alice, name="open_co_design")
    return AuditEntry.objects.get()


@pytest.mark.django_db
def test_audit_entries_cannot_be_added_in_the_admin(admin_client, audit_entry):
    page = admin_client.get(admin_url(AuditEntry, "add"))
    posted = admin_client.post(admin_url(AuditEntry, "add"), {"transition": "publish"})

    assert page.status_code == 403
    assert posted.status_code == 403
    assert AuditEntry.objects.count() == 1


@pytest.mark.django_db
def test_audit_entries_cannot_be_changed_in_the_admin(admin_client, audit_entry):
    url = admin_url(AuditEntry, "change", audit_entry.pk)
    page = admin_client.get(url)

    response = admin_client.post(url, {"reason": "rewritten", "target": "published"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert response.status_code == 403
    stored = AuditEntry.objects.get(pk=audit_entry.pk)
    assert (stored.reason, stored.target, stored.digest) == ("", "co_design", audit_entry.digest)


@pytest.mark.django_db
def test_audit_entries_cannot_be_deleted_in_the_admin(admin_client, audit_entry):
    delete = admin_client.post(admin_url(AuditEntry, "delete", audit_entry.pk), {"post": "yes"})
    bulk = admin_client.post(
        admin_url(AuditEntry, "changelist"),
        {"action": "delete_selected", "_selected_action": [audit_entry.pk], "post": "yes"},
    )
    changelist = admin_client.get(admin_url(AuditEntry, "changelist"))

    assert delete.status_code == 403
    assert bulk.status_code == 200  # the admin answers "no action selected"
    assert "delete_selected" not in changelist.context["cl"].model_admin.get_actions(
        changelist.wsgi_request
    )
    assert AuditEntry.objects.filter(pk=audit_entry.pk).exists()


@pytest.mark.django_db
def test_the_audit_chain_head_is_not_in_the_admin(admin_client, audit_entry):
    head = AuditChainHead.objects.get()

    # Its entry count would tell, before a deadline, that proposals came in.
    response = admin_client.post(
        f"/admin/core/auditchainhead/{head.pk}/change/", {"last_sequence": 99, "last_digest": "x"}
    )

    assert response.status_code == 404
    head.refresh_from_db()
    assert (head.last_sequence, head.last_digest) == (1, audit_entry.digest)


@pytest.mark.django_db
def test_it_shows_the_status_without_a_field_to_change_it(admin_client, challenge):
    set_status(challenge, "in_review")

    response = admin_client.get(admin_url(Challenge, "change", challenge.pk))

    assert response.status_code == 200
    assert "In review" in response.content.decode()
    assert 'name="status"' not in response.content.decode()
