"""Open data does not rewrite history (DESIGN.md §6): each OCDS release is stored when its stage
happens and never changes; the package serves the stored releases, byte for byte; the record is
what the OCDS merge routine makes of them; `publishedDate` is the time of the last change.

The pipeline is driven as its people drive it, with the whole-pipeline journey's steps."""

import json
from datetime import datetime

import ocdsmerge
import pytest
import time_machine
from django.db import DatabaseError, transaction
from rest_framework.test import APIClient

from opendata import ocds
from opendata.models import Release
from tests.test_whole_pipeline import (
    START,
    award,
    close_at_deadline,
    co_design,
    data_governance,
    draft_challenge,
    evaluate,
    pilot,
    questions_and_addendum,
    register_vendor,
    review_and_publish,
    submit_proposal,
    timeline_and_plan,
)

PRIVATE_BEFORE_CLOSING = ("Acme", "Globex", "numberOfTenderers", "100000", "80000")


def fetch(reference, kind) -> bytes:
    response = APIClient().get(f"/open-data/{reference}/{kind}.json")
    assert response.status_code == 200
    return response.content


def api_fetch(reference, kind) -> bytes:
    response = APIClient().get(f"/api/open-data/{reference}/{kind}/")
    assert response.status_code == 200
    return response.content


class History:
    """What each stored release said when it was first seen; every later look must agree."""

    def __init__(self):
        self.first_seen: dict[str, str] = {}
        self.stages: dict[str, list[str]] = {}

    def check(self, stage: str) -> list[str]:
        new = []
        for release in Release.objects.order_by("pk"):
            if release.release_id in self.first_seen:
                assert release.data == self.first_seen[release.release_id], (
                    stage,
                    release.release_id,
                )
            else:
                self.first_seen[release.release_id] = release.data
                new.append(release.release_id)
        self.stages[stage] = new
        return new


def tags(release_ids: list[str]) -> list[list[str]]:
    by_id = dict(Release.objects.values_list("release_id", "tags"))
    return [by_id[release_id] for release_id in release_ids]


def merger() -> ocdsmerge.Merger:
    # The local copy of the schema: the merge rules never come from the network.
    return ocdsmerge.Merger(schema=ocds.release_schema())


@pytest.mark.django_db
def test_each_release_is_stored_at_its_stage_and_never_changes(
    alice, carol, dave, erin, frank, grace, rita, department
):
    history = History()
    with time_machine.travel(START, tick=False) as traveller:
        reference = draft_challenge(alice, department)
        co_design(reference, alice, rita)
        timeline_and_plan(reference, alice)
        data_governance(reference, alice)
        assert history.check("draft") == []
        assert APIClient().get(f"/open-data/{reference}/releases.json").status_code == 404

        review_and_publish(reference, alice, carol)
        ocid = ocds.ocid(Release.objects.get().challenge)
        assert history.check("published") == [f"{ocid}-tender"]
        published_package = fetch(reference, "releases")
        # The record, written through its services before review, is in the tender release.
        planning = json.loads(published_package)["releases"][0]["planning"]
        (dataset,) = planning["dataGovernance"]["datasets"]
        assert dataset["name"] == "Building envelope audits"

        acme = register_vendor(dave, "Acme Heat Solutions Ltd.", 1)
        globex = register_vendor(erin, "Globex Retrofit Co-operative", 2)
        questions_and_addendum(reference, alice, dave)
        # The answer, then the addendum.
        assert tags(history.check("questions")) == [["tenderUpdate"], ["tenderAmendment"]]

        acme_id = submit_proposal(
            reference, dave, acme, amount="100000.00", breakdown=[], approach="Heat pumps."
        )
        globex_id = submit_proposal(
            reference, erin, globex, amount="80000.00", breakdown=[], approach="Windows."
        )
        # Sealing: submitting stores nothing, and no release so far says anything of proposals.
        assert history.check("submitted") == []
        before_closing = fetch(reference, "releases").decode()
        for private in PRIVATE_BEFORE_CLOSING:
            assert private not in before_closing

        close_at_deadline(traveller, reference, alice)
        assert history.check("closed") == [f"{ocid}-closing"]
        evaluate(reference, alice, frank, grace, acme_id, globex_id)
        assert history.check("evaluated") == []
        award(traveller, reference, alice, carol, frank, dave, erin, acme_id)
        assert tags(history.check("awarded")) == [
            ["award"],
            ["tenderUpdate", "awardUpdate", "contract"],
        ]
        pilot(traveller, reference, alice)
        # Started, in review, adopted.
        assert tags(history.check("pilot")) == [["implementation"]] * 3

    history.check("end")
    # The release dated at publication still says what was public then: an active tender, no
    # answer, no addendum, no count of proposals (its stored text is checked by `history`).
    package = json.loads(fetch(reference, "releases"))
    tender_release = package["releases"][0]
    assert tender_release == json.loads(published_package)["releases"][0]
    assert tender_release["tender"]["status"] == "active"
    assert [d["documentType"] for d in tender_release["tender"]["documents"]] == ["tenderNotice"]
    assert "amendments" not in tender_release["tender"]
    assert "numberOfTenderers" not in tender_release["tender"]
    for stored, served in zip(Release.objects.in_order(), package["releases"], strict=True):
        assert json.loads(stored.data) == served


@pytest.fixture
def adopted(alice, carol, dave, erin, frank, grace, rita, department):
    with time_machine.travel(START, tick=False) as traveller:
        reference = draft_challenge(alice, department)
        co_design(reference, alice, rita)
        timeline_and_plan(reference, alice)
        data_governance(reference, alice)
        review_and_publish(reference, alice, carol)
        acme = register_vendor(dave, "Acme Heat Solutions Ltd.", 1)
        globex = register_vendor(erin, "Globex Retrofit Co-operative", 2)
        questions_and_addendum(reference, alice, dave)
        acme_id = submit_proposal(
            reference, dave, acme, amount="100000.00", breakdown=[], approach="Heat pumps."
        )
        globex_id = submit_proposal(
            reference, erin, globex, amount="80000.00", breakdown=[], approach="Windows."
        )
        close_at_deadline(traveller, reference, alice)
        evaluate(reference, alice, frank, grace, acme_id, globex_id)
        award(traveller, reference, alice, carol, frank, dave, erin, acme_id)
        pilot(traveller, reference, alice)
    return reference


@pytest.mark.django_db
def test_the_same_package_fetched_twice_is_the_same_bytes_dated_at_the_last_change(adopted):
    with time_machine.travel(datetime(2031, 5, 5, 12, 0), tick=False):
        for kind in ("releases", "record"):
            assert fetch(adopted, kind) == fetch(adopted, kind)
        for kind in ("release-package", "record"):
            assert api_fetch(adopted, kind) == api_fetch(adopted, kind)
        package = json.loads(fetch(adopted, "releases"))
        record = json.loads(fetch(adopted, "record"))

    last_change = max(datetime.fromisoformat(r["date"]) for r in package["releases"])
    assert datetime.fromisoformat(package["publishedDate"]) == last_change
    assert datetime.fromisoformat(record["publishedDate"]) == last_change
    assert not package["publishedDate"].startswith("2031")
    assert ocds.validation_errors(package) == []
    assert ocds.validation_errors(record, kind="record") == []


@pytest.mark.django_db
def test_the_record_is_what_the_ocds_merge_routine_makes_of_the_stored_releases(adopted):
    package = json.loads(fetch(adopted, "releases"))
    (record,) = json.loads(fetch(adopted, "record"))["records"]

    assert merger().create_compiled_release(package["releases"]) == record["compiledRelease"]
    assert merger().create_versioned_release(package["releases"]) == record["versionedRelease"]
    compiled = record["compiledRelease"]
    assert compiled["tender"]["status"] == "complete"
    assert compiled["tender"]["numberOfTenderers"] == 2
    assert compiled["awards"][0]["status"] == "active"
    assert compiled["awards"][0]["value"] == {"amount": 100000.0, "currency": "CAD"}
    (contract,) = compiled["contracts"]
    assert contract["value"] == {"amount": 100000.0, "currency": "CAD"}
    assert [m["status"] for m in contract["implementation"]["milestones"]] == ["met"]
    # The history keeps every tender status the challenge went through, release by release.
    statuses = [v["value"] for v in record["versionedRelease"]["tender"]["status"]]
    assert statuses == ["active", "complete"]


@pytest.mark.django_db
def test_a_stored_release_refuses_to_change(adopted):
    release = Release.objects.in_order().first()

    release.data = release.data.replace("active", "complete")
    with pytest.raises(ValueError, match="never changes"):
        release.save()
    # The database refuses too, whatever code connects to it.
    with pytest.raises(DatabaseError), transaction.atomic():
        Release.objects.filter(pk=release.pk).update(data="{}")
    with pytest.raises(DatabaseError), transaction.atomic():
        Release.objects.filter(pk=release.pk).delete()

    release.refresh_from_db()
    assert json.loads(release.data)["tender"]["status"] == "active"
