import pytest
from django.contrib.auth.models import AnonymousUser

from core.errors import InvalidInput, PermissionDenied
from core.roles import group_names
from tests.factories import UserFactory, valid_business_number
from vendors import services
from vendors.models import VendorMembership, VendorOrganization
from vendors.validators import luhn_valid

pytestmark = pytest.mark.django_db

BN = valid_business_number(1)


def registration(**overrides):
    data = {
        "legal_name": "Maritime Home Energy Inc.",
        "operating_name": "MHE",
        "business_number": f"{BN[:3]} {BN[3:6]}-{BN[6:]} rt 0001",
        "street_address": "  77   King Street ",
        "city": "Fredericton",
        "province": "NB",
        "postal_code": "e3b1a1",
        "website": "https://mhe.example.ca",
        "size": "small",
        "is_local_business": True,
        "women_owned": True,
    }
    data.update(overrides)
    return data


def test_it_registers_an_organization_and_makes_the_actor_its_owner(rita):
    vendor = services.vendor_register(actor=rita, **registration())

    vendor.refresh_from_db()
    assert vendor.business_number == BN
    assert vendor.program_account == "RT0001"
    assert vendor.postal_code == "E3B 1A1"
    assert vendor.street_address == "77 King Street"
    assert vendor.women_owned is True and vendor.indigenous_owned is False
    membership = VendorMembership.objects.get(vendor=vendor)
    assert (membership.user, membership.role) == (rita, "owner")
    rita.refresh_from_db()
    assert "vendor" in group_names(rita)


def test_the_vendor_role_lets_a_new_member_ask_questions(rita, published_challenge):
    from core.permissions import can

    assert not can(rita, "challenges.ask_question", published_challenge)
    services.vendor_register(actor=rita, **registration())
    rita.refresh_from_db()
    assert can(rita, "challenges.ask_question", published_challenge)


def test_it_refuses_anonymous_registration():
    with pytest.raises(PermissionDenied):
        services.vendor_register(actor=AnonymousUser(), **registration())
    assert VendorOrganization.objects.count() == 0


def test_it_refuses_a_business_number_already_registered_however_it_is_written(rita, dave):
    services.vendor_register(actor=rita, **registration())

    with pytest.raises(InvalidInput) as refused:
        services.vendor_register(
            actor=dave, **registration(legal_name="Another Name Ltd.", business_number=BN)
        )

    assert "business_number" in refused.value.field_errors
    assert VendorOrganization.objects.count() == 1
    assert not VendorMembership.objects.filter(user=dave).exists()


def test_it_refuses_a_legal_name_already_registered_in_another_case(rita, dave):
    services.vendor_register(actor=rita, **registration())

    with pytest.raises(InvalidInput) as refused:
        services.vendor_register(
            actor=dave,
            **registration(
                legal_name="MARITIME  home energy inc.",
                business_number=valid_business_number(2),
            ),
        )

    assert "legal name is registered" in refused.value.field_errors["legal_name"][0]
    assert VendorOrganization.objects.count() == 1


@pytest.mark.parametrize(
    "business_number",
    [
        "123456789",  # wrong check digit
        "12345678",  # too short
        "12345678X",
        "",
        f"{BN}XX12",  # program account must be two letters and four digits
    ],
)
def test_it_refuses_an_invalid_business_number(rita, business_number):
    assert not luhn_valid("123456789")

    with pytest.raises(InvalidInput) as refused:
        services.vendor_register(actor=rita, **registration(business_number=business_number))

    assert list(refused.value.field_errors) == ["business_number"]
    assert VendorOrganization.objects.count() == 0
    assert not VendorMembership.objects.exists()


@pytest.mark.parametrize("postal_code", ["E3B1A", "D3B 1A1", "E3B 1AA", "12345", "W1A 0AX"])
def test_it_refuses_an_invalid_postal_code(rita, postal_code):
    with pytest.raises(InvalidInput) as refused:
        services.vendor_register(actor=rita, **registration(postal_code=postal_code))

    assert "postal_code" in refused.value.field_errors
    assert VendorOrganization.objects.count() == 0


def test_it_refuses_a_postal_code_from_another_province(rita):
    with pytest.raises(InvalidInput) as refused:
        services.vendor_register(actor=rita, **registration(postal_code="K1A 0B1"))

    assert "not in New Brunswick" in refused.value.field_errors["postal_code"][0]


def test_it_reports_every_bad_field_at_once(rita):
    with pytest.raises(InvalidInput) as refused:
        services.vendor_register(
            actor=rita,
            **registration(business_number="1", postal_code="nope", legal_name="", size="huge"),
        )

    assert {"business_number", "postal_code", "legal_name", "size"} <= set(
        refused.value.field_errors
    )


def test_it_refuses_fields_that_cannot_be_set(rita):
    with pytest.raises(InvalidInput):
        services.vendor_register(actor=rita, **registration(public_id="x"))


def test_an_owner_updates_the_organization(acme, dave):
    services.vendor_update(vendor=acme, actor=dave, city="Moncton", postal_code="e1c 4b5")

    acme.refresh_from_db()
    assert (acme.city, acme.postal_code) == ("Moncton", "E1C 4B5")


def test_a_plain_member_cannot_update_the_organization(acme):
    member = UserFactory(username="mia")
    VendorMembership.objects.create(vendor=acme, user=member, role="member")

    with pytest.raises(PermissionDenied):
        services.vendor_update(vendor=acme, actor=member, city="Moncton")

    acme.refresh_from_db()
    assert acme.city == "Fredericton"


def test_an_update_may_keep_its_own_legal_name_in_another_case(acme, dave):
    services.vendor_update(vendor=acme, actor=dave, legal_name=acme.legal_name.upper())

    acme.refresh_from_db()
    assert acme.legal_name == "ACME HEAT SOLUTIONS LTD."
