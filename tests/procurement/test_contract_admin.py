"""Contracts in the admin: shown with their terms, the state never editable, a draft's wording
corrected with an audit entry, a signed contract left as it was signed."""

from core.models import AuditEntry
from procurement.models import Contract
from procurement.services import contract as services
from tests.procurement.contract_fixtures import *  # noqa: F403  (fixtures)


def change_url(contract):
    return f"/admin/procurement/contract/{contract.pk}/change/"


def form_data(contract, **changes):
    terms = list(contract.terms.order_by("order", "pk"))
    data = {
        "value": str(contract.value or ""),
        "currency": contract.currency,
        "starts_on": contract.starts_on or "",
        "ends_on": contract.ends_on or "",
        "signed_on": contract.signed_on or "",
        "terms-TOTAL_FORMS": str(len(terms)),
        "terms-INITIAL_FORMS": str(len(terms)),
        "terms-MIN_NUM_FORMS": "0",
        "terms-MAX_NUM_FORMS": "1000",
    }
    for n, term in enumerate(terms):
        data.update(
            {
                f"terms-{n}-id": str(term.pk),
                f"terms-{n}-contract": str(contract.pk),
                f"terms-{n}-order": str(term.order),
                f"terms-{n}-topic": term.topic,
                f"terms-{n}-text": term.text,
            }
        )
        if term.confidential:
            data[f"terms-{n}-confidential"] = "on"
    data.update(changes)
    return data


def test_the_admin_lists_and_shows_contracts_with_their_terms(client, root, contract):
    client.force_login(root)

    assert client.get("/admin/procurement/contract/").status_code == 200
    page = client.get(change_url(contract))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Household energy use" in text
    assert 'name="status"' not in text
    assert client.get("/admin/procurement/contract/add/").status_code == 403


def test_a_draft_term_corrected_in_the_admin_is_audited(client, root, contract):
    client.force_login(root)
    first = contract.terms.order_by("order", "pk").first()

    response = client.post(
        change_url(contract), form_data(contract, **{"terms-0-text": "Corrected wording."})
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.text == "Corrected wording."
    entry = AuditEntry.objects.filter(
        content_type__model="contractterm", object_id=str(first.pk), transition="update"
    ).get()
    assert entry.actor == root
    assert entry.metadata["changes"]["text"]["after"] == "Corrected wording."


def test_a_signed_contract_stays_as_signed(client, root, ready_to_sign, alice):
    signed = services.contract_sign(contract=ready_to_sign, actor=alice)
    client.force_login(root)

    text = client.get(change_url(signed)).content.decode()

    assert 'name="value"' not in text
    assert 'name="terms-0-text"' not in text
    signed.refresh_from_db()
    assert signed.status == Contract.Status.SIGNED
