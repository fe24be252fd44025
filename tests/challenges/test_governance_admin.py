"""The data governance record in the admin: correctable while the statement may change, audited,
and only looked at once fixed with the statement."""

import pytest
from django.urls import reverse

from challenges.models import DataGovernanceRecord
from core.models import AuditEntry
from tests.factories import complete_governance, set_status

pytestmark = pytest.mark.django_db


def change_url(record):
    return reverse("admin:challenges_datagovernancerecord_change", args=[record.pk])


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


def test_the_list_and_the_change_page_open(admin_client, challenge):
    record = complete_governance(challenge)
    assert (
        admin_client.get(reverse("admin:challenges_datagovernancerecord_changelist")).status_code
        == 200
    )
    response = admin_client.get(change_url(record))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is True
    assert len(response.context["inline_admin_formsets"]) == 3


def _post_back(response, **changes):
    from tests.challenges.test_admin import form_data

    data = form_data(response)
    for inline in response.context["inline_admin_formsets"]:
        for form in inline.formset.forms:
            for name in form.fields:
                value = form[name].value()
                key = form.add_prefix(name)
                if isinstance(value, bool):
                    if value:
                        data[key] = "on"
                elif value is not None:
                    data[key] = value
    data.update(changes)
    return data


def test_an_edit_in_draft_is_saved_and_audited(admin_client, challenge, root):
    record = complete_governance(challenge)
    response = admin_client.get(change_url(record))

    saved = admin_client.post(
        change_url(record), _post_back(response, retention_period="Five years.")
    )

    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    record.refresh_from_db()
    assert record.retention_period == "Five years."
    entry = AuditEntry.objects.get(transition="update", object_id=str(record.pk))
    assert entry.actor == root
    assert entry.metadata["changes"]["retention_period"]["after"] == "Five years."


@pytest.mark.parametrize("state", ["in_review", "published"])
def test_once_fixed_the_record_is_view_only(admin_client, challenge, state):
    record = complete_governance(challenge)
    set_status(challenge, state)

    response = admin_client.get(change_url(record))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert admin_client.post(change_url(record), {"retention_period": "x"}).status_code == 403
    record.refresh_from_db()
    assert record.retention_period != "x"


def test_records_are_neither_added_nor_deleted_in_the_admin(admin_client, challenge):
    record = complete_governance(challenge)
    assert admin_client.get(reverse("admin:challenges_datagovernancerecord_add")).status_code == 403
    delete = reverse("admin:challenges_datagovernancerecord_delete", args=[record.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert DataGovernanceRecord.objects.filter(pk=record.pk).exists()
