"""The OpenAPI schema is valid and true: no generated request makes the API fail, and every
answer has a status, content type and shape the schema documents (DESIGN.md §9).

Schemathesis generates requests from the schema and sends them to the WSGI application, once as
a staff owner (HTTP Basic) and once anonymously; the vendor endpoints, which answer anyone else
before reading a byte of input (403 or 404), as a vendor's owner instead; the evaluation
endpoints once more as the panel's chair, who scores and leads the consensus.
Generated references and ids rarely exist, so each case is sent a second time aimed at real rows
(the award and pilot endpoints at a challenge with a final award and a planned pilot).
"""

import base64
from datetime import date
from decimal import Decimal

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from challenges.models import Challenge
from config.wsgi import application
from core.workflow import transition_names
from evaluation.models import Evaluation, PanelAssignment
from procurement.models import Award, Milestone, OutcomeIndicator, Pilot
from tests.evaluation.builders import ranking_field
from tests.factories import (
    PASSWORD,
    AddendumFactory,
    ChallengeFactory,
    CommunityInputFactory,
    DataSharingFactory,
    DocumentFactory,
    EngagementActivityFactory,
    GovernanceDecisionFactory,
    InputThemeFactory,
    QuestionFactory,
    ResponseQuestionFactory,
    VendorMembershipFactory,
    complete_governance,
    panel_member,
    set_status,
)
from tests.vendors.conftest import fill_in
from vendors import services as vendor_services

SETTINGS = settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


@pytest.mark.django_db
def test_the_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", validate=True, fail_on_warn=True, file=str(tmp_path / "api.yaml"))

    text = (tmp_path / "api.yaml").read_text()
    # Every transition of the challenge's state machine is an endpoint.
    for name in transition_names(Challenge):
        assert f"/api/challenges/{{reference}}/{name}/:" in text, name
    # The vendor's steps are endpoints; screening and the ranking move proposals on, not the API.
    for name in ("submit", "withdraw", "revise", "reconfirm"):
        assert f"/api/proposals/{{id}}/{name}/:" in text, name
    for name in ("qualify", "disqualify", "receive", "lapse", "require_reconfirmation"):
        assert f"/api/proposals/{{id}}/{name}/:" not in text, name
    # Every step of the evaluation and of a panel member is an endpoint.
    for name in transition_names(Evaluation):
        assert f"/api/evaluations/{{reference}}/{name}/:" in text, name
    for name in transition_names(PanelAssignment):
        assert f"/api/assignments/{{id}}/{name}/:" in text, name
    # Every step of an award (the standstill starts with notify) and of a pilot is an endpoint;
    # withdrawing follows the challenge's cancellation or end, never a request.
    for name in set(transition_names(Award)) - {"start_standstill", "withdraw"}:
        assert f"/api/awards/{{reference}}/{name}/:" in text, name
    assert "/api/awards/{reference}/withdraw/:" not in text
    for name in transition_names(Pilot):
        assert f"/api/pilots/{{reference}}/{name}/:" in text, name
    for path in ("/api/open-data/", "/api/open-data/{reference}/release-package/"):
        assert f"{path}:" in text, path


@pytest.mark.django_db
def test_the_swagger_ui_is_served_without_a_cdn(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn.jsdelivr.net" not in page


# Loaded once at collection: generating the schema reads no rows.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
# Boundary values (empty, too long, NUL characters) stay on; methods the API does not declare are
# answered by DRF itself (405), and trying each on every path would triple the run time.
schema.config.phases.coverage.unexpected_methods = set()


VENDOR_PATHS = r"^/api/(vendors|proposals|documents|invitations)/"
AWARD_PATHS = ("/api/awards/", "/api/pilots/")
EVALUATION_PATHS = r"^/api/(evaluations|assignments)/"


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Django closes the database connection after a WSGI request, which would end the test's
    transaction; Django's own test client disconnects the same receivers."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def rows(wsgi_keeps_the_test_connection, alice, dave, erin, frank, rita, department):
    """Real rows for generated requests to hit: one of each thing, in states that accept steps."""
    co_design = set_status(ChallengeFactory(owner=alice, department=department), "co_design")
    EngagementActivityFactory(challenge=co_design)
    governance = complete_governance(co_design)
    published = set_status(ChallengeFactory(owner=alice, department=department), "published")
    membership = VendorMembershipFactory(user=dave, role="owner")
    questions = [ResponseQuestionFactory(challenge=published, order=n) for n in (1, 2)]
    proposal = vendor_services.proposal_start(
        challenge=published, vendor=membership.vendor, actor=dave
    )
    fill_in(proposal, dave, questions)
    # An evaluation in scoring: alice owns it, frank chairs its panel.
    evaluation, scored = ranking_field(
        [([8, 6], 1000), ([5, 5], 900)], status="scoring", owner=alice
    )
    chair = panel_member(evaluation, frank, status="accepted", is_chair=True)
    # A final award with its pilot planned: alice owns the challenge.
    decided, (winner, _runner_up) = ranking_field(
        [([9, 8], 1000), ([5, 5], 900)], status="decided", owner=alice
    )
    awarded = set_status(decided.challenge, "awarded")
    award = Award.objects.create(
        challenge=awarded, evaluation=decided, proposal=winner, recommended_by=alice
    )
    set_status(award, "final", finalised_at=timezone.now())
    pilot = Pilot.objects.create(challenge=awarded, award=award)
    Milestone.objects.create(pilot=pilot, title="Install", due_on=date(2030, 1, 1))
    indicator = OutcomeIndicator.objects.create(
        pilot=pilot, name="Energy burden", unit="%", baseline=Decimal(8), target=Decimal(6)
    )
    identifiers = {
        "evaluation": evaluation.challenge.reference,
        "awarded": awarded.reference,
        "reference": published.reference,
        "challenge_reference": co_design.reference,
        "vendor_id": membership.vendor.public_id,
        "proposal_id": proposal.public_id,
        # The municipality's documents of that challenge (the owner's draft: staff read it).
        "public_id": DocumentFactory(challenge=co_design).public_id,
    }
    ids = {
        "/api/community-input/": CommunityInputFactory(challenge=co_design, author=rita).pk,
        "/api/questions/": QuestionFactory(challenge=published, asked_by=erin).pk,
        "/api/addenda/": AddendumFactory(challenge=published).pk,
        "/api/vendors/": membership.vendor.public_id,
        "/api/vendors/{vendor_id}/members/": membership.pk,
        "/api/proposals/": proposal.public_id,
        "/api/documents/": proposal.documents.get().public_id,
        "/api/assignments/": chair.pk,
        "/api/evaluations/{challenge_reference}/panel/": chair.pk,
        "/api/challenges/{challenge_reference}/response-questions/": ResponseQuestionFactory(
            challenge=co_design, order=1
        ).pk,
        "/api/challenges/{challenge_reference}/data-governance/assets/": (
            governance.assets.get().pk
        ),
        "/api/challenges/{challenge_reference}/data-governance/sharings/": DataSharingFactory(
            record=governance
        ).pk,
        "/api/challenges/{challenge_reference}/data-governance/decisions/": (
            GovernanceDecisionFactory(record=governance).pk
        ),
        "/api/challenges/{challenge_reference}/themes/": InputThemeFactory(challenge=co_design).pk,
        # Not a document of this evaluation's proposals: the download must answer 404.
        "/api/evaluations/{challenge_reference}/documents/": proposal.documents.get().public_id,
        "indicator": indicator.pk,
    }
    return identifiers, ids


def _aimed_at_real_rows(case, rows):
    identifiers, ids = rows
    parameters = dict(case.path_parameters or {})
    for name in parameters:
        if case.path.startswith("/api/evaluations/") and name.endswith("reference"):
            parameters[name] = identifiers["evaluation"]
        elif case.path.startswith(AWARD_PATHS) and name == "reference":
            parameters[name] = identifiers["awarded"]
        elif name in identifiers:
            parameters[name] = str(identifiers[name])
        elif name == "id":
            prefix = max((p for p in ids if case.path.startswith(p)), key=len)
            parameters[name] = str(ids[prefix])
    return parameters


# Every answer is one the schema documents: its status, its content type and its body's shape.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _call_twice(case, rows, headers):
    case.call_and_validate(headers=headers, checks=CHECKS)
    if case.path_parameters:
        case.path_parameters = _aimed_at_real_rows(case, rows)
        if case.path.endswith("/measurements/") and isinstance(case.body, dict):
            case.body = {**case.body, "indicator": rows[1]["indicator"]}
        case.call_and_validate(headers=headers, checks=CHECKS)


@schema.exclude(path_regex=VENDOR_PATHS).parametrize()
@SETTINGS
def test_the_api_never_fails_for_a_staff_owner(case, rows, alice):
    token = base64.b64encode(f"{alice.username}:{PASSWORD}".encode()).decode()

    _call_twice(case, rows, {"Authorization": f"Basic {token}"})


# The evaluation endpoints answer an anonymous visitor 403 before reading any input, like the
# vendor endpoints (tests/evaluation/test_api_permissions.py checks that).
@schema.exclude(path_regex=f"{VENDOR_PATHS}|{EVALUATION_PATHS}").parametrize()
@SETTINGS
def test_the_api_never_fails_for_an_anonymous_visitor(case, rows):
    _call_twice(case, rows, {})


@schema.include(path_regex=VENDOR_PATHS).parametrize()
@SETTINGS
def test_the_vendor_api_never_fails_for_a_vendors_owner(case, rows, dave):
    token = base64.b64encode(f"{dave.username}:{PASSWORD}".encode()).decode()

    _call_twice(case, rows, {"Authorization": f"Basic {token}"})


@schema.include(path_regex=EVALUATION_PATHS).parametrize()
@SETTINGS
def test_the_evaluation_api_never_fails_for_the_panels_chair(case, rows, frank):
    token = base64.b64encode(f"{frank.username}:{PASSWORD}".encode()).decode()

    _call_twice(case, rows, {"Authorization": f"Basic {token}"})
