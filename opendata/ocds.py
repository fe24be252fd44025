"""Open data: an OCDS 1.1 release package and a compiled record per challenge (DESIGN.md §6).

Only what is public at the challenge's stage goes out: nothing before publication; questions
and answers without the asker; no resident's input; no score and no price, except the awarded
value once the award is final. The official schemas are kept in `ocds_schema/` (Apache-2.0) so
validation works offline.
"""

import json
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from challenges.models import Addendum, Challenge, Question
from procurement.models import Award
from procurement.selectors import announced_q, is_published

SCHEMA_DIR = Path(__file__).resolve().parent / "ocds_schema"
CURRENCY = "CAD"


def ocid(challenge: Challenge) -> str:
    return f"{settings.OCDS_OCID_PREFIX}-{challenge.reference}"


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _value(amount) -> dict:
    return {"amount": float(Decimal(amount)), "currency": CURRENCY}


def _url(path: str) -> str:
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


def _announced_award(challenge: Challenge) -> Award | None:
    """The award vendors were told of; a recommendation or approval is internal until then, and
    one withdrawn before the letters went out is never published."""
    return (
        Award.objects.filter(announced_q(), challenge=challenge)
        .select_related("proposal__vendor")
        .first()
    )


def _documents(challenge: Challenge) -> list[dict]:
    documents = [
        {
            "id": "notice",
            "documentType": "tenderNotice",
            "title": challenge.title,
            "url": _url(challenge.get_absolute_url()),
            "datePublished": _date(challenge.published_at),
            "format": "text/html",
            "language": settings.LANGUAGE_CODE,
        }
    ]
    # The answer is published to everyone; the asker stays anonymous (DESIGN.md §3).
    for question in challenge.questions.filter(status=Question.Status.ANSWERED).order_by("pk"):
        documents.append(
            {
                "id": f"clarification-{question.pk}",
                "documentType": "clarifications",
                "title": question.body[:200],
                "description": question.answer,
                "datePublished": _date(question.answered_at),
            }
        )
    return documents


def _amendments(challenge: Challenge) -> list[dict]:
    return [
        {
            "id": f"addendum-{addendum.number}",
            "date": _date(addendum.issued_at),
            "rationale": addendum.title,
            "description": addendum.body,
        }
        for addendum in challenge.addenda.filter(status=Addendum.Status.ISSUED).order_by("number")
    ]


def _tender(challenge: Challenge) -> dict:
    tender = {
        "id": challenge.reference,
        "title": challenge.title,
        "description": challenge.problem,
        "status": _tender_status(challenge),
        "procuringEntity": _buyer(),
        "procurementMethod": "open",
        "procurementMethodDetails": "Innovation challenge",
        "mainProcurementCategory": "services",
        "awardCriteria": "ratedCriteria",
        "submissionMethod": ["electronicSubmission"],
        "tenderPeriod": {
            "startDate": _date(challenge.published_at),
            "endDate": _date(challenge.submission_deadline),
        },
        "enquiryPeriod": {
            "startDate": _date(challenge.published_at),
            "endDate": _date(challenge.questions_deadline),
        },
        "documents": _documents(challenge),
    }
    if challenge.budget_max is not None:
        tender["value"] = _value(challenge.budget_max)
    amendments = _amendments(challenge)
    if amendments:
        tender["amendments"] = amendments
    if challenge.closed_at is not None:
        # A count only after closing: before the deadline not even that is known (DESIGN.md §3).
        from vendors.models import Proposal

        tender["numberOfTenderers"] = Proposal.objects.filter(
            Proposal.received_q(), challenge=challenge
        ).count()
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


def _awards(award: Award | None, *, status: str | None = None) -> list[dict]:
    if award is None:
        return []
    row = {
        "id": f"award-{award.pk}",
        "title": str(award.challenge.title),
        "status": status or _award_status(award),
        "date": _date(award.notified_at),
        "suppliers": [_supplier(award)],
    }
    if award.status == Award.Status.WITHDRAWN and award.withdrawal_reason:
        row["description"] = award.withdrawal_reason
    if award.status == Award.Status.FINAL:
        row["value"] = _value(award.proposal.price_envelope.amount)
    return [row]


def _contracts(award: Award | None) -> list[dict]:
    if award is None or award.status != Award.Status.FINAL:
        return []
    contract = {
        "id": f"contract-{award.pk}",
        "awardID": f"award-{award.pk}",
        "title": str(award.challenge.title),
        "status": "active",
        "value": _value(award.proposal.price_envelope.amount),
        "dateSigned": _date(award.finalised_at),
    }
    implementation = _implementation(award.challenge)
    if implementation:
        contract["implementation"] = implementation
    return [contract]


def _implementation(challenge: Challenge) -> dict:
    """The pilot's milestones, when there is a pilot (filled in by `procurement.models.pilot`)."""
    pilot = getattr(challenge, "pilot", None) if hasattr(challenge, "pilot") else None
    if pilot is None:
        return {}
    return {"milestones": pilot.ocds_milestones()}


def _parties(award: Award | None) -> list[dict]:
    parties = [{**_buyer(), "roles": ["buyer", "procuringEntity"]}]
    if award is not None:
        parties.append({**_supplier(award), "roles": ["supplier"]})
    return parties


def _release(challenge: Challenge, *, release_id: str, date, tags: list[str], **sections) -> dict:
    release = {
        "ocid": ocid(challenge),
        "id": f"{ocid(challenge)}-{release_id}",
        "date": _date(date),
        "tag": tags,
        "initiationType": "tender",
        "language": settings.LANGUAGE_CODE,
        "buyer": _buyer(),
    }
    release.update({key: value for key, value in sections.items() if value})
    return release


def _planning(challenge: Challenge) -> dict:
    planning = {"rationale": challenge.problem}
    if challenge.budget_max is not None:
        planning["budget"] = {
            "description": f"{challenge.budget_min or 0} to {challenge.budget_max} {CURRENCY}",
            "amount": _value(challenge.budget_max),
        }
    return planning


def releases(challenge: Challenge) -> list[dict]:
    """The challenge's releases, one per public event, oldest first; none before publication."""
    if not is_published(challenge):
        return []
    award = _announced_award(challenge)
    result = [
        _release(
            challenge,
            release_id="tender",
            date=challenge.published_at,
            tags=["planning", "tender"],
            planning=_planning(challenge),
            tender=_tender(challenge),
            parties=_parties(None),
        )
    ]
    for addendum in challenge.addenda.filter(status=Addendum.Status.ISSUED).order_by("number"):
        result.append(
            _release(
                challenge,
                release_id=f"addendum-{addendum.number}",
                date=addendum.issued_at,
                tags=["tenderAmendment"],
                tender=_tender(challenge),
            )
        )
    if challenge.status in (Challenge.Status.CANCELLED, Challenge.Status.NOT_AWARDED):
        result.append(
            _release(
                challenge,
                release_id="tender-update",
                date=challenge.updated_at,
                tags=["tenderCancellation"]
                if challenge.status == Challenge.Status.CANCELLED
                else ["tenderUpdate"],
                tender=_tender(challenge),
            )
        )
    if award is not None:
        withdrawn = award.status == Award.Status.WITHDRAWN
        result.append(
            _release(
                challenge,
                release_id=f"award-{award.pk}",
                date=award.notified_at,
                tags=["award"],
                parties=_parties(award),
                # As announced: the withdrawal is a release of its own, dated when it happened.
                awards=_awards(award, status="pending" if withdrawn else None),
            )
        )
        if withdrawn:
            result.append(
                _release(
                    challenge,
                    release_id=f"award-{award.pk}-withdrawal",
                    date=award.withdrawn_at,
                    tags=["awardCancellation"],
                    parties=_parties(award),
                    awards=_awards(award),
                )
            )
        if award.status == Award.Status.FINAL:
            final = award.finalised_at
            result.append(
                _release(
                    challenge,
                    release_id=f"contract-{award.pk}",
                    date=final,
                    tags=["awardUpdate", "contract"],
                    parties=_parties(award),
                    awards=_awards(award),
                    contracts=_contracts(award),
                )
            )
    # Oldest first: a challenge cancelled or ended after its award was announced publishes that
    # end after the award (the sort keeps the order of releases of the same instant).
    return sorted(result, key=lambda release: datetime.fromisoformat(release["date"]))


def compiled_release(challenge: Challenge) -> dict | None:
    """The current state of everything public, as one release."""
    if not is_published(challenge):
        return None
    award = _announced_award(challenge)
    latest = max(r["date"] for r in releases(challenge))
    return _release(
        challenge,
        release_id="compiled",
        date=datetime.fromisoformat(latest),
        tags=["compiled"],
        planning=_planning(challenge),
        tender=_tender(challenge),
        parties=_parties(award),
        awards=_awards(award),
        contracts=_contracts(award),
    )


def _package_meta(challenge: Challenge, kind: str) -> dict:
    return {
        "uri": _url(f"/open-data/{challenge.reference}/{kind}.json"),
        "version": "1.1",
        "publishedDate": _date(timezone.now()),
        "publisher": {"name": settings.MUNICIPALITY_NAME},
        "license": "https://creativecommons.org/licenses/by/4.0/",
        "publicationPolicy": _url("/open-data/"),
    }


def release_package(challenge: Challenge) -> dict | None:
    """None for a challenge that was never published: nothing about it is public yet."""
    items = releases(challenge)
    if not items:
        return None
    return {**_package_meta(challenge, "releases"), "releases": items}


def record_package(challenge: Challenge) -> dict | None:
    compiled = compiled_release(challenge)
    if compiled is None:
        return None
    package_uri = _url(f"/open-data/{challenge.reference}/releases.json")
    return {
        **_package_meta(challenge, "record"),
        "packages": [package_uri],
        "records": [
            {
                "ocid": ocid(challenge),
                "releases": [
                    {"url": f"{package_uri}#{r['id']}", "date": r["date"], "tag": r["tag"]}
                    for r in releases(challenge)
                ],
                "compiledRelease": compiled,
            }
        ],
    }


@cache
def _registry() -> Registry:
    resources = []
    for name in (
        "release-schema.json",
        "release-package-schema.json",
        "record-package-schema.json",
    ):
        contents = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
        resources.append(
            (contents["id"], Resource.from_contents(contents, default_specification=DRAFT4))
        )
    return Registry().with_resources(resources)


def _validator(name: str) -> Draft4Validator:
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    return Draft4Validator(schema, registry=_registry())


def validation_errors(package: dict, *, kind: str = "release") -> list[str]:
    """The official schema's complaints about a release (or record) package; empty when valid."""
    validator = _validator(f"{kind}-package-schema.json")
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message}"
        for error in sorted(validator.iter_errors(package), key=lambda e: list(e.absolute_path))
    ]
