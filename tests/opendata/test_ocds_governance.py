"""Open data for issue 13: the data governance record in the local OCDS extension, the
municipality's public documents in the section each belongs to, and the contract once signed.
Every release and package validates against the official schema with the extension applied, and
nothing marked confidential is ever published."""

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal

import ocdsmerge
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from challenges import services as challenge_services
from challenges.models import DataGovernanceRecord
from opendata import extensions, ocds, ocds_governance, packages
from opendata.models import Release
from procurement.models import Contract, ContractTerm
from procurement.services import pilot as pilot_services
from procurement.signals import contract_signed
from tests.factories import (
    DataAssetFactory,
    DataGovernanceRecordFactory,
    DataSharingFactory,
    DocumentFactory,
    GovernanceDecisionFactory,
    set_status,
)
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

# What the owner marked confidential: none of it may reach open data, not even the reason.
SECRETS = (
    "Water network sensor feed",
    "Security of the water network",
    "Police analytics unit",
    "An ongoing investigation",
    "Chose the vendor's own cloud",
    "Commercial negotiation",
    "Draft legal opinion",
    "Solicitor-client privilege",
)


def dumped(data) -> str:
    return json.dumps(data, ensure_ascii=False)


def assert_no_secrets(*documents):
    for document in documents:
        text = dumped(document) if not isinstance(document, str) else document
        for secret in SECRETS:
            assert secret not in text


@pytest.fixture
def challenge(challenge, alice):
    """alice's draft with a data governance record (a public and a confidential row of each
    kind, automated decisions at level 2) and documents, public and confidential."""
    record = DataGovernanceRecordFactory(
        challenge=challenge,
        assessment_status="completed",
        assessment_completed_on=date(2027, 3, 1),
        automated_decisions=True,
        impact_level=2,
        impact_explanation="Ranks homes for retrofits; staff review every ranking.",
    )
    DataAssetFactory(
        record=record,
        name="Household energy use",
        sensitivity="deidentified",
        about_residents_location_or_devices=True,
        open_data=True,
        licence="ogl_canada",
        open_format="CSV",
    )
    DataAssetFactory(
        record=record,
        name="Water network sensor feed",
        sensitivity="none",
        confidential=True,
        confidential_reason="Security of the water network",
    )
    DataSharingFactory(record=record)
    DataSharingFactory(
        record=record,
        party="Police analytics unit",
        confidential=True,
        confidential_reason="An ongoing investigation",
    )
    GovernanceDecisionFactory(record=record, decided_on=date(2027, 2, 1))
    GovernanceDecisionFactory(
        record=record,
        topic="technology",
        decision="Chose the vendor's own cloud",
        confidential=True,
        confidential_reason="Commercial negotiation",
        decided_on=date(2027, 2, 2),
    )
    DocumentFactory(challenge=challenge, title="Meter data sample", kind="x_backgroundData")
    DocumentFactory(
        challenge=challenge,
        attached_to="governance",
        title="Privacy impact assessment",
        kind="x_privacyImpactAssessment",
        language="fr",
    )
    DocumentFactory(
        challenge=challenge,
        attached_to="governance",
        title="Draft legal opinion",
        kind="x_other",
        confidential=True,
        confidential_reason="Solicitor-client privilege",
    )
    return challenge


def tender_release(challenge) -> dict:
    return Release.objects.get(release_id=f"{ocds.ocid(challenge)}-tender").release


def assert_everything_valid(challenge):
    package = packages.release_package(challenge)
    record = packages.record_package(challenge)
    assert ocds.validation_errors(package) == []
    assert ocds.validation_errors(record, kind="record") == []
    for release in package["releases"]:
        assert ocds.validation_errors(release, kind="single") == []
    assert ocds.validation_errors(record["records"][0]["compiledRelease"], kind="single") == []
    assert_no_secrets(package, record)
    return package, record


# The extension itself ----------------------------------------------------------------------------


def test_the_extension_metadata_has_what_ocds_tools_read():
    metadata = json.loads(
        (extensions.EXTENSIONS_DIR / "data_governance" / "extension.json").read_text("utf-8")
    )

    assert set(metadata["name"]) == set(metadata["description"]) == {"en", "fr"}
    assert metadata["compatibility"] == ["1.1"]
    assert metadata["schemas"] == ["release-schema.json"]
    assert "documentationUrl" in metadata
    for schema in metadata["schemas"]:
        json.loads((extensions.EXTENSIONS_DIR / "data_governance" / schema).read_text("utf-8"))


def test_the_patch_adds_the_record_to_planning_and_terms_to_contracts():
    schema = ocds.release_schema()
    planning = schema["definitions"]["Planning"]["properties"]
    contract = schema["definitions"]["Contract"]["properties"]

    assert planning["dataGovernance"]["$ref"] == "#/definitions/DataGovernance"
    assert contract["dataTerms"]["items"]["$ref"] == "#/definitions/ContractDataTerm"
    # The official fields are still there: the patch adds, it does not replace.
    assert {"rationale", "budget", "documents"} <= set(planning)
    assert {"id", "awardID", "status", "value", "documents"} <= set(contract)


def test_the_merge_patch_follows_rfc_7386():
    target = {"a": "b", "c": {"d": "e", "f": "g"}, "list": [1, 2]}
    patch = {"a": "z", "c": {"f": None, "h": "i"}, "list": [3]}

    assert extensions.merge_patch(target, patch) == {
        "a": "z",
        "c": {"d": "e", "h": "i"},
        "list": [3],
    }
    assert target == {"a": "b", "c": {"d": "e", "f": "g"}, "list": [1, 2]}
    assert extensions.merge_patch({"a": "b"}, ["c"]) == ["c"]


def test_a_value_the_extension_refuses_is_reported(published):
    package = packages.release_package(published)
    package["releases"][0]["planning"]["dataGovernance"]["datasets"][0]["personalInformation"] = (
        "plenty"
    )

    (error,) = ocds.validation_errors(package)
    assert "personalInformation" in error


def test_every_package_declares_the_extension_where_the_app_serves_it(client, published):
    for package in (packages.release_package(published), packages.record_package(published)):
        (url,) = package["extensions"]
        assert url.endswith("/open-data/extensions/data_governance/extension.json")
        assert url.startswith("http")

    response = client.get("/open-data/extensions/data_governance/extension.json")
    assert response.status_code == 200
    served = response.json()
    assert served["name"]["fr"] == "Gouvernance des données"
    readme = served["documentationUrl"]["en"]
    assert readme.endswith("/open-data/extensions/data_governance/README.md")
    assert client.get("/open-data/extensions/data_governance/README.md").status_code == 200
    schema = client.get("/open-data/extensions/data_governance/release-schema.json")
    assert schema.json()["definitions"]["Planning"]["properties"]["dataGovernance"]


def test_the_documentation_url_can_point_at_the_public_repository(client, settings):
    settings.OCDS_EXTENSION_DOCUMENTATION_URL = "https://code.example.org/ccp/docs/open-data.md"

    served = client.get("/open-data/extensions/data_governance/extension.json").json()

    assert served["documentationUrl"] == {
        "en": "https://code.example.org/ccp/docs/open-data.md",
        "fr": "https://code.example.org/ccp/docs/open-data.md",
    }


@pytest.mark.parametrize(
    "path",
    [
        "/open-data/extensions/data_governance/settings.py",
        "/open-data/extensions/data_governance/..%2F..%2Focds.py",
        "/open-data/extensions/other/extension.json",
    ],
)
def test_nothing_else_is_served_from_the_extensions(client, path):
    assert client.get(path).status_code == 404


# The record and documents at publication ---------------------------------------------------------


def test_the_tender_release_carries_the_public_record(published):
    planning = tender_release(published)["planning"]
    governance = planning["dataGovernance"]

    (dataset,) = governance["datasets"]
    assert dataset["name"] == "Household energy use"
    assert dataset["personalInformation"] == "deidentified"
    assert dataset["aboutResidentsLocationOrDevices"] is True
    assert dataset["openData"] is True
    assert dataset["openDataLicense"]["id"] == "ogl_canada"
    assert dataset["openDataLicense"]["url"].startswith("https://open.canada.ca/")
    assert dataset["openDataFormat"] == "CSV"
    assert governance["privacy"] == {
        "impactAssessmentRequired": True,
        "impactAssessmentStatus": "completed",
        "impactAssessmentDate": "2027-03-01T00:00:00-04:00",
        "legalAuthority": "Local Governance Act, s. 10 (municipal services).",
        "retentionPeriod": "Two years after the pilot ends.",
        "storageLocation": "inCanada",
    }
    (sharing,) = governance["sharing"]
    assert sharing["party"] == "The provincial energy efficiency agency"
    assert sharing["agreementStatus"] == "drafting"
    technology = governance["technology"]
    assert technology["automatedDecisions"] is True
    assert technology["algorithmicImpactLevel"] == 2
    assert technology["algorithmicImpactExplanation"].startswith("Ranks homes")
    assert technology["accessibilityStandard"] == "wcag21aa"
    assert technology["exit"]["dataReturnedInOpenFormats"] is True
    (decision,) = governance["decisions"]
    assert decision["decision"] == "Keep household data in Canada."
    assert decision["reason"] and decision["decidedBy"] == "Director of Sustainability"
    assert decision["date"] == "2027-02-01T00:00:00-04:00"
    assert_everything_valid(published)


def test_public_documents_go_where_they_belong_with_their_type(published):
    release = tender_release(published)

    (assessment,) = release["planning"]["documents"]
    assert assessment["documentType"] == "x_privacyImpactAssessment"
    assert assessment["title"] == "Privacy impact assessment"
    assert assessment["language"] == "fr"
    assert assessment["format"] == "application/pdf"
    assert assessment["url"].startswith("http")
    assert assessment["datePublished"]
    by_title = {d["title"]: d for d in release["tender"]["documents"]}
    assert by_title["Meter data sample"]["documentType"] == "x_backgroundData"
    assert "Draft legal opinion" not in dumped(release)


def test_a_challenge_without_a_record_publishes_none(challenge, plan, alice):
    challenge.data_governance.delete()
    set_status(challenge, "approved")
    challenge_services.challenge_transition(challenge=challenge, actor=alice, name="publish")

    assert "dataGovernance" not in tender_release(challenge)["planning"]
    assert_everything_valid(challenge)


def test_an_addendum_document_is_published_with_its_addendum(published, alice):
    addendum = challenge_services.addendum_create(
        challenge=published, actor=alice, title="New meter model", body="See the annex."
    )
    DocumentFactory(
        challenge=published,
        attached_to="addendum",
        addendum=addendum,
        title="Meter specifications",
        kind="technicalSpecifications",
    )
    assert "Meter specifications" not in dumped(packages.release_package(published))

    challenge_services.addendum_issue(addendum=addendum, actor=alice)

    release = packages.release_package(published)["releases"][-1]
    assert release["tag"] == ["tenderAmendment"]
    (spec,) = [d for d in release["tender"]["documents"] if d["title"] == "Meter specifications"]
    assert spec["documentType"] == "technicalSpecifications"
    assert_everything_valid(published)


# The contract ------------------------------------------------------------------------------------


def signed_contract(award, alice, *, starts_on=None, ends_on=None) -> Contract:
    today = timezone.localdate()
    contract = Contract.objects.create(
        challenge=award.challenge,
        award=award,
        value=Decimal("98500.00"),
        starts_on=starts_on or today,
        ends_on=ends_on or today + timedelta(days=365),
        signed_on=today,
        created_by=alice,
    )
    ContractTerm.objects.create(
        contract=contract, topic="residency", text="All data stays in Canada.", order=1
    )
    ContractTerm.objects.create(
        contract=contract, topic="exit", text="Data returned in CSV within 30 days.", order=2
    )
    DocumentFactory(
        challenge=award.challenge,
        attached_to="contract",
        title="Signed contract",
        kind="contractSigned",
    )
    return set_status(contract, "signed", signed_at=timezone.now())


def contract_releases(challenge) -> list[dict]:
    return [r for r in packages.release_package(challenge)["releases"] if r["tag"] == ["contract"]]


def test_the_signed_contract_is_published_when_signed(final_award, alice):
    challenge = final_award.challenge
    contract = signed_contract(final_award, alice)
    assert contract_releases(challenge) == []

    contract_signed.send(sender=Contract, contract=contract)

    (release,) = contract_releases(challenge)
    assert release["id"].endswith(f"contract-{final_award.pk}-signed")
    (published_contract,) = release["contracts"]
    assert published_contract["id"] == f"contract-{final_award.pk}"
    assert published_contract["awardID"] == f"award-{final_award.pk}"
    assert published_contract["status"] == "active"
    assert published_contract["value"] == {"amount": 98500.0, "currency": "CAD"}
    assert published_contract["period"]["startDate"].startswith(contract.starts_on.isoformat())
    assert published_contract["period"]["endDate"].startswith(contract.ends_on.isoformat())
    assert published_contract["dateSigned"].startswith(contract.signed_on.isoformat())
    assert [t["topic"] for t in published_contract["dataTerms"]] == ["residency", "exit"]
    assert published_contract["description"] == (
        "Data and technology terms: Data residency; Exit and portability."
    )
    (document,) = published_contract["documents"]
    assert document["documentType"] == "contractSigned"
    _, record = assert_everything_valid(challenge)
    compiled = record["records"][0]["compiledRelease"]
    assert compiled["contracts"][0]["status"] == "active"
    assert compiled["contracts"][0]["value"]["amount"] == 98500.0
    assert compiled["planning"]["dataGovernance"]["datasets"][0]["name"] == "Household energy use"
    # The reference merge routine, given the schema with the extension, compiles the same record.
    releases = packages.release_package(challenge)["releases"]
    merger = ocdsmerge.Merger(schema=ocds.release_schema())
    assert merger.create_compiled_release(releases) == compiled


def test_the_signal_stores_the_release_once(final_award, alice):
    contract = signed_contract(final_award, alice)

    contract_signed.send(sender=Contract, contract=contract)
    contract_signed.send(sender=Contract, contract=contract)

    assert len(contract_releases(final_award.challenge)) == 1


def test_a_contract_signed_to_start_later_is_pending(final_award, alice):
    today = timezone.localdate()
    contract = signed_contract(final_award, alice, starts_on=today + timedelta(days=30))

    contract_signed.send(sender=Contract, contract=contract)

    (release,) = contract_releases(final_award.challenge)
    assert release["contracts"][0]["status"] == "pending"
    assert_everything_valid(final_award.challenge)


def test_the_contract_status_follows_its_signature_and_dates(final_award, alice):
    def contract(status):
        return Contract(
            award=final_award,
            status=status,
            starts_on=date(2027, 5, 1),
            ends_on=date(2027, 12, 31),
        )

    today = date(2027, 6, 1)
    assert ocds_governance.contract_status(contract("draft"), today=today) == "pending"
    contract = contract("signed")
    assert ocds_governance.contract_status(contract, today=today) == "active"
    assert ocds_governance.contract_status(contract, today=date(2027, 4, 30)) == "pending"
    assert ocds_governance.contract_status(contract, today=date(2028, 1, 1)) == "terminated"


def test_confidential_contract_parts_stay_out(final_award, alice):
    contract = signed_contract(final_award, alice)
    DocumentFactory(
        challenge=final_award.challenge,
        attached_to="contract",
        title="Draft legal opinion",
        kind="contractAnnexe",
        confidential=True,
        confidential_reason="Solicitor-client privilege",
    )
    ContractTerm.objects.create(
        contract=contract, topic="other", text="Commercial negotiation", confidential=True
    )

    contract_signed.send(sender=Contract, contract=contract)

    (release,) = contract_releases(final_award.challenge)
    assert [d["title"] for d in release["contracts"][0]["documents"]] == ["Signed contract"]
    assert_everything_valid(final_award.challenge)


def test_a_draft_contract_publishes_nothing(final_award, alice):
    contract = Contract.objects.create(
        challenge=final_award.challenge, award=final_award, created_by=alice
    )
    releases_before = Release.objects.count()

    # A signal sent for a contract that is not signed (a mistake upstream) publishes nothing.
    contract_signed.send(sender=Contract, contract=contract)

    assert Release.objects.count() == releases_before


def test_pilot_documents_sit_in_the_implementation_beside_the_milestones(pilot, alice):
    pilot_services.milestone_add(
        pilot=pilot, actor=alice, title="Install in 20 homes", due_on=date(2027, 1, 15)
    )
    pilot_services.indicator_add(
        pilot=pilot,
        actor=alice,
        name="Average energy burden",
        unit="% of income",
        baseline=Decimal("8.5"),
        target=Decimal("6"),
    )
    DocumentFactory(
        challenge=pilot.challenge,
        attached_to="pilot",
        title="First progress report",
        kind="physicalProgressReport",
    )
    pilot_services.pilot_transition(pilot=pilot, actor=alice, name="start")

    release = packages.release_package(pilot.challenge)["releases"][-1]
    # No contract is signed: its documents are not public, and none is published.
    assert "documents" not in release["contracts"][0]
    implementation = release["contracts"][0]["implementation"]
    # The record's open dataset became a milestone too when the pilot was planned.
    assert sorted(m["title"] for m in implementation["milestones"]) == [
        "Install in 20 homes",
        "Publish Household energy use as open data (Open Government Licence – Canada, CSV)",
    ]
    (report,) = implementation["documents"]
    assert report["documentType"] == "physicalProgressReport"
    assert_everything_valid(pilot.challenge)


def test_a_published_document_links_to_its_download_which_anyone_may_use(client, published):
    release = tender_release(published)
    (sample,) = [d for d in release["tender"]["documents"] if d["title"] == "Meter data sample"]

    assert sample["url"].startswith(settings.SITE_URL.rstrip("/") + "/")
    path = sample["url"].removeprefix(settings.SITE_URL.rstrip("/"))
    assert client.get(path).status_code == 200


def test_a_withdrawn_document_is_left_out_of_later_releases(published, alice):
    from challenges.models import Document

    Document.objects.filter(title="Meter data sample").update(
        withdrawn_at=timezone.now(), withdrawal_reason="Wrong meter"
    )
    addendum = challenge_services.addendum_create(
        challenge=published, actor=alice, title="Meters", body="A new sample follows."
    )
    challenge_services.addendum_issue(addendum=addendum, actor=alice)

    first, latest = (r["tender"] for r in packages.release_package(published)["releases"])
    # What was published then stays as it was; the new release no longer offers the file.
    assert "Meter data sample" in dumped(first)
    assert "Meter data sample" not in dumped(latest)
    assert_everything_valid(published)


# The CSV and the index page ----------------------------------------------------------------------


def governance_rows(client) -> list[dict]:
    response = client.get(reverse("opendata:open_data_governance_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_has_a_row_per_public_dataset_of_published_challenges(client, published):
    draft = DataGovernanceRecordFactory()  # a draft's record is not public yet
    DataAssetFactory(record=draft, name="Draft dataset")

    rows = governance_rows(client)

    (row,) = rows
    assert row["ocid"] == ocds.ocid(published)
    assert row["reference"] == published.reference
    assert row["dataset"] == "Household energy use"
    assert row["personal_information"] == "deidentified"
    assert row["location_or_device_data"] == "yes"
    assert (row["open_data"], row["open_data_licence"], row["open_data_format"]) == (
        "yes",
        "ogl_canada",
        "CSV",
    )
    assert row["privacy_assessment"] == "completed"
    assert row["privacy_assessment_completed_on"] == "2027-03-01"
    assert row["storage_location"] == "in_canada"
    assert (row["automated_decisions"], row["algorithmic_impact_level"]) == ("yes", "2")
    assert_no_secrets(json.dumps(rows))


def test_the_csv_costs_the_same_queries_however_many_datasets(client, published, alice):
    with CaptureQueriesContext(connection) as few:
        governance_rows(client)
    record = published.data_governance
    for i in range(8):
        DataAssetFactory(record=record, name=f"Extra dataset {i}")

    with CaptureQueriesContext(connection) as many:
        assert len(governance_rows(client)) == 9

    assert len(many) == len(few)


def test_the_open_data_page_links_the_csv_and_the_extension(client, db):
    page = client.get(reverse("opendata:open_data")).content.decode()

    assert f'href="{reverse("opendata:open_data_governance_csv")}"' in page
    assert 'href="/open-data/extensions/data_governance/extension.json"' in page


def test_an_assessment_completed_after_publication_is_published_with_the_next_stage(pilot, alice):
    challenge = pilot.challenge
    # Nothing changed since publication: the stages so far carry no planning.
    later = [r for r in packages.release_package(challenge)["releases"] if "award" in r["tag"]]
    assert later and all("planning" not in r for r in later)

    # The assessment is redone after publication (a new completion day) and its report attached.
    DataGovernanceRecord.objects.filter(challenge=challenge).update(
        assessment_completed_on=date(2027, 4, 1)
    )
    DocumentFactory(
        challenge=challenge,
        attached_to="governance",
        title="Completed privacy impact assessment",
        kind="x_privacyImpactAssessment",
    )
    pilot_services.milestone_add(pilot=pilot, actor=alice, title="Install", due_on=date(2027, 5, 1))
    pilot_services.indicator_add(
        pilot=pilot, actor=alice, name="Savings", unit="%", baseline=Decimal(0), target=Decimal(5)
    )
    pilot_services.pilot_transition(pilot=pilot, actor=alice, name="start")

    release = packages.release_package(challenge)["releases"][-1]
    assert release["tag"] == ["implementation", "planningUpdate"]
    privacy = release["planning"]["dataGovernance"]["privacy"]
    assert privacy["impactAssessmentStatus"] == "completed"
    assert privacy["impactAssessmentDate"] == "2027-04-01T00:00:00-03:00"  # summer time
    assert [d["title"] for d in release["planning"]["documents"]] == [
        "Completed privacy impact assessment"
    ]
    _, record = assert_everything_valid(challenge)
    compiled = record["records"][0]["compiledRelease"]["planning"]
    assert compiled["dataGovernance"]["privacy"]["impactAssessmentStatus"] == "completed"
    assert len(compiled["documents"]) == 2


def test_signing_through_the_contract_services_publishes_the_contract_on_commit(
    final_award, alice, django_capture_on_commit_callbacks
):
    from procurement.services import contract as contract_services

    today = timezone.localdate()
    contract = contract_services.contract_create(award=final_award, actor=alice)
    # The terms drafted from the record include one from its confidential dataset.
    assert contract.terms.filter(confidential=True).exists()
    contract_services.contract_update(
        contract=contract,
        actor=alice,
        value=Decimal("99000.00"),
        starts_on=today,
        ends_on=today + timedelta(days=200),
        signed_on=today,
    )
    contract_services.contract_term_add(
        contract=contract,
        actor=alice,
        topic="other",
        text="Commercial negotiation",
        confidential=True,
    )
    DocumentFactory(
        challenge=final_award.challenge,
        attached_to="contract",
        title="Signed contract",
        kind="contractSigned",
    )

    with django_capture_on_commit_callbacks(execute=True):
        contract_services.contract_sign(contract=contract, actor=alice)

    (release,) = contract_releases(final_award.challenge)
    (published_contract,) = release["contracts"]
    assert published_contract["status"] == "active"
    assert published_contract["value"] == {"amount": 99000.0, "currency": "CAD"}
    public = contract.terms.filter(confidential=False).count()
    assert public and len(published_contract["dataTerms"]) == public
    assert [d["documentType"] for d in published_contract["documents"]] == ["contractSigned"]
    assert_everything_valid(final_award.challenge)


def test_a_contract_annex_attached_after_signing_comes_with_the_next_pilot_step(pilot, alice):
    contract = signed_contract(pilot.award, alice)
    contract_signed.send(sender=Contract, contract=contract)
    DocumentFactory(
        challenge=pilot.challenge,
        attached_to="contract",
        title="Data return schedule",
        kind="contractAnnexe",
    )
    pilot_services.milestone_add(pilot=pilot, actor=alice, title="Install", due_on=date(2027, 5, 1))
    pilot_services.indicator_add(
        pilot=pilot, actor=alice, name="Savings", unit="%", baseline=Decimal(0), target=Decimal(5)
    )

    pilot_services.pilot_transition(pilot=pilot, actor=alice, name="start")

    release = packages.release_package(pilot.challenge)["releases"][-1]
    assert release["tag"] == ["implementation"]
    titles = [d["title"] for d in release["contracts"][0]["documents"]]
    assert titles == ["Signed contract", "Data return schedule"]
    _, record = assert_everything_valid(pilot.challenge)
    (compiled_contract,) = record["records"][0]["compiledRelease"]["contracts"]
    assert compiled_contract["status"] == "active"
    assert len(compiled_contract["documents"]) == 2


def test_the_validate_command_checks_every_published_challenge(published, monkeypatch):
    out = io.StringIO()
    call_command("ocds_validate", stdout=out)
    assert out.getvalue().strip() == "1 challenge(s): every package is valid."

    # A release the extension refuses is reported with its challenge.
    stored = packages.release_package(published)
    stored["releases"][0]["planning"]["dataGovernance"]["technology"]["algorithmicImpactLevel"] = 9
    monkeypatch.setattr(packages, "release_package", lambda challenge: stored)
    with pytest.raises(CommandError, match=f"{published.reference}: .*algorithmicImpactLevel"):
        call_command("ocds_validate", stdout=io.StringIO())
