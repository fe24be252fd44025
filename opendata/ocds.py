"""Open data: the OCDS 1.1 release of each public stage of a challenge (DESIGN.md §6).

Each builder here describes one stage as it is at the moment it happens; `opendata.services`
stores that release then and never changes it. Only what is public at the stage goes out:
nothing before publication; questions and answers without the asker; no resident's input; no
score and no price, except the awarded value once the award is final; no count of proposals
before closing. The official schemas are kept in `ocds_schema/` (Apache-2.0) so validation works
offline.
"""

import copy
import json
from datetime import UTC
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from challenges.models import Addendum, Challenge, Document, Question
from core.languages import content_languages
from core.timefmt import day_start
from procurement.models import Award, Contract, Pilot
from procurement.selectors import announced_q, is_published
from vendors import sealing

from . import extensions
from . import ocds_governance as governance

SCHEMA_DIR = Path(__file__).resolve().parent / "ocds_schema"
CURRENCY = "CAD"


def ocid(challenge: Challenge) -> str:
    return f"{settings.OCDS_OCID_PREFIX}-{challenge.reference}"


def ocds_date(value) -> str | None:
    """A moment in UTC: release dates then sort as text the way they do in time, as the OCDS
    merge routine sorts them."""
    return value.astimezone(UTC).isoformat() if value else None


def in_languages(obj, field: str, key: str) -> dict:
    """`key`: `obj.<field>` in the release's language (in the other when written only in that
    one); `<key>_fr`: the French text beside it, when there is one (OCDS's language suffix)."""
    with translation.override(settings.LANGUAGE_CODE):
        texts = {key: getattr(obj, field)}
    for code in content_languages():
        text = getattr(obj, f"{field}_{code}", None)
        if code != settings.LANGUAGE_CODE and text:
            texts[f"{key}_{code}"] = text
    return texts


def _value(amount) -> dict:
    return {"amount": float(Decimal(amount)), "currency": CURRENCY}


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _buyer() -> dict:
    return {"id": "buyer", "name": settings.MUNICIPALITY_NAME}


def _tender_status(challenge: Challenge) -> str:
    return {
        Challenge.Status.PUBLISHED: "active",
        Challenge.Status.AWARDED: "complete",
        Challenge.Status.NOT_AWARDED: "unsuccessful",
        Challenge.Status.CANCELLED: "cancelled",
    }.get(challenge.status, "active")


def announced_award(challenge: Challenge) -> Award | None:
    """The award vendors were told of; a recommendation or approval is internal until then, and
    one withdrawn before the letters went out is never published."""
    return (
        Award.objects.filter(announced_q(), challenge=challenge)
        .select_related("proposal__vendor", "proposal__price_envelope")
        .first()
    )


def _documents(challenge: Challenge, *, municipal: bool) -> list[dict]:
    documents = [
        {
            "id": "notice",
            "documentType": "tenderNotice",
            **in_languages(challenge, "title", "title"),
            "url": site_url(challenge.get_absolute_url()),
            "datePublished": ocds_date(challenge.published_at),
            "format": "text/html",
            "language": settings.LANGUAGE_CODE,
        }
    ]
    # The answer is published to everyone; the asker stays anonymous (DESIGN.md §3).
    for question in _answered_questions(challenge):
        documents.append(
            {
                "id": f"clarification-{question.pk}",
                "documentType": "clarifications",
                "title": question.body[:200],
                **in_languages(question, "answer", "description"),
                "datePublished": ocds_date(question.answered_at),
            }
        )
    # The municipality's documents change only at publication and when an addendum (with its
    # documents) is issued: the other tender releases leave them out (the record merges them by
    # id), which keeps a batch of closings at its few queries a challenge.
    if municipal:
        documents += governance.documents(
            challenge, Document.AttachedTo.CHALLENGE, Document.AttachedTo.ADDENDUM
        )
    return documents


def _amendments(challenge: Challenge) -> list[dict]:
    return [
        {
            "id": f"addendum-{addendum.number}",
            "date": ocds_date(addendum.issued_at),
            **in_languages(addendum, "title", "rationale"),
            **in_languages(addendum, "body", "description"),
        }
        for addendum in _issued_addenda(challenge)
    ]


def _answered_questions(challenge: Challenge):
    read = getattr(challenge, "_ocds_answered_questions", None)
    if read is not None:
        return read
    return challenge.questions.filter(status=Question.Status.ANSWERED).order_by("pk")


def _issued_addenda(challenge: Challenge):
    read = getattr(challenge, "_ocds_issued_addenda", None)
    if read is not None:
        return read
    return challenge.addenda.filter(status=Addendum.Status.ISSUED).order_by("number")


def _tender(challenge: Challenge, *, municipal_documents: bool = False) -> dict:
    tender = {
        "id": challenge.reference,
        **in_languages(challenge, "title", "title"),
        **in_languages(challenge, "problem", "description"),
        "status": _tender_status(challenge),
        "procuringEntity": _buyer(),
        "procurementMethod": "open",
        "procurementMethodDetails": "Innovation challenge",
        "mainProcurementCategory": "services",
        "awardCriteria": "ratedCriteria",
        "submissionMethod": ["electronicSubmission"],
        "tenderPeriod": {
            "startDate": ocds_date(challenge.published_at),
            "endDate": ocds_date(challenge.submission_deadline),
        },
        "enquiryPeriod": {
            "startDate": ocds_date(challenge.published_at),
            "endDate": ocds_date(challenge.questions_deadline),
        },
        "documents": _documents(challenge, municipal=municipal_documents),
    }
    if challenge.budget_max is not None:
        tender["value"] = _value(challenge.budget_max)
    amendments = _amendments(challenge)
    if amendments:
        tender["amendments"] = amendments
    # A count only after closing: before the deadline not even that is known (DESIGN.md §3).
    tenderers = sealing.received_proposal_count(challenge=challenge)
    if tenderers is not None:
        tender["numberOfTenderers"] = tenderers
    return tender


def _supplier(award: Award) -> dict:
    vendor = award.proposal.vendor
    return {"id": f"vendor-{vendor.pk}", "name": vendor.legal_name}


def _award_status(award: Award) -> str:
    """The OCDS award status codelist's word for the award's stage."""
    return {
        Award.Status.FINAL: "active",
        Award.Status.WITHDRAWN: "cancelled",
    }.get(award.status, "pending")


def _awards(award: Award, *, status: str | None = None) -> list[dict]:
    row = {
        "id": f"award-{award.pk}",
        **in_languages(award.challenge, "title", "title"),
        "status": status or _award_status(award),
        "date": ocds_date(award.notified_at),
        "suppliers": [_supplier(award)],
    }
    if award.status == Award.Status.WITHDRAWN and award.withdrawal_reason:
        row["description"] = award.withdrawal_reason
    if award.status == Award.Status.FINAL:
        row["value"] = _value(award.proposal.price_envelope.amount)
    return [row]


def _contract_ids(award: Award) -> dict:
    return {"id": f"contract-{award.pk}", "awardID": f"award-{award.pk}"}


def _signed_contract(award: Award) -> Contract | None:
    contract = Contract.objects.filter(award=award).first()
    if contract is None or contract.status != Contract.Status.SIGNED:
        return None
    return contract


def _contracts(award: Award, contract: Contract | None = None) -> list[dict]:
    """The contract: `pending`, at the awarded value, until the municipality records it signed;
    then its own value, period, signature date, public documents and data terms."""
    row = {**_contract_ids(award), **in_languages(award.challenge, "title", "title")}
    if contract is None:
        return [{**row, "status": "pending", "value": _value(award.proposal.price_envelope.amount)}]
    row.update(
        {
            "status": governance.contract_status(contract),
            "value": {"amount": float(contract.value), "currency": contract.currency},
            "period": governance.contract_period(contract),
            "dateSigned": day_start(contract.signed_on).isoformat(),
        }
    )
    documents = governance.documents(award.challenge, Document.AttachedTo.CONTRACT)
    if documents:
        row["documents"] = documents
    terms = governance.contract_terms(contract)
    if terms:
        row["description"] = governance.contract_summary(contract)
        row["dataTerms"] = terms
    return [row]


def _parties(award: Award | None) -> list[dict]:
    parties = [{**_buyer(), "roles": ["buyer", "procuringEntity"]}]
    if award is not None:
        parties.append({**_supplier(award), "roles": ["supplier"]})
    return parties


def _planning(challenge: Challenge) -> dict:
    planning = {"rationale": challenge.problem}
    if challenge.budget_max is not None:
        planning["budget"] = {
            "description": f"{challenge.budget_min or 0} to {challenge.budget_max} {CURRENCY}",
            "amount": _value(challenge.budget_max),
        }
    planning.update(governance_planning(challenge))
    return planning


def governance_planning(challenge: Challenge) -> dict:
    """The data governance record and its published documents, as `planning` carries them."""
    planning = {}
    record = governance.data_governance(challenge)
    if record:
        planning["dataGovernance"] = record
    documents = governance.documents(challenge, Document.AttachedTo.GOVERNANCE)
    if documents:
        planning["documents"] = documents
    return planning


def with_planning_update(release: dict, challenge: Challenge, *, published: dict) -> dict:
    """The release, with what changed in the record's public part since `published` (the
    compiled planning so far) added as a planning update: the privacy impact assessment may be
    completed, and its document attached, after publication (the pilot waits for it)."""
    current = governance_planning(challenge)
    changed = {}
    if current.get("dataGovernance", {}) != published.get("dataGovernance", {}):
        changed["dataGovernance"] = current.get("dataGovernance", {})
    known = {document["id"] for document in published.get("documents", [])}
    documents = [d for d in current.get("documents", []) if d["id"] not in known]
    if documents:
        changed["documents"] = documents
    if not changed:
        return release
    return {**release, "tag": [*release["tag"], "planningUpdate"], "planning": changed}


def _release(challenge: Challenge, *, release_id: str, date, tags: list[str], **sections) -> dict:
    release = {
        "ocid": ocid(challenge),
        "id": f"{ocid(challenge)}-{release_id}",
        "date": ocds_date(date),
        "tag": tags,
        "initiationType": "tender",
        "language": settings.LANGUAGE_CODE,
        "buyer": _buyer(),
    }
    release.update({key: value for key, value in sections.items() if value})
    return release


# One builder per public stage -------------------------------------------------------------------


def tender_release(challenge: Challenge) -> dict:
    """Publication: the challenge as it was published."""
    return _release(
        challenge,
        release_id="tender",
        date=challenge.published_at,
        tags=["planning", "tender"],
        planning=_planning(challenge),
        tender=_tender(challenge, municipal_documents=True),
        parties=_parties(None),
    )


def amendment_release(challenge: Challenge, addendum: Addendum) -> dict:
    """An addendum issued: the tender with its new dates and the amendment."""
    if addendum.new_questions_deadline:
        challenge.questions_deadline = addendum.new_questions_deadline
    if addendum.new_submission_deadline:
        challenge.submission_deadline = addendum.new_submission_deadline
    return _release(
        challenge,
        release_id=f"addendum-{addendum.number}",
        date=addendum.issued_at,
        tags=["tenderAmendment"],
        tender=_tender(challenge, municipal_documents=True),
    )


def clarification_release(challenge: Challenge, question: Question) -> dict:
    """An answer published to everyone: the tender with one more clarification."""
    return _release(
        challenge,
        release_id=f"clarification-{question.pk}",
        date=question.answered_at,
        tags=["tenderUpdate"],
        tender=_tender(challenge),
    )


def closing_release(challenge: Challenge) -> dict:
    """The deadline passed: the tender with the number of proposals received."""
    return _release(
        challenge,
        release_id="closing",
        date=challenge.closed_at,
        tags=["tenderUpdate"],
        tender=_tender(challenge),
    )


def end_release(challenge: Challenge, *, date) -> dict:
    """Cancelled, or ended without an award."""
    cancelled = challenge.status == Challenge.Status.CANCELLED
    return _release(
        challenge,
        release_id="cancellation" if cancelled else "no-award",
        date=date,
        tags=["tenderCancellation"] if cancelled else ["tenderUpdate"],
        tender=_tender(challenge),
    )


def award_release(award: Award, *, status: str | None = None) -> dict:
    """The result letters went out: the award as announced, still pending."""
    return _release(
        award.challenge,
        release_id=f"award-{award.pk}",
        date=award.notified_at,
        tags=["award"],
        parties=_parties(award),
        awards=_awards(award, status=status),
    )


def award_withdrawal_release(award: Award) -> dict:
    return _release(
        award.challenge,
        release_id=f"award-{award.pk}-withdrawal",
        date=award.withdrawn_at,
        tags=["awardCancellation"],
        parties=_parties(award),
        awards=_awards(award),
    )


def contract_release(award: Award) -> dict:
    """The award is final and the challenge awarded: the tender is complete, the value public."""
    return _release(
        award.challenge,
        release_id=f"contract-{award.pk}",
        date=award.finalised_at,
        tags=["tenderUpdate", "awardUpdate", "contract"],
        tender=_tender(award.challenge),
        parties=_parties(award),
        awards=_awards(award),
        contracts=_contracts(award),
    )


def contract_signed_release(contract: Contract) -> dict:
    """The municipality recorded the contract signed: its value, period, documents and terms."""
    award = Award.objects.select_related(
        "challenge", "proposal__vendor", "proposal__price_envelope"
    ).get(pk=contract.award_id)
    return _release(
        award.challenge,
        release_id=f"contract-{award.pk}-signed",
        date=contract.signed_at or timezone.now(),
        tags=["contract"],
        parties=_parties(award),
        contracts=_contracts(award, contract),
    )


def implementation_release(pilot: Pilot, *, step: str, date) -> dict:
    """A pilot step: the contract's implementation with its milestones and reports as they
    stand, and the contract's documents (an annex may be attached after signing)."""
    contract = _contract_ids(pilot.award)
    published = governance.all_public_documents(pilot.challenge)
    documents = {
        place: [governance.ocds_document(d) for d in published if d.attached_to == place]
        for place in (Document.AttachedTo.CONTRACT, Document.AttachedTo.PILOT)
    }
    if documents[Document.AttachedTo.CONTRACT]:
        contract["documents"] = documents[Document.AttachedTo.CONTRACT]
    implementation = {
        "milestones": pilot.ocds_milestones(),
        "documents": documents[Document.AttachedTo.PILOT],
    }
    implementation = {key: value for key, value in implementation.items() if value}
    if implementation:
        contract["implementation"] = implementation
    return _release(
        pilot.challenge,
        release_id=f"pilot-{pilot.pk}-{step}",
        date=date,
        tags=["implementation"],
        contracts=[contract],
    )


def current_releases(challenge: Challenge) -> list[dict]:
    """Every stage reached so far, each built from today's state: only for challenges published
    before releases were stored when they happened (the data migration), never to serve."""
    if not is_published(challenge):
        return []
    # Every release below repeats the tender: its answers and addenda are read once, on a copy
    # (the caller's challenge keeps reading afresh).
    challenge = copy.copy(challenge)
    challenge._ocds_answered_questions = list(_answered_questions(challenge))
    challenge._ocds_issued_addenda = list(_issued_addenda(challenge))
    challenge._ocds_documents = governance.all_public_documents(challenge)
    result = [tender_release(challenge)]
    for addendum in challenge._ocds_issued_addenda:
        result.append(amendment_release(challenge, addendum))
    if challenge.closed_at is not None:
        result.append(closing_release(challenge))
    award = announced_award(challenge)
    if award is not None:
        withdrawn = award.status == Award.Status.WITHDRAWN
        # As announced: the withdrawal is a release of its own, dated when it happened.
        result.append(award_release(award, status="pending" if withdrawn else None))
        if withdrawn:
            result.append(award_withdrawal_release(award))
        if award.status == Award.Status.FINAL:
            result.append(contract_release(award))
            contract = _signed_contract(award)
            if contract is not None:
                result.append(contract_signed_release(contract))
    if challenge.status in (Challenge.Status.CANCELLED, Challenge.Status.NOT_AWARDED):
        result.append(end_release(challenge, date=challenge.updated_at))
    return sorted(result, key=lambda release: release["date"])


# Validation against the official schema and our extensions, offline -------------------------------


def _schema_file(name: str) -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


@cache
def _release_schema() -> dict:
    return extensions.patched_release_schema(_schema_file("release-schema.json"))


def release_schema() -> dict:
    """The official release schema with the extensions this app declares applied: what the
    releases are validated against and merged by."""
    return copy.deepcopy(_release_schema())


@cache
def _registry() -> Registry:
    resources = []
    for name in (
        "release-schema.json",
        "release-package-schema.json",
        "record-package-schema.json",
        "versioned-release-validation-schema.json",
    ):
        contents = _release_schema() if name == "release-schema.json" else _schema_file(name)
        if name == "versioned-release-validation-schema.json":
            contents = _versioned_language_variants(contents)
        resources.append(
            (contents["id"], Resource.from_contents(contents, default_specification=DRAFT4))
        )
    return Registry().with_resources(resources)


def _versioned_language_variants(node):
    """The versioned release validation schema types a text's language variants (`title_fr`)
    as plain strings, while the merge routine (and `ocdsmerge`) gives them a history like any
    other field: accept that history too."""
    if isinstance(node, list):
        return [_versioned_language_variants(item) for item in node]
    if not isinstance(node, dict):
        return node
    result = {key: _versioned_language_variants(value) for key, value in node.items()}
    if isinstance(node.get("patternProperties"), dict):
        result["patternProperties"] = {
            pattern: {"anyOf": [variant, {"type": "array", "items": {"type": "object"}}]}
            for pattern, variant in node["patternProperties"].items()
        }
    return result


def _validator(name: str) -> Draft4Validator:
    schema = _release_schema() if name == "release-schema.json" else _schema_file(name)
    return Draft4Validator(schema, registry=_registry())


def validation_errors(data: dict, *, kind: str = "release") -> list[str]:
    """The schema's complaints about a release package (`release`), a record package (`record`)
    or one release (`single`); empty when valid. The packages' releases are checked against the
    release schema with the extensions applied (the versioned release against the official one:
    its extension fields are checked in the compiled release)."""
    name = "release-schema.json" if kind == "single" else f"{kind}-package-schema.json"
    validator = _validator(name)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    ]
