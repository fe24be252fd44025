"""Bad input to the vendor API answers 400 with field errors, stores nothing, never fails."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import valid_business_number
from tests.vendors.conftest import PDF_BYTES, pdf
from vendors.models import (
    PriceEnvelope,
    Proposal,
    ProposalAnswer,
    ProposalDocument,
    VendorInvitation,
    VendorMembership,
    VendorOrganization,
)

pytestmark = pytest.mark.django_db

MODELS = [
    VendorOrganization,
    VendorMembership,
    VendorInvitation,
    Proposal,
    ProposalAnswer,
    ProposalDocument,
    PriceEnvelope,
]


def snapshot():
    rows = {m.__name__: list(m.objects.order_by("pk").values()) for m in MODELS}
    media = Path(settings.MEDIA_ROOT)
    rows["files"] = sorted(str(p) for p in media.rglob("*")) if media.exists() else []
    return rows


def assert_refused(response, before, *fields):
    assert response.status_code == 400, response.content
    data = response.json()
    assert data, "a refusal says why"
    for field in fields:
        assert data.get(field), f"no error for {field}: {data}"
    assert snapshot() == before


@pytest.fixture
def client(api_as, dave):
    return api_as(dave)


def _url(proposal, suffix=""):
    return f"/api/proposals/{proposal.public_id}/{suffix}"


# Registration

VENDOR = {
    "legal_name": "Brightwater Analytics Ltd.",
    "business_number": valid_business_number(4242),
    "street_address": "9 King Street",
    "city": "Moncton",
    "province": "NB",
    "postal_code": "E1C 4M2",
    "size": "micro",
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"legal_name": "ACME HEAT SOLUTIONS LTD."}, "legal_name"),
        ({"business_number": "acme"}, "business_number"),
        ({"business_number": "123456789"}, "business_number"),
        ({"business_number": "12345678"}, "business_number"),
        ({"business_number": valid_business_number(1) + "XX12"}, "business_number"),
        ({"postal_code": "H0H 0H0"}, "postal_code"),
        ({"postal_code": "12345"}, "postal_code"),
        ({"province": "ZZ"}, "province"),
        ({"size": "huge"}, "size"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"legal_name": "nul\x00byte"}, "legal_name"),
        ({"legal_name": ["a", "list"]}, "legal_name"),
        ({"legal_name": "x" * 201}, "legal_name"),
        ({"is_local_business": "perhaps"}, "is_local_business"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_it_refuses_a_registration_with_a_bad_field(api_as, rita, acme, change, field):
    before = snapshot()

    response = api_as(rita).post("/api/vendors/", {**VENDOR, **change}, format="json")

    assert_refused(response, before, field)


def test_it_refuses_a_duplicate_registration_by_business_number(api_as, rita, acme):
    before = snapshot()

    response = api_as(rita).post(
        "/api/vendors/",
        {**VENDOR, "business_number": acme.formatted_business_number},
        format="json",
    )

    assert_refused(response, before, "business_number")
    assert "already" in response.json()["detail"] or "registered" in response.json()["detail"]


def test_it_names_each_missing_field_of_a_registration(api_as, rita):
    before = snapshot()

    response = api_as(rita).post("/api/vendors/", {}, format="json")

    assert_refused(
        response,
        before,
        "legal_name",
        "business_number",
        "street_address",
        "city",
        "province",
        "postal_code",
        "size",
    )


def test_it_refuses_malformed_json(api_as, rita):
    before = snapshot()

    response = api_as(rita).post(
        "/api/vendors/", '{"legal_name": "unterminated', content_type="application/json"
    )

    assert_refused(response, before)
    assert "JSON" in response.json()["detail"]


# Members and invitations


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"email": "someone@example.org", "role": "king"}, "role"),
        ({}, "email"),
    ],
)
def test_it_refuses_an_invitation_with_bad_input(client, acme, body, field):
    before = snapshot()

    response = client.post(f"/api/vendors/{acme.public_id}/invitations/", body, format="json")

    assert_refused(response, before, field)


def test_it_refuses_an_invitation_to_someone_already_a_member(client, acme, dave):
    before = snapshot()

    response = client.post(
        f"/api/vendors/{acme.public_id}/invitations/", {"email": dave.email}, format="json"
    )

    assert_refused(response, before, "email")


@pytest.mark.parametrize("token", ["", "x" * 201, "no-such-token"])
def test_it_refuses_an_invitation_token_that_is_not_valid(api_as, rita, acme, token):
    before = snapshot()

    response = api_as(rita).post("/api/invitations/accept/", {"token": token}, format="json")

    assert_refused(response, before)


def test_it_refuses_an_unknown_role(client, acme, dave):
    own = VendorMembership.objects.get(vendor=acme, user=dave)
    before = snapshot()

    response = client.patch(
        f"/api/vendors/{acme.public_id}/members/{own.pk}/", {"role": "king"}, format="json"
    )

    assert_refused(response, before, "role")


# Starting and answering


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, ("challenge", "vendor")),
        ({"challenge": "RVB-2099-999", "vendor": "not-a-uuid"}, ("vendor",)),
        ({"challenge": "x" * 40, "vendor": "8a4b0f4e-0000-4000-8000-000000000000"}, ("challenge",)),
    ],
)
def test_it_refuses_to_start_a_proposal_with_bad_input(client, acme, body, fields):
    before = snapshot()

    response = client.post("/api/proposals/", body, format="json")

    assert_refused(response, before, *fields)


def test_it_refuses_to_start_a_proposal_for_someone_elses_organization(
    client, published_challenge, globex
):
    before = snapshot()

    response = client.post(
        "/api/proposals/",
        {"challenge": published_challenge.reference, "vendor": str(globex.public_id)},
        format="json",
    )

    assert_refused(response, before, "vendor")


@pytest.mark.parametrize(
    "answers",
    [
        [{"question": 999999, "text": "Not a question of this challenge."}],
        "not a list",
        [],
        [{"question": "one", "text": "x"}],
        [{"question": 1, "text": "x" * 50001}],
        [{"question": 1, "text": "a"}, {"question": 1, "text": "b"}],
    ],
    ids=["unknown question", "not a list", "empty", "not a number", "too long", "twice"],
)
def test_it_refuses_bad_answers(client, draft, answers):
    before = snapshot()

    response = client.patch(_url(draft), {"answers": answers}, format="json")

    assert response.status_code == 400, response.content
    data = response.json()
    assert data.get("answers") or any(key.startswith("answer_") for key in data), data
    assert snapshot() == before


# The price


@pytest.mark.parametrize(
    "body",
    [
        {"amount": "-1"},
        {"amount": -0.01},
        {"amount": "a lot"},
        {"amount": "NaN"},
        {"amount": "Infinity"},
        {"amount": "12.345"},
        {"amount": "1e15"},
        {"amount": None},
        {"amount": True},
        {},
        {"amount": "100", "breakdown": [{"label": "Labour", "amount": "-100"}]},
        {"amount": "100", "breakdown": [{"label": "", "amount": "100"}]},
        {"amount": "100", "breakdown": "everything"},
        {"amount": "100", "breakdown": [{"label": "Labour", "amount": "x"}]},
    ],
    ids=lambda body: repr(body)[:60],
)
def test_it_refuses_a_price_that_is_negative_or_not_a_number(client, draft, body):
    before = snapshot()

    response = client.put(_url(draft, "price/"), body, format="json")

    assert response.status_code == 400, response.content
    data = response.json()
    assert data.get("amount") or data.get("breakdown"), data
    assert snapshot() == before


# Documents

EXECUTABLE = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64


@pytest.mark.parametrize(
    ("upload", "field", "words"),
    [
        (lambda: SimpleUploadedFile("plan.pdf", b""), "file", "empty"),
        (lambda: SimpleUploadedFile("plan.pdf", EXECUTABLE), "file", "not an accepted type"),
        (lambda: SimpleUploadedFile("photo.png", b"MZ\x90\x00\x03" + b"\x00" * 60), "file", None),
        (lambda: SimpleUploadedFile("...", PDF_BYTES), "file", "name"),
        (lambda: pdf("big.pdf", PDF_BYTES + b"0" * 200), "file", "at most"),
    ],
    ids=["empty", "executable named pdf", "exe named png", "no name left", "oversized"],
)
def test_it_refuses_a_bad_document(client, draft, settings, upload, field, words):
    settings.VENDOR_DOCUMENT_MAX_BYTES = 128
    before = snapshot()

    response = client.post(
        _url(draft, "documents/"), {"title": "Appendix", "file": upload()}, format="multipart"
    )

    assert_refused(response, before, field)
    if words:
        assert words in response.json()["detail"]


def test_it_refuses_a_document_without_a_title_or_a_file(client, draft):
    before = snapshot()

    response = client.post(_url(draft, "documents/"), {"title": ""}, format="multipart")

    assert_refused(response, before, "title", "file")


def test_it_refuses_a_document_sent_as_json(client, draft):
    before = snapshot()

    response = client.post(
        _url(draft, "documents/"), {"title": "Appendix", "file": "JVBERi0xLjc="}, format="json"
    )

    assert_refused(response, before, "file")


@pytest.mark.parametrize(
    ("name", "stored_as"),
    [
        ("../../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\plan.pdf", "plan.pdf"),
        ("/absolute/path/plan.pdf", "plan.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("plan.pdf\x00.exe", None),
        ("résumé<script>.pdf", None),
    ],
)
def test_a_path_in_a_file_name_never_reaches_the_disk(client, draft, name, stored_as):
    response = client.post(
        _url(draft, "documents/"),
        {"title": "Appendix", "file": SimpleUploadedFile(name, PDF_BYTES)},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    document = ProposalDocument.objects.get(public_id=response.json()["id"])
    if stored_as:
        assert document.original_name == stored_as
    for forbidden in ("/", "\\", "\x00", "<", ">"):
        assert forbidden not in document.original_name
    assert document.original_name.endswith(".pdf")
    stored = Path(document.file.path).resolve()
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve() / "proposals")
    assert stored.parent.name == str(draft.public_id)
    assert stored.read_bytes() == PDF_BYTES
