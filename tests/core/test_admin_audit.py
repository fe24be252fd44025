"""Every admin edit is in the audit trail (add, change, delete, with the fields that changed),
sealed values never are, and the audit admin tells nothing about sealed proposals."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.db import transaction

from challenges.models import Department
from core.admin import AuditedAdminMixin
from core.audit import audit_change
from core.models import AuditEntry
from tests.factories import PriceEnvelopeFactory

pytestmark = pytest.mark.django_db


def changes(entry):
    return entry.metadata["changes"]


def test_every_admin_of_the_site_is_audited():
    # The project's own and those of the packages it uses (accounts, groups, sign-in lockouts).
    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdminMixin)
    ]
    assert unaudited == []
    assert "axes.AccessAttempt" in {model._meta.label for model in admin.site._registry}


def test_a_department_added_changed_and_deleted_in_the_admin_is_recorded(client, root):
    client.force_login(root)

    client.post(
        "/admin/challenges/department/add/", {"name": "Public Works", "slug": "public-works"}
    )
    department = Department.objects.get(slug="public-works")
    client.post(
        f"/admin/challenges/department/{department.pk}/change/",
        {"name": "Public Works and Transit", "slug": "public-works"},
    )
    client.post(f"/admin/challenges/department/{department.pk}/delete/", {"post": "yes"})

    added, changed, deleted = AuditEntry.objects.filter(content_type__model="department")
    assert not Department.objects.filter(pk=department.pk).exists()
    assert [e.transition for e in (added, changed, deleted)] == ["create", "update", "delete"]
    assert {e.actor for e in (added, changed, deleted)} == {root}
    assert changes(added)["name"] == {"before": None, "after": "Public Works"}
    assert changes(changed) == {
        "name": {"before": "Public Works", "after": "Public Works and Transit"}
    }
    assert changes(deleted)["name"] == {"before": "Public Works and Transit", "after": None}


def test_a_refused_admin_edit_records_nothing(client, root, challenge):
    client.force_login(root)
    set_published = challenge.__class__.objects.filter(pk=challenge.pk)
    set_published.update(status="published")

    # A published challenge cannot be deleted from the admin.
    response = client.post(f"/admin/challenges/challenge/{challenge.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert not AuditEntry.objects.exists()


def test_a_role_change_in_the_admin_is_recorded(client, root):
    from django.contrib.auth.models import Group, Permission

    staff = Group.objects.get(name="staff")
    before = sorted(str(pk) for pk in staff.permissions.values_list("pk", flat=True))
    added = Permission.objects.exclude(pk__in=before).order_by("pk").first()
    client.force_login(root)

    response = client.post(
        f"/admin/auth/group/{staff.pk}/change/",
        {"name": "staff", "permissions": [*before, str(added.pk)]},
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(content_type__model="group")
    assert (entry.actor, entry.object_id) == (root, str(staff.pk))
    assert changes(entry) == {
        "permissions": {"before": before, "after": sorted([*before, str(added.pk)])}
    }


def test_sealed_values_are_never_written_into_an_entry(alice):
    envelope = PriceEnvelopeFactory(amount=Decimal("98000.00"))

    with transaction.atomic():
        entry = audit_change(
            obj=envelope,
            actor=alice,
            action="update",
            changes={"amount": ("98000.00", "87000.00")},
        )

    assert changes(entry) == {"amount": {"withheld": True}}
    assert "98000" not in str(entry.metadata) and "87000" not in str(entry.metadata)


def test_a_password_is_never_written_into_an_entry(alice, root):
    with transaction.atomic():
        entry = audit_change(
            obj=alice, actor=root, action="update", changes={"password": ("md5$a", "md5$b")}
        )

    assert changes(entry) == {"password": {"withheld": True}}


def test_the_audit_admin_shows_no_sequence_numbers_nor_digests(client, root, challenge, alice):
    from challenges import services

    services.challenge_update(challenge=challenge, actor=alice, title="Warmer homes")
    entry = AuditEntry.objects.get()
    client.force_login(root)

    changelist = client.get("/admin/core/auditentry/").content.decode()
    detail = client.get(f"/admin/core/auditentry/{entry.pk}/change/").content.decode()

    assert "Warmer homes" in detail
    for page in (changelist, detail):
        assert "column-sequence" not in page
        assert entry.digest not in page
        assert "previous_digest" not in page
    assert client.get("/admin/core/auditchainhead/").status_code == 404


def test_a_password_set_in_the_admin_is_recorded_without_its_value(client, root, rita):
    client.force_login(root)
    old_hash = rita.password

    response = client.post(
        f"/admin/auth/user/{rita.pk}/password/",
        {"password1": "A-much-longer-passphrase-42", "password2": "A-much-longer-passphrase-42"},
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(content_type__model="user")
    assert (entry.actor, entry.object_id) == (root, str(rita.pk))
    assert changes(entry) == {"password": {"withheld": True}}
    rita.refresh_from_db()
    assert rita.password != old_hash and old_hash not in str(entry.metadata)
