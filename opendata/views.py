"""Open data: the index of published challenges, their OCDS release and record packages, a CSV
of challenges with the awards vendors were told of (values only once final), a CSV of the
pilots' outcome measurements, a CSV of the datasets of the data governance records, and the local
OCDS extension's files."""

import json

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from challenges.models import Challenge
from core.pagination import paginate
from core.spreadsheet import csv_response
from procurement.models import Award
from procurement.selectors import announced_q, is_published

from . import extensions, ocds, packages, selectors

# Rows of the index per page; the CSV and the API give the whole list.
INDEX_PAGE_SIZE = 20


# Each row links four pages of its challenge. Reversing each link of each row cost more than the
# rest of the page: each is reversed once, and every row puts its reference in the placeholder's
# place (references are letters, digits and hyphens: nothing to quote).
_PLACEHOLDER = "__reference__"
_ROW_LINKS = {
    "page": "challenges:detail",
    "releases": "opendata:open_data_releases",
    "record": "opendata:open_data_record",
    "outcomes": "procurement:outcomes",
}


def _with_links(challenges):
    links = {key: reverse(name, args=[_PLACEHOLDER]) for key, name in _ROW_LINKS.items()}
    labels = {
        "releases": _("Release package of %(reference)s (JSON)"),
        "record": _("Record of %(reference)s (JSON)"),
        "outcomes": _("Outcomes of %(reference)s"),
    }
    for challenge in challenges:
        reference = challenge.reference
        challenge.links = {key: url.replace(_PLACEHOLDER, reference) for key, url in links.items()}
        challenge.labels = {key: label % {"reference": reference} for key, label in labels.items()}
    return challenges


def index(request):
    pager = paginate(request, selectors.open_data_index(), per_page=INDEX_PAGE_SIZE)
    page = pager["page"]
    page.object_list = _with_links(page.object_list)
    context = {
        "pager": pager,
        "page": page,
        "extension_url": extensions.extension_path("data_governance"),
    }
    return render(request, "opendata/open_data.html", context)


def _published(reference) -> Challenge:
    challenge = get_object_or_404(Challenge, reference=reference)
    if not is_published(challenge):
        raise Http404
    return challenge


def _json(package) -> HttpResponse:
    if package is None:
        raise Http404
    response = HttpResponse(
        json.dumps(package, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def release_package(request, reference):
    return _json(packages.release_package(_published(reference)))


def record_package(request, reference):
    return _json(packages.record_package(_published(reference)))


def ocds_extension(request, name, filename):
    """A local OCDS extension's files, where the packages' `extensions` point: OCDS tools read
    extension.json and fetch the schema named in it from beside it."""
    try:
        path = extensions.extension_file(name, filename)
    except FileNotFoundError:
        raise Http404 from None
    if filename == "extension.json":
        response = HttpResponse(
            json.dumps(extensions.served_metadata(name), ensure_ascii=False, indent=2),
            content_type="application/json",
        )
    else:
        content_type = "application/json" if filename.endswith(".json") else "text/markdown"
        response = HttpResponse(path.read_bytes(), content_type=f"{content_type}; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def challenges_csv(request):
    challenges = list(selectors.open_data_challenges())
    awards = {
        award.challenge_id: award
        for award in Award.objects.filter(announced_q(), challenge__in=challenges).select_related(
            "proposal__vendor", "proposal__price_envelope"
        )
    }
    response, writer = csv_response("challenges.csv")
    writer.writerow(
        [
            "ocid",
            "reference",
            "title",
            "status",
            "published_at",
            "submission_deadline",
            "award_status",
            "supplier",
            "awarded_value_cad",
        ]
    )
    for challenge in challenges:
        award = awards.get(challenge.pk)
        final = award is not None and award.status == Award.Status.FINAL
        writer.writerow(
            [
                ocds.ocid(challenge),
                challenge.reference,
                challenge.title,
                challenge.status,
                challenge.published_at.isoformat(),
                challenge.submission_deadline.isoformat() if challenge.submission_deadline else "",
                _csv_award_status(award),
                award.proposal.vendor.legal_name if award else "",
                award.proposal.price_envelope.amount if final else "",
            ]
        )
    return response


def _csv_award_status(award) -> str:
    if award is None:
        return ""
    if award.status in (Award.Status.FINAL, Award.Status.WITHDRAWN):
        return award.status
    return "pending"


def outcomes_csv(request):
    """Every measurement of every pilot, with its indicator's baseline and target: how the
    city monitors what it bought (pilot pages are public, so are these figures)."""
    response, writer = csv_response("outcomes.csv")
    writer.writerow(
        [
            "ocid",
            "reference",
            "pilot_status",
            "indicator",
            "unit",
            "baseline",
            "target",
            "measured_on",
            "value",
            "source_note",
        ]
    )
    for m in selectors.open_data_measurements():
        indicator = m.indicator
        challenge = indicator.pilot.challenge
        writer.writerow(
            [
                ocds.ocid(challenge),
                challenge.reference,
                indicator.pilot.status,
                indicator.name,
                indicator.unit,
                indicator.baseline,
                indicator.target,
                m.measured_on.isoformat(),
                m.value,
                m.source_note,
            ]
        )
    return response


def data_governance_csv(request):
    """One row per dataset of the data governance records of published challenges, with the
    record's privacy and technology answers repeated on each: what the city decided about the data
    it buys for. Rows marked confidential are left out."""
    response, writer = csv_response("data-governance.csv")
    writer.writerow(
        [
            "ocid",
            "reference",
            "dataset",
            "description",
            "personal_information",
            "location_or_device_data",
            "provided_by",
            "produced_data_owner",
            "open_data",
            "open_data_licence",
            "open_data_format",
            "privacy_assessment",
            "privacy_assessment_completed_on",
            "storage_location",
            "retention_period",
            "automated_decisions",
            "algorithmic_impact_level",
            "accessibility_standard",
            "data_returned_at_exit",
        ]
    )
    for asset in selectors.open_data_datasets():
        record = asset.record
        challenge = record.challenge
        writer.writerow(
            [
                ocds.ocid(challenge),
                challenge.reference,
                asset.name,
                asset.description,
                asset.sensitivity,
                _yes_no(asset.about_residents_location_or_devices),
                asset.provided_by,
                asset.produced_data_owner,
                _yes_no(asset.open_data),
                asset.licence if asset.open_data else "",
                asset.open_format if asset.open_data else "",
                record.assessment_status,
                record.assessment_completed_on.isoformat()
                if record.assessment_completed_on
                else "",
                record.storage_location,
                record.retention_period,
                _yes_no(record.automated_decisions),
                record.impact_level or "",
                record.accessibility_standard,
                _yes_no(record.exit_data_return),
            ]
        )
    return response


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"
