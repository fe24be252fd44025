"""The proposal pages: the editor saves drafts, documents go up and come down sealed, submission
names the deadline and is refused at it, receipts can be read and downloaded, and the vendor's
steps (withdraw, revise, re-confirm) are offered only when allowed."""

import hashlib
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.workflow import transition_run
from tests.factories import set_status
from tests.vendors.conftest import PDF_BYTES, pdf
from vendors import services
from vendors.models import PriceEnvelope, Proposal, ProposalAnswer, ProposalDocument

pytestmark = pytest.mark.django_db

# What the confirmation of a one-way step posts (test_one_way_steps.py asks first).
CONFIRMED = {"confirmed": "yes"}

# 14:00 in Moncton on 3 March 2027 (Atlantic Standard Time, UTC-4).
DEADLINE = datetime(2027, 3, 3, 18, 0, tzinfo=UTC)


def url(name, proposal, *args):
    return reverse(f"vendors:{name}", args=[proposal.public_id, *args])


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def stored_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def started(published_challenge, acme, dave, questions):
    """Acme's empty draft."""
    return services.proposal_start(challenge=published_challenge, vendor=acme, actor=dave)


@pytest.fixture
def as_dave(client, dave):
    client.force_login(dave)
    return client


def draft_data(questions, *, approach="Heat pumps for every home.", amount="98000.00", **extra):
    data = {
        f"answer_{questions[0].pk}": approach,
        f"answer_{questions[1].pk}": "Five engineers.",
        "amount": amount,
    }
    data.update(extra)
    return data


# --- starting and editing -----------------------------------------------------------------------


def test_a_vendor_starts_a_proposal_from_the_portal(as_dave, published_challenge, acme):
    response = as_dave.post(
        reverse("vendors:proposal_start", args=[published_challenge.reference]),
        {"vendor": str(acme.public_id)},
    )

    proposal = Proposal.objects.get(challenge=published_challenge, vendor=acme)
    assert response.status_code == 302
    assert response.url == url("proposal", proposal)
    assert proposal.status == Proposal.Status.DRAFT


def test_starting_a_second_proposal_is_refused_with_a_sentence(as_dave, started, acme):
    response = as_dave.post(
        reverse("vendors:proposal_start", args=[started.challenge.reference]),
        {"vendor": str(acme.public_id)},
        follow=True,
    )

    assert any("already has a proposal" in m for m in messages_of(response))
    assert Proposal.objects.filter(vendor=acme).count() == 1


def test_a_vendor_cannot_start_a_proposal_for_an_organization_it_does_not_belong_to(
    as_dave, published_challenge, globex
):
    response = as_dave.post(
        reverse("vendors:proposal_start", args=[published_challenge.reference]),
        {"vendor": str(globex.public_id)},
        follow=True,
    )

    assert "Choose one of your organizations." in messages_of(response)
    assert not Proposal.objects.exists()


def test_the_editor_shows_each_question_with_its_guidance_requirement_and_word_limit(
    as_dave, started, questions
):
    questions[0].guidance = "Say how homes are chosen."
    questions[0].save()

    response = as_dave.get(url("proposal", started))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Describe your approach" in html and "Describe your team" in html
    assert "Say how homes are chosen." in html
    assert "An answer is required before you submit." in html
    assert "Limit: 20 words." in html
    assert "Answer the required question “Describe your approach”." in html
    assert "Enter your price in the price envelope." in html
    assert "AST" in html or "ADT" in html


def test_save_draft_stores_answers_and_price_without_submitting(as_dave, started, questions):
    response = as_dave.post(
        url("proposal", started),
        draft_data(
            questions,
            line_0_label="Equipment",
            line_0_amount="90000",
            line_1_label="Training",
            line_1_amount="8000.00",
        ),
    )

    assert response.status_code == 302
    assert response.url == url("proposal", started)
    started.refresh_from_db()
    assert started.status == Proposal.Status.DRAFT
    assert ProposalAnswer.objects.get(proposal=started, question=questions[0]).text == (
        "Heat pumps for every home."
    )
    envelope = PriceEnvelope.objects.get(proposal=started)
    assert envelope.amount == Decimal("98000.00")
    assert envelope.breakdown == [
        {"label": "Equipment", "amount": "90000.00"},
        {"label": "Training", "amount": "8000.00"},
    ]


def test_save_draft_without_a_price_keeps_the_answers_and_asks_for_nothing_yet(
    as_dave, started, questions
):
    response = as_dave.post(url("proposal", started), draft_data(questions, amount=""))

    assert response.status_code == 302
    assert ProposalAnswer.objects.filter(proposal=started).count() == 2
    assert not PriceEnvelope.objects.filter(proposal=started).exists()


@pytest.mark.parametrize(
    "amount, message",
    [
        ("-5", "The total price cannot be negative."),
        ("a lot", "Enter the total price as a number of dollars, for example 125000.00."),
        ("12.345", "Enter the total price in dollars and cents (at most two decimals)."),
    ],
)
def test_a_bad_price_is_refused_on_the_form_and_nothing_is_stored(
    as_dave, started, questions, amount, message
):
    response = as_dave.post(url("proposal", started), draft_data(questions, amount=amount))

    assert response.status_code == 200
    assert message in response.context["form"].errors["amount"]
    assert message in response.content.decode()
    assert not PriceEnvelope.objects.filter(proposal=started).exists()
    # The answers posted with it are not kept either: one "Save draft" is one change.
    assert not ProposalAnswer.objects.filter(proposal=started).exists()


def test_a_breakdown_that_does_not_add_up_is_refused(as_dave, started, questions):
    response = as_dave.post(
        url("proposal", started),
        draft_data(questions, line_0_label="Equipment", line_0_amount="1000"),
    )

    assert response.status_code == 200
    assert any("make them match" in e for e in response.context["form"].non_field_errors())
    assert not PriceEnvelope.objects.filter(proposal=started).exists()


def test_clearing_a_saved_price_is_refused_rather_than_ignored(as_dave, draft, questions):
    response = as_dave.post(url("proposal", draft), draft_data(questions, amount=""))

    assert response.status_code == 200
    assert response.context["form"].errors["amount"] == ["Enter the total price."]
    assert PriceEnvelope.objects.get(proposal=draft).amount == Decimal("98000.00")


def test_a_submitted_proposal_shows_read_only_and_refuses_a_save(as_dave, submitted, questions):
    page = as_dave.get(url("proposal", submitted))
    assert page.status_code == 200
    assert page.context["editable"] is False
    assert 'name="amount"' not in page.content.decode()

    response = as_dave.post(url("proposal", submitted), draft_data(questions, approach="Changed"))

    assert response.status_code == 302
    assert any("only a draft can be changed" in m for m in messages_of(as_dave.get(response.url)))
    assert ProposalAnswer.objects.get(proposal=submitted, question=questions[0]).text == (
        "Heat pumps for all."
    )


# --- documents -----------------------------------------------------------------------------------


def upload(client, proposal, file, title="Work plan"):
    return client.post(url("document_upload", proposal), {"title": title, "file": file})


def test_a_document_is_uploaded_listed_and_downloaded_with_its_stored_name_and_type(
    as_dave, started
):
    response = upload(as_dave, started, pdf("plan.pdf"))

    assert response.status_code == 302
    document = ProposalDocument.objects.get(proposal=started)
    assert document.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    page = as_dave.get(url("proposal", started))
    html = page.content.decode()
    assert "plan.pdf" in html and document.sha256[:12] in html

    download = as_dave.get(reverse("vendors:document_download", args=[document.public_id]))

    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"


def test_an_oversized_file_is_refused_and_nothing_is_stored(as_dave, started, settings):
    settings.VENDOR_DOCUMENT_MAX_BYTES = 1024
    response = upload(as_dave, started, pdf(content=PDF_BYTES + b"0" * 1024))

    assert response.status_code == 200
    assert "files can be at most 1.0\xa0KB" in response.context["document_form"].errors["file"][0]
    assert not ProposalDocument.objects.exists()
    assert stored_files(settings) == []


def test_a_file_whose_content_is_not_its_name_is_refused(as_dave, started, settings):
    disguised = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00\x03" + b"\x00" * 64, "application/pdf")

    response = upload(as_dave, started, disguised)

    assert response.status_code == 200
    assert "not an accepted type" in response.context["document_form"].errors["file"][0]
    assert not ProposalDocument.objects.exists()
    assert stored_files(settings) == []


def test_an_empty_file_is_refused(as_dave, started, settings):
    response = upload(as_dave, started, SimpleUploadedFile("plan.pdf", b"", "application/pdf"))

    assert response.status_code == 200
    assert response.context["document_form"].errors["file"] == [
        "The file is empty; choose the file again."
    ]
    assert not ProposalDocument.objects.exists()
    assert stored_files(settings) == []


def test_a_missing_title_or_file_is_refused_with_the_services_words(as_dave, started):
    response = as_dave.post(url("document_upload", started), {"title": ""})

    assert response.status_code == 200
    errors = response.context["document_form"].errors
    assert errors["title"] == ["Give the document a title, for example “Work plan”."]
    assert errors["file"] == ["Choose a file to upload."]
    assert not ProposalDocument.objects.exists()


def raw_upload(client, proposal, filename, content=PDF_BYTES, title="Work plan"):
    """Post a file under exactly `filename`: the test client would strip folders itself."""
    boundary = "----vendorpagesboundary"
    disposition = f"--{boundary}\r\nContent-Disposition: form-data; "
    body = (
        (
            f'{disposition}name="title"\r\n\r\n{title}\r\n'
            f'{disposition}name="file"; filename="{filename}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return client.generic(
        "POST",
        url("document_upload", proposal),
        body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


@pytest.mark.parametrize(
    "filename",
    ["../../../etc/passwd.pdf", "..\\..\\etc\\passwd.pdf", "/etc/passwd.pdf"],
)
def test_path_tricks_in_a_file_name_never_reach_the_disk(as_dave, started, settings, filename):
    response = raw_upload(as_dave, started, filename)

    assert response.status_code == 302
    document = ProposalDocument.objects.get()
    assert document.original_name == "passwd.pdf"
    media = Path(settings.MEDIA_ROOT).resolve()
    files = stored_files(settings)
    assert files == [Path(document.file.path)]
    assert files[0].resolve().is_relative_to(media / "proposals" / str(started.public_id))
    assert "passwd" not in files[0].name


@pytest.mark.parametrize("filename", ["..", "../..", "..\\..", "/"])
def test_a_file_name_that_is_only_a_path_is_refused(as_dave, started, settings, filename):
    response = raw_upload(as_dave, started, filename)

    assert response.status_code == 200
    assert response.context["document_form"].errors["file"]
    assert not ProposalDocument.objects.exists()
    assert stored_files(settings) == []


def test_a_document_is_removed_from_a_draft_but_its_version_is_kept(as_dave, draft):
    document = draft.documents.get()

    response = as_dave.post(url("document_remove", draft, document.public_id))

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.removed_at is not None
    assert "work-plan.pdf" not in as_dave.get(url("proposal", draft)).content.decode()


def test_a_document_of_a_submitted_proposal_cannot_be_removed(as_dave, submitted):
    document = submitted.documents.get()

    response = as_dave.post(url("document_remove", submitted, document.public_id), follow=True)

    assert any("only a draft can be changed" in m for m in messages_of(response))
    document.refresh_from_db()
    assert document.removed_at is None


# --- submitting ----------------------------------------------------------------------------------


def test_the_confirmation_page_names_the_deadline_and_summarises_the_proposal(as_dave, draft):
    set_status(
        draft.challenge, "published", submission_deadline=datetime(2031, 7, 15, 17, 0, tzinfo=UTC)
    )

    response = as_dave.get(url("submit", draft))

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "The submission deadline is Jul 15, 2031, 2:00\u202fp.m. ADT; "
        "after it the proposal cannot be changed." in html
    )
    assert "work-plan.pdf" in html and "$98,000" in html
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT


def test_the_confirmation_page_lists_what_is_missing_instead_of_a_submit_button(as_dave, started):
    response = as_dave.get(url("submit", started))

    assert response.status_code == 200
    assert "Enter your price in the price envelope." in response.content.decode()
    assert b"Yes, submit the proposal</button>" not in response.content


def test_submitting_stores_the_receipt_and_shows_it(as_dave, draft, dave):
    response = as_dave.post(url("submit", draft), CONFIRMED)

    draft.refresh_from_db()
    assert response.status_code == 302
    assert response.url == url("receipt_latest", draft)
    assert draft.status == Proposal.Status.SUBMITTED
    receipt = draft.receipts.get()
    assert receipt.digest == draft.receipt_digest and len(receipt.digest) == 64
    page = as_dave.get(response.url)
    html = page.content.decode()
    assert receipt.digest in html
    assert hashlib.sha256(PDF_BYTES).hexdigest() in html


def test_an_incomplete_draft_is_refused_with_the_guards_sentences(as_dave, started):
    response = as_dave.post(url("submit", started), CONFIRMED, follow=True)

    assert "Enter your price in the price envelope." in messages_of(response)
    started.refresh_from_db()
    assert started.status == Proposal.Status.DRAFT
    assert not started.receipts.exists()


@pytest.fixture
def due_draft(draft):
    set_status(
        draft.challenge,
        "published",
        questions_deadline=DEADLINE - timedelta(days=10),
        submission_deadline=DEADLINE,
    )
    return draft


def test_the_page_accepts_a_submission_one_microsecond_before_the_deadline(client, due_draft, dave):
    with time_machine.travel(DEADLINE - timedelta(microseconds=1), tick=False):
        client.force_login(dave)
        response = client.post(url("submit", due_draft), CONFIRMED)

    assert response.status_code == 302
    assert response.url == url("receipt_latest", due_draft)
    due_draft.refresh_from_db()
    assert due_draft.status == Proposal.Status.SUBMITTED
    assert due_draft.submitted_at == DEADLINE - timedelta(microseconds=1)


def test_a_confirmation_page_left_open_is_refused_at_the_deadline(client, due_draft, dave):
    with time_machine.travel(DEADLINE - timedelta(minutes=5), tick=False):
        client.force_login(dave)
        page = client.get(url("submit", due_draft))
        assert b"Yes, submit the proposal</button>" in page.content

    with time_machine.travel(DEADLINE, tick=False):
        response = client.post(url("submit", due_draft), CONFIRMED, follow=True)

    assert messages_of(response) == [
        "The submission deadline passed at Mar 3, 2027, 2:00\u202fp.m. AST; "
        "proposals can no longer be submitted."
    ]
    due_draft.refresh_from_db()
    assert due_draft.status == Proposal.Status.DRAFT
    assert due_draft.receipt_digest == ""
    assert not due_draft.receipts.exists()


def test_a_draft_is_no_longer_editable_on_the_page_after_the_deadline(client, due_draft, dave):
    with time_machine.travel(DEADLINE, tick=False):
        client.force_login(dave)
        page = client.get(url("proposal", due_draft))
        assert page.context["editable"] is False
        assert "proposals can no longer be submitted" in page.content.decode()


# --- receipts ------------------------------------------------------------------------------------


def test_the_receipt_download_matches_the_stored_digest(as_dave, submitted):
    receipt = submitted.receipts.get()

    response = as_dave.get(url("receipt_download", submitted, 1))

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="receipt-{submitted.challenge.reference}-1.json"'
    )
    data = json.loads(response.content)
    assert data["digest"] == receipt.digest == submitted.receipt_digest
    assert data["documents"] == [
        {
            "title": "Work plan",
            "name": "work-plan.pdf",
            "size": len(PDF_BYTES),
            "sha256": hashlib.sha256(PDF_BYTES).hexdigest(),
        }
    ]
    canonical = json.dumps(
        data["content"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert hashlib.sha256(canonical.encode()).hexdigest() == receipt.digest


def test_receipts_are_numbered_per_proposal_and_the_latest_is_the_newest(as_dave, submitted, dave):
    services.proposal_withdraw(proposal=submitted, actor=dave)
    services.proposal_revise(proposal=submitted, actor=dave)
    services.proposal_submit(proposal=submitted, actor=dave)
    first, second = submitted.receipts.order_by("submitted_at")

    latest = as_dave.get(url("receipt_latest", submitted))
    earlier = as_dave.get(url("receipt", submitted, 1))
    missing = as_dave.get(url("receipt", submitted, 3))

    assert latest.context["receipt"] == second and latest.context["number"] == 2
    assert earlier.context["receipt"] == first
    assert missing.status_code == 404


def test_a_draft_never_submitted_has_no_receipt_page(as_dave, draft):
    assert as_dave.get(url("receipt_latest", draft)).status_code == 404


# --- withdraw, revise, re-confirm -----------------------------------------------------------------


def offered(response):
    return [step["name"] for step in response.context["steps"]]


def test_only_the_allowed_steps_are_offered(as_dave, draft, dave):
    assert offered(as_dave.get(url("proposal", draft))) == []
    services.proposal_submit(proposal=draft, actor=dave)
    assert offered(as_dave.get(url("proposal", draft))) == ["withdraw"]
    services.proposal_withdraw(proposal=draft, actor=dave)
    assert offered(as_dave.get(url("proposal", draft))) == ["revise"]


def test_a_vendor_withdraws_with_a_reason_then_revises(as_dave, submitted):
    response = as_dave.post(
        url("step", submitted, "withdraw"), {"reason": "Pricing error.", **CONFIRMED}
    )

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Proposal.Status.WITHDRAWN
    assert submitted.status_reason == "Pricing error."

    as_dave.post(url("step", submitted, "revise"))

    submitted.refresh_from_db()
    assert submitted.status == Proposal.Status.DRAFT
    assert submitted.receipt_digest == ""


def test_a_step_that_is_not_allowed_now_is_refused_with_a_sentence(as_dave, draft):
    response = as_dave.post(url("step", draft, "withdraw"), follow=True)

    assert messages_of(response)
    draft.refresh_from_db()
    assert draft.status == Proposal.Status.DRAFT


def test_an_unknown_step_is_not_found(as_dave, submitted):
    assert as_dave.post(url("step", submitted, "receive")).status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Proposal.Status.SUBMITTED


def test_withdrawing_is_refused_at_the_deadline(client, due_draft, dave):
    with time_machine.travel(DEADLINE - timedelta(hours=1), tick=False):
        services.proposal_submit(proposal=due_draft, actor=dave)
    with time_machine.travel(DEADLINE, tick=False):
        client.force_login(dave)
        response = client.post(url("step", due_draft, "withdraw"), CONFIRMED, follow=True)

    assert any("submission deadline passed" in m for m in messages_of(response))
    due_draft.refresh_from_db()
    assert due_draft.status == Proposal.Status.SUBMITTED


def test_reconfirming_after_an_addendum_names_it_and_issues_a_new_receipt(as_dave, submitted):
    transition_run(
        instance=submitted,
        name="require_reconfirmation",
        actor=None,
        reason="Addendum 1 changed the terms or dates.",
    )

    page = as_dave.get(url("proposal", submitted))
    assert "Addendum 1 changed the terms or dates." in page.content.decode()
    assert sorted(offered(page)) == ["reconfirm", "withdraw"]

    response = as_dave.post(url("step", submitted, "reconfirm"))

    assert response.status_code == 302
    assert response.url == url("receipt_latest", submitted)
    submitted.refresh_from_db()
    assert submitted.status == Proposal.Status.SUBMITTED
    assert submitted.receipts.count() == 2


def test_a_limited_answer_carries_what_the_running_word_count_needs(as_dave, started, questions):
    response = as_dave.get(url("proposal", started))

    html = response.content.decode()
    assert f'id="id_answer_{questions[0].pk}"' in html
    assert 'data-max-words="20"' in html
    assert 'data-words-within="{count} of {limit} words"' in html
    # Only the limited question gets a count.
    assert html.count("data-max-words") == 1
    assert "js/word-count.js" in html
    # No inline script: the page's content security policy allows only files.
    assert "<script>" not in html


def test_the_running_word_count_speaks_french_on_a_french_page(as_dave, started, questions):
    response = as_dave.get(url("proposal", started), HTTP_ACCEPT_LANGUAGE="fr")

    html = response.content.decode()
    assert 'data-words-within="{count} mots sur {limit}"' in html
    assert "{count} of {limit} words" not in html


def test_the_server_still_refuses_an_answer_over_the_limit_whatever_the_page_counted(
    as_dave, started, questions
):
    as_dave.post(url("proposal", started), draft_data(questions, approach="word " * 21))

    response = as_dave.post(url("submit", started), follow=True)

    started.refresh_from_db()
    assert started.status == Proposal.Status.DRAFT
    assert "has 21 words; the limit is 20" in response.content.decode()
