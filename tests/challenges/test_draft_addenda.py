"""Draft addenda: the page says whether one changes the terms; the owner may change or delete a
draft until it is issued, never after; nobody else may, whatever their role."""

import pytest
from django.urls import reverse

from challenges import services
from challenges.models import Addendum
from core.errors import PermissionDenied, TransitionRefused
from core.models import AuditEntry
from tests.factories import AddendumFactory, UserFactory, set_status

pytestmark = pytest.mark.django_db

NEW = {
    "title_en": "Hosting region",
    "body_en": "Hosting must be in Canada.",
    "changes_terms": "on",
    "new_questions_deadline": "",
    "new_submission_deadline": "",
}


@pytest.fixture
def draft(published_challenge):
    return AddendumFactory(challenge=published_challenge, changes_terms=False)


@pytest.fixture
def issued(published_challenge, alice):
    addendum = AddendumFactory(challenge=published_challenge, title="Issued one")
    return services.addendum_issue(addendum=addendum, actor=alice)


def edit_url(addendum):
    return reverse("challenges:addendum_edit", args=[addendum.challenge.reference, addendum.pk])


def delete_url(addendum):
    return reverse("challenges:addendum_delete", args=[addendum.challenge.reference, addendum.pk])


# What the page shows


def test_the_owner_reads_whether_each_draft_changes_the_terms(client, alice, published_challenge):
    AddendumFactory(challenge=published_challenge, title="Material", changes_terms=True)
    AddendumFactory(challenge=published_challenge, title="Clarifying", changes_terms=False)
    client.force_login(alice)

    html = client.get(published_challenge.get_absolute_url()).content.decode()

    assert "<strong>Changes the terms</strong>" in html
    assert "Does not change the terms: submitted proposals stand as they are." in html
    assert "Edit the draft “Material”" in html
    assert "Delete the draft “Clarifying”" in html


def test_other_staff_see_the_drafts_without_edit_or_delete(client, bob, draft):
    client.force_login(bob)

    html = client.get(draft.challenge.get_absolute_url()).content.decode()

    assert "Edit the draft" not in html
    assert "Delete the draft" not in html


# Editing


def test_the_owner_changes_a_draft_and_the_change_is_audited(client, alice, draft):
    client.force_login(alice)

    response = client.post(edit_url(draft), NEW)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.body, draft.changes_terms) == (
        "Hosting region",
        "Hosting must be in Canada.",
        True,
    )
    assert draft.status == Addendum.Status.DRAFT
    entry = AuditEntry.objects.filter(transition="update", object_id=str(draft.pk)).get()
    assert entry.actor == alice
    assert entry.metadata["changes"]["changes_terms"] == {"before": False, "after": True}


def test_the_edit_form_starts_from_the_draft(client, alice, draft):
    client.force_login(alice)

    html = client.get(edit_url(draft)).content.decode()

    assert "Edit a draft addendum" in html
    assert draft.title in html and draft.body in html


def test_a_draft_without_a_title_is_refused_and_nothing_changes(client, alice, draft):
    client.force_login(alice)

    response = client.post(edit_url(draft), {**NEW, "title_en": ""})

    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    draft.refresh_from_db()
    assert draft.title == "Clarification of the data residency requirement"


@pytest.mark.parametrize("persona", ["bob", "carol", "dave", "frank", "rita", "root"])
def test_nobody_but_the_owner_changes_or_deletes_a_draft(client, request, draft, persona):
    client.force_login(request.getfixturevalue(persona))

    edit = client.post(edit_url(draft), NEW)
    delete = client.post(delete_url(draft))

    assert edit.status_code in (403, 404)
    assert delete.status_code in (403, 404)
    draft.refresh_from_db()
    assert draft.title == "Clarification of the data residency requirement"


def test_anonymous_readers_are_sent_to_sign_in(client, draft):
    assert client.post(delete_url(draft)).status_code == 302
    assert Addendum.objects.filter(pk=draft.pk).exists()


def test_an_issued_addendum_cannot_be_changed_or_deleted_on_the_page(client, alice, issued):
    client.force_login(alice)

    assert client.get(edit_url(issued)).status_code == 403
    assert client.post(edit_url(issued), NEW).status_code == 403
    assert client.post(delete_url(issued)).status_code == 403
    issued.refresh_from_db()
    assert (issued.title, issued.status) == ("Issued one", Addendum.Status.ISSUED)


def test_the_services_refuse_an_issued_addendum_with_a_sentence(alice, issued):
    with pytest.raises(TransitionRefused, match="Addendum 1 is issued"):
        services.addendum_update(addendum=issued, actor=alice, title="Rewritten")
    with pytest.raises(TransitionRefused, match="Addendum 1 is issued"):
        services.addendum_delete(addendum=issued, actor=alice)

    issued.refresh_from_db()
    assert issued.title == "Issued one"


def test_a_draft_issued_in_another_tab_is_not_changed_by_a_stale_edit(alice, draft):
    stale = Addendum.objects.get(pk=draft.pk)
    services.addendum_issue(addendum=draft, actor=alice)

    with pytest.raises(TransitionRefused):
        services.addendum_update(addendum=stale, actor=alice, title="Too late")

    draft.refresh_from_db()
    assert draft.status == Addendum.Status.ISSUED
    assert draft.title == "Clarification of the data residency requirement"


def test_a_service_call_by_other_staff_is_refused(bob, draft):
    with pytest.raises(PermissionDenied):
        services.addendum_update(addendum=draft, actor=bob, title="Not mine")
    with pytest.raises(PermissionDenied):
        services.addendum_delete(addendum=draft, actor=bob)


def test_unknown_fields_are_refused(alice, draft):
    with pytest.raises(Exception, match="cannot be set here"):
        services.addendum_update(addendum=draft, actor=alice, status="issued")
    draft.refresh_from_db()
    assert draft.status == Addendum.Status.DRAFT


# Deleting


def test_the_owner_deletes_a_draft_and_the_history_keeps_it(client, alice, draft):
    client.force_login(alice)

    response = client.post(delete_url(draft))

    assert response.status_code == 302
    assert not Addendum.objects.filter(pk=draft.pk).exists()
    entry = AuditEntry.objects.get(transition="delete", object_id=str(draft.pk))
    assert entry.metadata["changes"]["title_en"]["before"] == draft.title


def test_deleting_a_draft_needs_a_post(client, alice, draft):
    client.force_login(alice)

    assert client.get(delete_url(draft)).status_code == 405
    assert Addendum.objects.filter(pk=draft.pk).exists()


def test_a_draft_of_a_closed_challenge_can_still_be_deleted_by_its_owner(alice, draft):
    set_status(draft.challenge, "closed")

    services.addendum_delete(addendum=draft, actor=alice)

    assert not Addendum.objects.filter(pk=draft.pk).exists()


def test_an_owner_who_left_staff_cannot_change_a_draft(draft, alice):
    alice.groups.clear()
    former = UserFactory._meta.model.objects.get(pk=alice.pk)

    with pytest.raises(PermissionDenied):
        services.addendum_update(addendum=draft, actor=former, title="After leaving")
