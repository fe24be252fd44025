"""Open data: the index of published challenges, their OCDS release and record packages, a CSV
of challenges with the awards vendors were told of (values only once final), and a CSV of the
pilots' outcome measurements."""

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
    return render(request, "opendata/open_data.html", {"pager": pager, "page": page})


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
