"""The OCDS parts issue 13 adds (docs/open-data.md, "The data governance extension"): the data
governance record in `planning.dataGovernance`, the municipality's public documents in the
section each belongs to, and the contract with its public data terms.

Only what is public goes out: a row of the record marked confidential is left out whole (not even
its reason says it exists), a confidential document too; the record itself only once the
challenge is published, which the release builders already ensure.
"""

from datetime import UTC

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from challenges.documents.selectors import documents_public
from challenges.models import Challenge, DataGovernanceRecord, Document
from core.timefmt import day_start
from procurement.models import Contract

# The record's codes as the extension spells them (release-schema.json of the extension).
_ASSESSMENT = {
    DataGovernanceRecord.AssessmentStatus.NOT_STARTED: "notStarted",
    DataGovernanceRecord.AssessmentStatus.IN_PROGRESS: "inProgress",
    DataGovernanceRecord.AssessmentStatus.COMPLETED: "completed",
}
_RESIDENCY = {
    DataGovernanceRecord.Residency.IN_CANADA: "inCanada",
    DataGovernanceRecord.Residency.OUTSIDE_CANADA: "outsideCanada",
    DataGovernanceRecord.Residency.MIXED: "mixed",
}
LICENCE_URLS = {
    "ogl_canada": "https://open.canada.ca/en/open-government-licence-canada",
    "cc_by_4": "https://creativecommons.org/licenses/by/4.0/",
    "odbl": "https://opendatacommons.org/licenses/odbl/1-0/",
}


def _compact(data: dict) -> dict:
    """Leave out what the record does not say: an empty text is not a value."""
    return {key: value for key, value in data.items() if value not in ("", None, {}, [])}


def _day(value) -> str | None:
    return day_start(value).isoformat() if value else None


def public_record(challenge: Challenge) -> DataGovernanceRecord | None:
    """The record with its public rows prefetched (`public_assets`, `public_sharings`,
    `public_decisions`), or None when the challenge has none."""
    record = DataGovernanceRecord.objects.filter(challenge=challenge).first()
    if record is None:
        return None
    record.public_assets = list(record.assets.filter(confidential=False))
    record.public_sharings = list(record.sharings.filter(confidential=False))
    record.public_decisions = list(record.decisions.filter(confidential=False))
    return record


def _licence(asset) -> dict:
    if not asset.licence:
        return {}
    with translation.override(settings.LANGUAGE_CODE):
        name = str(asset.get_licence_display())
    return _compact({"id": asset.licence, "name": name, "url": LICENCE_URLS.get(asset.licence)})


def _dataset(asset) -> dict:
    return _compact(
        {
            "id": f"dataset-{asset.pk}",
            "name": asset.name,
            "description": asset.description,
            "personalInformation": asset.sensitivity,
            "aboutResidentsLocationOrDevices": asset.about_residents_location_or_devices,
            "providedBy": asset.provided_by,
            "producedDataOwner": asset.produced_data_owner,
            "openData": asset.open_data,
            "openDataLicense": _licence(asset) if asset.open_data else {},
            "openDataFormat": asset.open_format if asset.open_data else "",
        }
    )


def _privacy(record: DataGovernanceRecord) -> dict:
    personal = any(asset.is_personal for asset in record.assets.all())
    return _compact(
        {
            # The rule, from every row: a confidential dataset still makes the assessment due.
            "impactAssessmentRequired": personal,
            "impactAssessmentStatus": _ASSESSMENT.get(record.assessment_status),
            "impactAssessmentDate": _day(record.assessment_completed_on),
            "legalAuthority": record.legal_authority,
            "retentionPeriod": record.retention_period,
            "storageLocation": _RESIDENCY.get(record.storage_location),
            "storageReason": record.storage_reason,
        }
    )


def _technology(record: DataGovernanceRecord) -> dict:
    return _compact(
        {
            "openStandards": record.open_standards,
            "automatedDecisions": record.automated_decisions,
            "algorithmicImpactLevel": record.impact_level if record.automated_decisions else None,
            "algorithmicImpactExplanation": (
                record.impact_explanation if record.automated_decisions else ""
            ),
            "accessibilityStandard": record.accessibility_standard,
            "exit": _compact(
                {
                    "dataReturnedInOpenFormats": record.exit_data_return,
                    "dataReturnFormats": record.exit_formats,
                    "sourceCode": record.source_code,
                    "plan": record.exit_plan,
                }
            ),
        }
    )


def data_governance(challenge: Challenge) -> dict | None:
    """`planning.dataGovernance`: the record minus its confidential rows."""
    record = public_record(challenge)
    if record is None:
        return None
    return _compact(
        {
            "datasets": [_dataset(asset) for asset in record.public_assets],
            "privacy": _privacy(record),
            "sharing": [
                _compact(
                    {
                        "id": f"sharing-{sharing.pk}",
                        "party": sharing.party,
                        "data": sharing.data,
                        "purpose": sharing.purpose,
                        "agreementStatus": sharing.agreement_status,
                    }
                )
                for sharing in record.public_sharings
            ],
            "technology": _technology(record),
            "decisions": [
                _compact(
                    {
                        "id": f"decision-{decision.pk}",
                        "topic": decision.topic,
                        "decision": decision.decision,
                        "reason": decision.reason,
                        "decidedBy": decision.decided_by,
                        "date": _day(decision.decided_on),
                    }
                )
                for decision in record.public_decisions
            ],
        }
    )


# Documents --------------------------------------------------------------------------------------


def public_documents(challenge: Challenge, *attached_to: str) -> list[Document]:
    """The challenge's published documents (not confidential, not withdrawn, their place public:
    an addendum once issued, the contract once signed, the pilot once started), attached where
    asked, oldest first; read once per challenge when `ocds.current_releases` builds them all."""
    read = getattr(challenge, "_ocds_documents", None)
    if read is None:
        read = all_public_documents(challenge)
    return [document for document in read if document.attached_to in attached_to]


def all_public_documents(challenge: Challenge) -> list[Document]:
    return list(documents_public(challenge))


def document_url(document: Document) -> str:
    """The permission-checked download address; a published document is served to anyone."""
    return settings.SITE_URL.rstrip("/") + document.get_download_url()


def ocds_document(document: Document) -> dict:
    return {
        "id": f"document-{document.public_id}",
        "documentType": document.kind,
        "title": document.title,
        "url": document_url(document),
        "datePublished": document.uploaded_at.astimezone(UTC).isoformat(),
        "format": document.content_type,
        "language": document.language,
    }


def documents(challenge: Challenge, *attached_to: str) -> list[dict]:
    return [ocds_document(d) for d in public_documents(challenge, *attached_to)]


# The contract -----------------------------------------------------------------------------------


def contract_status(contract: Contract, *, today=None) -> str:
    """OCDS: `pending` until the contract is signed and in force, `active` while in force,
    `terminated` once its period is over."""
    today = today or timezone.localdate()
    if contract.status != Contract.Status.SIGNED:
        return "pending"
    if contract.starts_on and contract.starts_on > today:
        return "pending"
    if contract.ends_on and contract.ends_on < today:
        return "terminated"
    return "active"


def public_terms(contract: Contract) -> list:
    """The contract's terms anyone may read: a confidential one (drafted from a confidential part
    of the record, or marked so by staff) is left out whole."""
    return list(contract.terms.filter(confidential=False).order_by("order", "pk"))


def contract_terms(contract: Contract) -> list[dict]:
    """`contracts[].dataTerms`: the contract's public terms about data and technology."""
    return [
        {"id": f"term-{term.pk}", "topic": term.topic, "description": term.text}
        for term in public_terms(contract)
    ]


def contract_summary(contract: Contract) -> str:
    """`contracts[].description`: the topics of the public terms, for readers of plain OCDS (the
    terms themselves are in the extension's `dataTerms`)."""
    topics = list(dict.fromkeys(term.get_topic_display() for term in public_terms(contract)))
    if not topics:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Data and technology terms: %(topics)s.") % {
            "topics": "; ".join(str(topic) for topic in topics)
        }


def contract_period(contract: Contract) -> dict:
    return _compact({"startDate": _day(contract.starts_on), "endDate": _day(contract.ends_on)})
