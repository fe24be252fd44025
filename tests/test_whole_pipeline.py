"""The whole pipeline, driven as its people drive it: co-design → publish → questions →
proposals → close → evaluate → award → pilot → adopted, with the audit chain verified at the end.

Every step goes through the public interfaces: the REST API for each persona, and the pages a
visitor, a vendor or staff read (the challenge page, the inbox, the pilot page, the history).
The chronograph closes the challenge at its deadline, as the beat task does. Only the department
is set up directly: it is reference data, kept in the admin.
"""

import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

from challenges.models import Challenge
from core.models import AuditEntry
from evaluation.models import Evaluation
from opendata import ocds
from procurement.models import Award, Milestone, Pilot
from procurement.tasks import chronograph_tick
from tests.factories import valid_business_number
from vendors.models import Proposal

# A Monday in February: no daylight-saving change near any deadline in America/Moncton.
START = datetime(2027, 2, 1, 15, 0, tzinfo=UTC)
QUESTIONS_DEADLINE = START + timedelta(days=10)
SUBMISSION_DEADLINE = START + timedelta(days=20)
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ANSWER = "Yes: any Canadian hosting region meets the data residency requirement."


# Talking to the site -----------------------------------------------------------------------------


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def browser(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def call(client, method, url, body=None, *, expect=200, multipart=False):
    """Send one API request, check its status and return the JSON body."""
    if method == "get":
        response = client.get(url)
    else:
        response = getattr(client, method)(
            url, body or {}, format="multipart" if multipart else "json"
        )
    assert response.status_code == expect, (method, url, response.status_code, response.content)
    return response.json() if response.content else None


def step(client, url, body=None, *, expect=200):
    return call(client, "post", url, body, expect=expect)


# The stages --------------------------------------------------------------------------------------


def draft_challenge(alice, department) -> str:
    data = call(
        api(alice),
        "post",
        "/api/challenges/",
        {
            "title": "Warm homes for households in energy poverty",
            "summary": "Households spend too much of their income on heating.",
            "department": department.slug,
            "problem": "One in five households spends more than 6% of its income on energy.",
            "context": "Older housing stock, electric baseboard heating, rising rates.",
            "desired_outcomes": "Lower energy bills for the households that need it most.",
            "constraints": "Data stays in Canada.",
            "success_measures": "Average energy burden of participants falls below 6%.",
            "affected_communities": "Low-income tenants, seniors on fixed incomes.",
            "budget_min": "50000.00",
            "budget_max": "150000.00",
        },
        expect=201,
    )
    assert data["status"] == "draft"
    reference = data["reference"]
    # The one question every vendor answers in its technical envelope.
    question = call(
        api(alice),
        "post",
        f"/api/challenges/{reference}/response-questions/",
        {
            "prompt": "How will your solution lower energy bills?",
            "required": True,
            "max_words": 100,
        },
        expect=201,
    )
    assert question["prompt"] == "How will your solution lower energy bills?"
    return reference


def co_design(reference, alice, rita) -> None:
    owner = api(alice)
    base = f"/api/challenges/{reference}"
    assert step(owner, f"{base}/open_co_design/")["status"] == "co_design"
    call(
        owner,
        "post",
        f"{base}/engagement-activities/",
        {
            "kind": "workshop",
            "held_on": "2027-01-20",
            "participants": 24,
            "groups_reached": "Tenants' association, seniors' centre",
            "summary": "Residents described cold rooms and winter bills; the outcomes changed.",
        },
        expect=201,
    )
    comment = call(
        api(rita),
        "post",
        f"{base}/community-input/",
        {
            "kind": "experience",
            "body": "Our windows let the cold in.",
            "neighbourhood": "Northside",
            # Only input the resident agreed to publish is ever published.
            "consent_to_publish": True,
        },
        expect=201,
    )
    assert comment["status"] == "pending"
    assert "author" not in comment  # rita does not see identities, not even her own here
    pending = call(owner, "get", f"{base}/community-input/")["results"]
    assert [(row["id"], row["author"]) for row in pending] == [(comment["id"], "rita")]
    published = step(owner, f"/api/community-input/{comment['id']}/publish/")
    assert published["status"] == "published"


def data_governance(reference, alice) -> None:
    """Review needs a complete data governance record; the owner writes it through the API."""
    owner = api(alice)
    base = f"/api/challenges/{reference}/data-governance"
    record = call(
        owner,
        "patch",
        f"{base}/",
        {
            "storage_location": "in_canada",
            "accessibility_standard": "wcag21aa",
            "exit_data_return": True,
            "exit_formats": "CSV",
        },
    )
    assert record["problems"] == [
        "List at least one dataset or category of data the solution will touch in the data "
        "governance record."
    ]
    call(
        owner,
        "post",
        f"{base}/assets/",
        {
            "name": "Building envelope audits",
            "description": "Heat loss measured per building, without occupants' details.",
            "sensitivity": "none",
            "provided_by": "The vendor's auditors",
            "produced_data_owner": "The municipality",
        },
        expect=201,
    )
    assert call(owner, "get", f"{base}/")["problems"] == []


def timeline_and_plan(reference, alice) -> None:
    owner = api(alice)
    base = f"/api/challenges/{reference}"
    data = step(
        owner,
        f"{base}/schedule/",
        {
            "questions_deadline": QUESTIONS_DEADLINE.isoformat(),
            "submission_deadline": SUBMISSION_DEADLINE.isoformat(),
        },
    )
    assert datetime.fromisoformat(data["submission_deadline"]) == SUBMISSION_DEADLINE
    plan = call(
        owner,
        "put",
        f"{base}/plan/",
        {
            "combination": "consensus",
            "minimum_technical_score": "0",
            "tie_break_order": ["technical", "price", "draw"],
            "criteria": [
                {"kind": "mandatory", "name": "Data stays in Canada"},
                {"kind": "rated", "name": "Approach", "weight": 40, "max_points": 10},
                {"kind": "rated", "name": "Team and experience", "weight": 30, "max_points": 10},
                {"kind": "price", "name": "Price", "weight": 30},
            ],
        },
    )
    assert plan["total_weight"] == 100
    assert plan["publication_problems"] == []
    assert plan["is_frozen"] is False


def review_and_publish(reference, alice, carol) -> None:
    base = f"/api/challenges/{reference}"
    assert step(api(alice), f"{base}/submit_for_review/")["status"] == "in_review"
    # Four eyes: the author cannot approve her own challenge.
    step(api(alice), f"{base}/approve/", expect=403)
    # The plan is fixed from review on: changing it needs the challenge sent back.
    call(api(alice), "patch", f"{base}/plan/", {"minimum_technical_score": "5"}, expect=409)
    assert step(api(carol), f"{base}/approve/")["status"] == "approved"
    approved = call(api(alice), "get", f"{base}/plan/")
    assert step(api(alice), f"{base}/publish/")["status"] == "published"
    plan = call(api(), "get", f"{base}/plan/")
    assert plan["is_frozen"] is True
    assert len(plan["digest"]) == 64
    # What was approved is what was published: the two digests are equal, here and on the page.
    assert plan["approved_digest"] == approved["approved_digest"] == plan["digest"]
    page = browser().get(f"/evaluation/{reference}/plan/").content.decode()
    assert f'id="approved-digest">{plan["digest"]}<' in page
    assert f'id="published-digest">{plan["digest"]}<' in page


def register_vendor(user, legal_name, number) -> str:
    data = call(
        api(user),
        "post",
        "/api/vendors/",
        {
            "legal_name": legal_name,
            "business_number": valid_business_number(number),
            "street_address": "123 Queen Street",
            "city": "Fredericton",
            "province": "NB",
            "postal_code": "E3B 1A1",
            "size": "small",
        },
        expect=201,
    )
    return data["id"]


def questions_and_addendum(reference, alice, dave) -> None:
    base = f"/api/challenges/{reference}"
    asked = call(
        api(dave),
        "post",
        f"{base}/questions/",
        {"body": "May the solution be hosted in any Canadian region?"},
        expect=201,
    )
    staff_view = call(api(alice), "get", f"{base}/questions/")["results"]
    assert [(q["id"], q["asked_by"]) for q in staff_view] == [(asked["id"], "dave")]
    answered = step(api(alice), f"/api/questions/{asked['id']}/publish_answer/", {"answer": ANSWER})
    assert answered["status"] == "answered"

    # Published to everyone, without the asker's identity: in the API and on the page.
    public = call(api(), "get", f"{base}/questions/")["results"]
    assert [q["answer"] for q in public] == [ANSWER]
    assert all("asked_by" not in q for q in public)
    page = browser().get(f"/challenges/{reference}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert ANSWER in html
    assert "dave" not in html.lower()
    # Who was engaged and what residents said stay on the page, without naming the resident.
    assert "Tenants&#x27; association, seniors&#x27; centre" in html
    assert "Our windows let the cold in." in html
    assert "rita" not in html.lower()

    addendum = call(
        api(alice),
        "post",
        f"{base}/addenda/",
        {
            "title": "Clarification of data residency",
            "body": "Hosting in any Canadian region is acceptable.",
            "changes_terms": False,
        },
        expect=201,
    )
    issued = step(api(alice), f"/api/addenda/{addendum['id']}/issue/")
    assert (issued["status"], issued["number"]) == ("issued", 1)
    assert [a["number"] for a in call(api(), "get", f"{base}/addenda/")["results"]] == [1]


def submit_proposal(reference, user, vendor_id, *, amount, breakdown, approach) -> str:
    client = api(user)
    proposal = call(
        client, "post", "/api/proposals/", {"challenge": reference, "vendor": vendor_id}, expect=201
    )
    url = f"/api/proposals/{proposal['id']}"
    question = proposal["answers"][0]["question"]
    call(client, "patch", f"{url}/", {"answers": [{"question": question, "text": approach}]})
    for title, name in (("Technical proposal", "technical.pdf"), ("Work plan", "plan.pdf")):
        call(
            client,
            "post",
            f"{url}/documents/",
            {"title": title, "file": SimpleUploadedFile(name, PDF, "application/pdf")},
            expect=201,
            multipart=True,
        )
    price = call(client, "put", f"{url}/price/", {"amount": amount, "breakdown": breakdown})
    assert Decimal(price["amount"]) == Decimal(amount)
    assert call(client, "get", f"{url}/")["missing"] == []
    submitted = step(client, f"{url}/submit/")
    assert submitted["status"] == "submitted"
    assert len(submitted["receipt_digest"]) == 64
    receipts = call(client, "get", f"{url}/receipts/")["results"]
    assert len(receipts) == 1
    return proposal["id"]


def assert_sealed(reference, alice, proposal_ids) -> None:
    """Before the deadline nobody but the vendor sees a proposal, not even a count."""
    call(api(alice), "get", f"/api/challenges/{reference}/proposals/", expect=404)
    for proposal_id in proposal_ids:
        call(api(alice), "get", f"/api/proposals/{proposal_id}/price/", expect=404)


def close_at_deadline(traveller, reference, alice) -> None:
    traveller.move_to(SUBMISSION_DEADLINE)
    # The beat task, as Celery beat runs it every minute: the questions period ends, then it closes.
    report = chronograph_tick()
    assert report == {"rows": 1, "steps": 2, "skipped": 0, "errors": 0}
    assert call(api(), "get", f"/api/challenges/{reference}/")["status"] == "closed"
    received = call(api(alice), "get", f"/api/challenges/{reference}/proposals/")["results"]
    assert sorted(p["status"] for p in received) == ["received", "received"]


def evaluate(reference, alice, frank, grace, acme_id, globex_id) -> None:
    base = f"/api/evaluations/{reference}"
    owner, chair, member = api(alice), api(frank), api(grace)
    started = step(owner, f"/api/challenges/{reference}/start_evaluation/")
    assert started["status"] == "evaluating"
    assert call(owner, "get", f"{base}/")["stage"] == "screening"

    # The panel: frank chairs, grace scores; each declares no conflict and signs.
    due = (SUBMISSION_DEADLINE + timedelta(days=14)).isoformat()
    chair_invitation = {"evaluator": "frank", "due_at": due, "is_chair": True}
    call(owner, "post", f"{base}/panel/", chair_invitation, expect=201)
    call(owner, "post", f"{base}/panel/", {"evaluator": "grace", "due_at": due}, expect=201)
    for client, user in ((chair, frank), (member, grace)):
        (assignment,) = call(client, "get", "/api/assignments/")["results"]
        signed = step(
            client,
            f"/api/assignments/{assignment['id']}/accept/",
            {"signature": user.get_username(), "no_conflict": True},
        )
        assert signed["status"] == "accepted"
    seen = call(chair, "get", f"{base}/proposals/")["results"]
    assert {p["vendor_name"] for p in seen} == {
        "Acme Heat Solutions Ltd.",
        "Globex Retrofit Co-operative",
    }
    assert all(len(p["documents"]) == 2 for p in seen)

    criteria = call(owner, "get", f"/api/challenges/{reference}/plan/")["criteria"]
    mandatory = [c["id"] for c in criteria if c["kind"] == "mandatory"]
    rated = [c["id"] for c in criteria if c["kind"] == "rated"]
    for proposal_id in (acme_id, globex_id):
        call(
            owner,
            "post",
            f"{base}/screening/",
            {
                "proposal": proposal_id,
                "results": {
                    str(c): {"passed": True, "note": "Hosted in Canada."} for c in mandatory
                },
            },
            expect=201,
        )
    assert step(owner, f"{base}/start_scoring/")["stage"] == "scoring"

    def score(client, points):
        for proposal_id, value in points.items():
            call(
                client,
                "post",
                f"{base}/scores/",
                {
                    "proposal": proposal_id,
                    "scores": {
                        str(c): {"points": value, "rationale": f"{value}: solid."} for c in rated
                    },
                },
            )
        (assignment,) = call(client, "get", "/api/assignments/")["results"]
        assert step(client, f"/api/assignments/{assignment['id']}/submit/")["status"] == "submitted"

    score(chair, {acme_id: "8", globex_id: "6"})
    score(member, {acme_id: "7", globex_id: "6"})

    assert step(chair, f"{base}/open_consensus/")["stage"] == "consensus"
    for proposal_id, value in ((acme_id, "8"), (globex_id, "6")):
        for criterion in rated:
            call(
                chair,
                "post",
                f"{base}/consensus/",
                {
                    "proposal": proposal_id,
                    "criterion": criterion,
                    "points": value,
                    "rationale": "Agreed after discussion.",
                },
            )
    locked = step(chair, f"{base}/lock_consensus/")
    assert locked["consensus_locked_at"] is not None
    assert step(owner, f"{base}/open_prices/")["stage"] == "prices_opened"
    prices = call(owner, "get", f"{base}/prices/")["results"]
    assert sorted(Decimal(p["price"]) for p in prices) == [Decimal("80000"), Decimal("100000")]

    assert step(owner, f"{base}/rank/")["stage"] == "ranked"
    ranking = call(owner, "get", f"{base}/ranking/")["results"]
    assert [
        (r["rank"], r["proposal"], Decimal(r["technical"]), Decimal(r["total"])) for r in ranking
    ] == [
        (1, acme_id, Decimal("56"), Decimal("80")),
        (2, globex_id, Decimal("42"), Decimal("72")),
    ]
    decided = step(owner, f"{base}/decide/", {"shortlist_size": 2, "reason": "Both meet the bar."})
    assert decided["stage"] == "decided"


def award(traveller, reference, alice, carol, frank, dave, erin, acme_id) -> None:
    url = f"/api/awards/{reference}"
    recommended = call(api(frank), "post", "/api/awards/", {"challenge": reference}, expect=201)
    assert (recommended["status"], recommended["proposal"]) == ("recommended", acme_id)
    # Vendors learn nothing before the result letters go out.
    call(api(dave), "get", f"{url}/", expect=404)
    assert step(api(carol), f"{url}/approve/")["status"] == "approved"
    notified = step(api(alice), f"{url}/notify/")
    assert notified["status"] == "standstill"
    standstill_ends_at = datetime.fromisoformat(notified["standstill_ends_at"])
    assert call(api(dave), "get", f"{url}/")["status"] == "standstill"
    # The result letters: each vendor reads its own in the inbox.
    for user, title in (
        (dave, f"Your proposal for {reference} is selected"),
        (erin, f"The result of your proposal for {reference}"),
    ):
        inbox = browser(user).get("/inbox/")
        assert inbox.status_code == 200
        assert title in inbox.content.decode()

    # Not final a second before the standstill ends; final at the instant it ends.
    traveller.move_to(standstill_ends_at - timedelta(seconds=1))
    refused = step(api(alice), f"{url}/finalise/", expect=409)
    assert "standstill" in refused["detail"]
    traveller.move_to(standstill_ends_at)
    assert step(api(alice), f"{url}/finalise/")["status"] == "final"


def pilot(traveller, reference, alice) -> None:
    owner = api(alice)
    url = f"/api/pilots/{reference}"
    today = datetime.now(UTC).date()
    planned = call(
        owner,
        "post",
        "/api/pilots/",
        {
            "challenge": reference,
            "starts_on": (today + timedelta(days=7)).isoformat(),
            "ends_on": (today + timedelta(days=187)).isoformat(),
        },
        expect=201,
    )
    assert planned["status"] == "planned"
    call(
        owner,
        "post",
        f"{url}/milestones/",
        {"title": "Heat pumps installed in 20 homes", "due_on": str(today + timedelta(60))},
        expect=201,
    )
    with_indicator = call(
        owner,
        "post",
        f"{url}/indicators/",
        {
            "name": "Average energy burden",
            "unit": "% of income",
            "baseline": "8.5",
            "target": "6",
        },
        expect=201,
    )
    (indicator,) = with_indicator["indicators"]
    assert step(owner, f"{url}/start/")["status"] == "active"

    started = datetime.now(UTC)
    for days, value in ((90, "7.4"), (180, "5.8")):
        traveller.move_to(started + timedelta(days=days))
        call(
            owner,
            "post",
            f"{url}/measurements/",
            {
                "indicator": indicator["id"],
                "value": value,
                "measured_on": str(today + timedelta(days=days)),
                "source_note": "Utility bills of the participating households.",
            },
            expect=201,
        )
    milestone = Milestone.objects.get(pilot__challenge__reference=reference)
    step(owner, f"{url}/milestones/{milestone.pk}/done/", {"done_on": str(today + timedelta(55))})
    assert step(owner, f"{url}/open_review/")["status"] == "in_review"
    adopted = step(
        owner,
        f"{url}/adopt/",
        {
            "lessons_learned": "Bundle the rebate navigator with every installation.",
            # The challenge has a data governance record: say whether its terms were kept.
            "data_terms_kept": "yes",
        },
    )
    assert adopted["status"] == "adopted"
    assert [(m["done_on"], m["is_late"]) for m in adopted["milestones"]] == [
        (str(today + timedelta(days=55)), False)
    ]
    (measured,) = adopted["indicators"]
    assert [Decimal(m["value"]) for m in measured["measurements"]] == [
        Decimal("7.4"),
        Decimal("5.8"),
    ]


def assert_public_facts(reference, dave) -> None:
    challenge = call(api(), "get", f"/api/challenges/{reference}/")
    assert challenge["status"] == "awarded"
    assert challenge["answered_question_count"] == 1
    assert challenge["issued_addendum_count"] == 1
    assert call(api(dave), "get", f"/api/awards/{reference}/")["status"] == "final"
    pilot_page = browser().get(f"/challenges/{reference}/pilot/")
    assert pilot_page.status_code == 200
    assert "Adopted" in pilot_page.content.decode()

    package = call(api(), "get", f"/api/open-data/{reference}/release-package/")
    assert ocds.validation_errors(package) == []
    record = call(api(), "get", f"/api/open-data/{reference}/record/")
    assert ocds.validation_errors(record, kind="record") == []
    # The latest release is the pilot's last step; the record compiles every stage.
    assert package["releases"][-1]["tag"] == ["implementation"]
    compiled = record["records"][0]["compiledRelease"]
    assert compiled["awards"][0]["status"] == "active"
    assert compiled["awards"][0]["suppliers"][0]["name"] == "Acme Heat Solutions Ltd."
    assert compiled["awards"][0]["value"] == {"amount": 100000.0, "currency": "CAD"}
    (contract,) = compiled["contracts"]
    assert [m["status"] for m in contract["implementation"]["milestones"]] == ["met"]
    # The winning price is public once final; the other sealed price and people's names never.
    text = json.dumps(package)
    for private in ("80000", "dave", "erin", "rita"):
        assert private not in text


def entries_about(obj):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).order_by("sequence")


def trail(obj) -> list[tuple[str, str, str, str]]:
    """The steps taken on `obj`; plain edits (no state before or after) are left out."""
    entries = entries_about(obj).exclude(source="", target="")
    return [(e.transition, e.source, e.target, e.actor_label) for e in entries]


def assert_audit(reference, alice) -> None:
    out = StringIO()
    call_command("verify_audit", stdout=out)  # raises CommandError on any break
    assert out.getvalue().strip() == (
        f"Audit chain intact: {AuditEntry.objects.count()} entries verified."
    )

    challenge = Challenge.objects.get(reference=reference)
    created = entries_about(challenge).first()
    assert (created.transition, created.actor_label) == ("create", "alice")
    assert created.metadata["changes"]["title_en"]["after"] == challenge.title
    assert trail(challenge) == [
        ("open_co_design", "draft", "co_design", "alice"),
        ("submit_for_review", "co_design", "in_review", "alice"),
        ("approve", "in_review", "approved", "carol"),
        ("publish", "approved", "published", "alice"),
        ("close", "published", "closed", "system"),
        ("start_evaluation", "closed", "evaluating", "alice"),
        ("award", "evaluating", "awarded", "alice"),
    ]
    assert [t[:3] for t in trail(Evaluation.objects.get(challenge=challenge))] == [
        ("start_screening", "setup", "screening"),
        ("start_scoring", "screening", "scoring"),
        ("open_consensus", "scoring", "consensus"),
        ("lock_consensus", "consensus", "consensus"),
        ("open_prices", "consensus", "prices_opened"),
        ("rank", "prices_opened", "ranked"),
        ("decide", "ranked", "decided"),
    ]
    winner = Proposal.objects.get(challenge=challenge, vendor__legal_name__startswith="Acme")
    assert [t[:3] for t in trail(winner)] == [
        ("submit", "draft", "submitted"),
        ("receive", "submitted", "received"),
        ("qualify", "received", "qualified"),
        ("shortlist", "qualified", "shortlisted"),
        ("award", "shortlisted", "awarded"),
    ]
    assert trail(Award.objects.get(challenge=challenge)) == [
        ("recommend", "", "recommended", "frank"),
        ("approve", "recommended", "approved", "carol"),
        ("notify", "approved", "notified", "alice"),
        ("start_standstill", "notified", "standstill", "alice"),
        ("finalise", "standstill", "final", "alice"),
    ]
    assert trail(Pilot.objects.get(challenge=challenge)) == [
        ("plan", "", "planned", "alice"),
        ("start", "planned", "active", "alice"),
        ("open_review", "active", "in_review", "alice"),
        ("adopt", "in_review", "adopted", "alice"),
    ]

    # Staff read the challenge's part of the trail on its history page: its co-design input,
    # questions and addenda, then its evaluation, award and pilot (proposals stay out of it:
    # sealing; scores too: the evaluation's rule says who sees them).
    history = browser(alice).get(f"/challenges/{reference}/history/")
    assert history.status_code == 200
    shown = re.findall(r"<td>([^<→]+)</td>\s*<td>([^<]*) → ([^<]+)</td>", history.content.decode())
    # Each step and state as people read them, never as its code.
    assert shown == [
        ("Co-design opened", "Draft", "Co-design"),
        ("Input published", "Awaiting moderation", "Published"),  # rita's input, moderated
        ("Submitted for review", "Co-design", "In review"),
        ("Approved", "In review", "Approved"),
        ("Published", "Approved", "Open for proposals"),
        ("Answer published", "Awaiting answer", "Answered"),
        ("Addendum issued", "Draft", "Issued"),
        ("Closed to submissions", "Open for proposals", "Closed"),
        ("Evaluation started", "Closed", "Evaluating"),
        ("Screening started", "Setting up the panel", "Screening"),
        ("Declaration signed", "Invited", "Accepted (no conflict declared)"),
        ("Declaration signed", "Invited", "Accepted (no conflict declared)"),
        ("Scoring started", "Screening", "Scoring"),
        ("Scores submitted", "Accepted (no conflict declared)", "Scores submitted"),
        ("Scores submitted", "Accepted (no conflict declared)", "Scores submitted"),
        ("Consensus opened", "Scoring", "Consensus"),
        ("Consensus locked", "Consensus", "Consensus"),
        ("Prices opened", "Consensus", "Prices opened"),
        ("Ranked", "Prices opened", "Ranked"),
        ("Decision recorded", "Ranked", "Decided"),
        ("Recommended", "", "Recommended"),
        ("Approved", "Recommended", "Approved"),
        ("Vendors notified", "Approved", "Vendors notified"),
        ("Standstill started", "Vendors notified", "Standstill period"),
        ("Made final", "Standstill period", "Final"),
        ("Awarded", "Evaluating", "Awarded"),
        ("Planned", "", "Planned"),
        ("Pilot started", "Planned", "Active"),
        ("Review opened", "Active", "In review"),
        ("Adopted", "In review", "Adopted"),
    ]
    # Plain edits are there too, field by field.
    assert "title:" in history.content.decode()


# The journey -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_challenge_goes_from_co_design_to_an_adopted_pilot(
    alice, carol, dave, erin, frank, grace, rita, department
):
    with time_machine.travel(START, tick=False) as traveller:
        reference = draft_challenge(alice, department)
        co_design(reference, alice, rita)
        data_governance(reference, alice)
        timeline_and_plan(reference, alice)
        review_and_publish(reference, alice, carol)

        acme = register_vendor(dave, "Acme Heat Solutions Ltd.", 1)
        globex = register_vendor(erin, "Globex Retrofit Co-operative", 2)
        questions_and_addendum(reference, alice, dave)
        acme_id = submit_proposal(
            reference,
            dave,
            acme,
            amount="100000.00",
            breakdown=[
                {"label": "Equipment", "amount": "70000.00"},
                {"label": "Installation", "amount": "30000.00"},
            ],
            approach="Heat pumps and a rebate navigator for every household.",
        )
        globex_id = submit_proposal(
            reference,
            erin,
            globex,
            amount="80000.00",
            breakdown=[],
            approach="Window retrofits by a local co-operative.",
        )
        assert_sealed(reference, alice, [acme_id, globex_id])

        close_at_deadline(traveller, reference, alice)
        evaluate(reference, alice, frank, grace, acme_id, globex_id)
        award(traveller, reference, alice, carol, frank, dave, erin, acme_id)
        pilot(traveller, reference, alice)

        assert_public_facts(reference, dave)
        assert_audit(reference, alice)
