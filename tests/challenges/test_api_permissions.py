"""The API permission matrix: every endpoint for every persona (DESIGN.md §9).

Nobody's refusal changes anything: the stored rows and the audit trail stay as they were.
"""

import pytest

from challenges.models import (
    Addendum,
    Challenge,
    CommunityInput,
    EngagementActivity,
    Follow,
    Question,
    ReachTarget,
)
from core.models import AuditEntry
from tests.factories import (
    AddendumFactory,
    ChallengeFactory,
    CommunityInputFactory,
    EngagementActivityFactory,
    InputThemeFactory,
    PriorityGroupFactory,
    QuestionFactory,
    ReachTargetFactory,
    set_status,
)

PERSONAS = ["anonymous", "rita", "dave", "alice", "bob", "carol", "root"]


@pytest.fixture
def world(alice, bob, carol, dave, erin, rita, root, department):
    """One challenge in each state the endpoints need, all owned by alice."""
    draft = ChallengeFactory(owner=alice, department=department)
    co_design = set_status(ChallengeFactory(owner=alice, department=department), "co_design")
    EngagementActivityFactory(challenge=co_design)
    in_review = set_status(ChallengeFactory(owner=alice, department=department), "in_review")
    EngagementActivityFactory(challenge=in_review)
    published = set_status(ChallengeFactory(owner=alice, department=department), "published")
    seniors, youth = (
        PriorityGroupFactory(slug="api-seniors"),
        PriorityGroupFactory(slug="api-youth"),
    )
    ReachTargetFactory(challenge=co_design, group=youth, target=12)
    return {
        "group": seniors,
        "targeted_group": youth,
        "draft": draft,
        "co_design": co_design,
        "in_review": in_review,
        "published": published,
        "input": CommunityInputFactory(challenge=co_design, author=erin),
        "question": QuestionFactory(challenge=published, asked_by=erin),
        "addendum": AddendumFactory(challenge=published),
        "theme": InputThemeFactory(challenge=co_design),
    }


def _url(world, key, suffix=""):
    return f"/api/challenges/{world[key].reference}/{suffix}"


VALID_CHALLENGE = {
    "title": "Safer crossings near schools",
    "department": "community-services",
    "problem": "Children cross busy streets.",
}

# endpoint: (method, url builder, body, expected status per persona in PERSONAS order)
ENDPOINTS = {
    "list challenges": ("get", lambda w: "/api/challenges/", None, [200] * 7),
    "read a draft": (
        "get",
        lambda w: _url(w, "draft"),
        None,
        [404, 404, 404, 200, 200, 200, 200],
    ),
    "read a published challenge": ("get", lambda w: _url(w, "published"), None, [200] * 7),
    "create a challenge": (
        "post",
        lambda w: "/api/challenges/",
        VALID_CHALLENGE,
        [403, 403, 403, 201, 201, 201, 403],
    ),
    "edit a draft": (
        "patch",
        lambda w: _url(w, "draft"),
        {"title": "A clearer title"},
        [403, 404, 404, 200, 403, 403, 403],
    ),
    "schedule a draft": (
        "post",
        lambda w: _url(w, "draft", "schedule/"),
        {
            "questions_deadline": "2099-01-10T12:00:00Z",
            "submission_deadline": "2099-02-10T12:00:00Z",
        },
        [403, 404, 404, 200, 403, 403, 403],
    ),
    "open co-design": (
        "post",
        lambda w: _url(w, "draft", "open_co_design/"),
        {},
        [403, 404, 404, 200, 403, 403, 403],
    ),
    "approve": (
        "post",
        lambda w: _url(w, "in_review", "approve/"),
        {},
        [403, 404, 404, 403, 403, 200, 403],
    ),
    "cancel": (
        "post",
        lambda w: _url(w, "published", "cancel/"),
        {"reason": "The council withdrew the funding."},
        [403, 403, 403, 200, 403, 403, 403],
    ),
    "list engagement activities": (
        "get",
        lambda w: _url(w, "co_design", "engagement-activities/"),
        None,
        [200] * 7,
    ),
    "record an engagement activity": (
        "post",
        lambda w: _url(w, "co_design", "engagement-activities/"),
        {
            "kind": "survey",
            "held_on": "2026-10-01",
            "participants": 40,
            "groups_reached": "Parents",
            "summary": "Crossings feel unsafe at dusk.",
        },
        [403, 403, 403, 201, 403, 403, 403],
    ),
    "read the reach ledger": (
        "get",
        lambda w: _url(w, "co_design", "reach/"),
        None,
        [200] * 7,
    ),
    "read a draft's reach ledger": (
        "get",
        lambda w: _url(w, "draft", "reach/"),
        None,
        [404, 404, 404, 200, 200, 200, 200],
    ),
    "say why reach targets were not met": (
        "put",
        lambda w: _url(w, "co_design", "reach/gap-reason/"),
        {"reason": "The youth centre closed for repairs."},
        [403, 403, 403, 200, 403, 403, 403],
    ),
    "list reach targets": (
        "get",
        lambda w: _url(w, "co_design", "reach-targets/"),
        None,
        [200] * 7,
    ),
    "set a reach target": (
        "post",
        lambda w: _url(w, "co_design", "reach-targets/"),
        lambda w: {"group": w["group"].pk, "target": 30},
        [403, 403, 403, 200, 403, 403, 403],
    ),
    "set a reach target in review": (
        "post",
        lambda w: _url(w, "in_review", "reach-targets/"),
        lambda w: {"group": w["group"].pk, "target": 30},
        [403, 404, 404, 403, 403, 403, 403],
    ),
    "remove a reach target": (
        "delete",
        lambda w: _url(w, "co_design", f"reach-targets/{w['targeted_group'].pk}/"),
        None,
        [403, 403, 403, 204, 403, 403, 403],
    ),
    "list community input": (
        "get",
        lambda w: _url(w, "co_design", "community-input/"),
        None,
        [200] * 7,
    ),
    "give community input": (
        "post",
        lambda w: _url(w, "co_design", "community-input/"),
        {"body": "A crossing guard at 8am would help."},
        [201] * 7,
    ),
    "publish community input": (
        "post",
        lambda w: f"/api/community-input/{w['input'].pk}/publish/",
        {},
        [403, 404, 404, 200, 403, 403, 403],
    ),
    "reject community input": (
        "post",
        lambda w: f"/api/community-input/{w['input'].pk}/reject/",
        {"reason": "It names a private person."},
        [403, 404, 404, 200, 403, 403, 403],
    ),
    "list questions": ("get", lambda w: _url(w, "published", "questions/"), None, [200] * 7),
    "ask a question": (
        "post",
        lambda w: _url(w, "published", "questions/"),
        {"body": "Is a pilot in one school acceptable?"},
        [403, 403, 201, 403, 403, 403, 403],
    ),
    "answer a question": (
        "post",
        lambda w: f"/api/questions/{w['question'].pk}/publish_answer/",
        {"answer": "Yes."},
        [403, 404, 404, 200, 403, 403, 403],
    ),
    "dismiss a question": (
        "post",
        lambda w: f"/api/questions/{w['question'].pk}/dismiss/",
        {"reason": "Already answered in the statement."},
        [403, 404, 404, 200, 403, 403, 403],
    ),
    "list addenda": ("get", lambda w: _url(w, "published", "addenda/"), None, [200] * 7),
    "draft an addendum": (
        "post",
        lambda w: _url(w, "published", "addenda/"),
        {"title": "Site visit", "body": "A site visit is on 3 March."},
        [403, 403, 403, 201, 403, 403, 403],
    ),
    "issue an addendum": (
        "post",
        lambda w: f"/api/addenda/{w['addendum'].pk}/issue/",
        {},
        [403, 404, 404, 200, 403, 403, 403],
    ),
    # Following (stopping is in tests/challenges/test_follow_api.py).
    "follow a published challenge": (
        "post",
        lambda w: _url(w, "published", "follow/"),
        {"language": "fr"},
        [403, 200, 200, 200, 200, 200, 200],
    ),
    "follow a draft": (
        "post",
        lambda w: _url(w, "draft", "follow/"),
        {},
        [403, 404, 404, 403, 403, 403, 403],
    ),
    "follow a published challenge by e-mail": (
        "post",
        lambda w: _url(w, "published", "follow/by-email/"),
        {"email": "mia@example.org", "language": "en"},
        [202] * 7,
    ),
    "follow a draft by e-mail": (
        "post",
        lambda w: _url(w, "draft", "follow/by-email/"),
        {"email": "mia@example.org", "language": "en"},
        [404] * 7,
    ),
    "list themes": ("get", lambda w: _url(w, "co_design", "themes/"), None, [200] * 7),
    "list the themes of a draft": (
        "get",
        lambda w: _url(w, "draft", "themes/"),
        None,
        [404, 404, 404, 200, 200, 200, 200],
    ),
    "add a theme": (
        "post",
        lambda w: _url(w, "co_design", "themes/"),
        {"title_en": "Dusk", "you_said_en": "Dark.", "outcome": "no_change", "we_did_en": "No."},
        [403, 403, 403, 201, 403, 403, 403],
    ),
    "group input under a theme": (
        "post",
        lambda w: _url(w, "co_design", "theme-assignments/"),
        lambda w: {"input": w["input"].pk, "theme": w["theme"].pk},
        [403, 403, 403, 200, 403, 403, 403],
    ),
}


def _snapshot():
    models = [Challenge, EngagementActivity, CommunityInput, Question, Addendum, Follow]
    models += [ReachTarget, AuditEntry]
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in models}


CASES = [
    pytest.param(endpoint, persona, expected[i], id=f"{endpoint} as {persona}")
    for endpoint, (_m, _u, _b, expected) in ENDPOINTS.items()
    for i, persona in enumerate(PERSONAS)
]


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "persona", "expected"), CASES)
def test_it_answers_each_persona_as_the_rules_say(
    request, api_as, world, endpoint, persona, expected
):
    method, url, body, _expected = ENDPOINTS[endpoint]
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    before = _snapshot()

    client = api_as(user)
    kwargs = {"format": "json"} if method != "get" else {}
    body = body(world) if callable(body) else body
    response = getattr(client, method)(url(world), body, **kwargs)

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert _snapshot() == before
        assert "detail" in response.json()
    elif method != "get":
        assert _snapshot() != before


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "rita", "dave"])
def test_it_lists_only_public_challenges_outside_the_municipality(request, api_as, world, persona):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)

    response = api_as(user).get("/api/challenges/")

    assert response.status_code == 200
    references = {row["reference"] for row in response.json()["results"]}
    # Co-design is a public consultation; drafts and challenges in review are internal.
    assert references == {world["published"].reference, world["co_design"].reference}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["alice", "bob", "carol", "root"])
def test_it_lists_every_challenge_to_the_municipality(request, api_as, world, persona):
    response = api_as(request.getfixturevalue(persona)).get("/api/challenges/")

    assert response.status_code == 200
    references = {row["reference"] for row in response.json()["results"]}
    assert references == {
        world[key].reference for key in ("draft", "co_design", "in_review", "published")
    }
