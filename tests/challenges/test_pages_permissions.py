"""Every challenge page and form endpoint × every persona: the status each gets, and that a
refused request changes nothing.

"ok" means 200 for a page, or a redirect (not to the sign-in page) after a POST that changed
something; "login" a redirect to the sign-in page; 403 and 404 are refusals. A challenge a persona
may not see answers 404, so a draft's existence does not leak.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from challenges.models import (
    Addendum,
    Challenge,
    CommunityInput,
    EngagementActivity,
    Follow,
    InputTheme,
    Question,
    ReachTarget,
)
from tests.factories import (
    AddendumFactory,
    CommunityInputFactory,
    FollowFactory,
    InputThemeFactory,
    PriorityGroupFactory,
    QuestionFactory,
    complete_plan,
    set_status,
)

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "rita", "dave", "alice", "bob", "carol", "root")
STAFF = ("alice", "bob", "carol")
INTERNAL = (*STAFF, "root")
SIGNED_IN = ("rita", "dave", *INTERNAL)
OUTSIDERS = ("rita", "dave")


def expect(ok=(), hidden=(), anonymous="login"):
    """Expected outcome per persona: `ok` succeed, `hidden` get 404, the other signed-in 403."""
    outcome = {"anonymous": anonymous}
    for persona in PERSONAS[1:]:
        outcome[persona] = "ok" if persona in ok else 404 if persona in hidden else 403
    return outcome


def sign_in(client, request, persona):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    return client


def assert_outcome(response, outcome, *, method):
    if outcome == "login":
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif outcome == "ok":
        assert response.status_code == (200 if method == "get" else 302)
        if method == "post":
            assert not response.url.startswith(reverse("login"))
    else:
        assert response.status_code == outcome


# --- pages (GET) -------------------------------------------------------------------------------


def _url(name, challenge=None):
    return reverse(name, args=[challenge.reference] if challenge else [])


def _draft(request):
    return request.getfixturevalue("challenge")


def _co_design(request):
    return request.getfixturevalue("co_design_challenge")


def _published(request):
    return request.getfixturevalue("published_challenge")


GET_CASES = {
    "board": (lambda r: reverse("challenges:board"), expect(ok=PERSONAS, anonymous="ok")),
    "detail-draft": (
        lambda r: _url("challenges:detail", _draft(r)),
        expect(ok=INTERNAL, hidden=OUTSIDERS, anonymous=404),
    ),
    "detail-co-design": (
        lambda r: _url("challenges:detail", _co_design(r)),
        expect(ok=PERSONAS, anonymous="ok"),
    ),
    "detail-published": (
        lambda r: _url("challenges:detail", _published(r)),
        expect(ok=PERSONAS, anonymous="ok"),
    ),
    "detail-unknown": (
        lambda r: reverse("challenges:detail", args=["NOPE-2026-999"]),
        expect(hidden=PERSONAS, anonymous=404),
    ),
    "history-published": (
        lambda r: _url("procurement:challenge_history", _published(r)),
        expect(ok=INTERNAL),
    ),
    "history-draft": (
        lambda r: _url("procurement:challenge_history", _draft(r)),
        expect(ok=INTERNAL, hidden=OUTSIDERS),
    ),
    "create": (lambda r: reverse("challenges:create"), expect(ok=STAFF)),
    "edit-draft": (
        lambda r: _url("challenges:edit", _draft(r)),
        expect(ok=("alice",), hidden=OUTSIDERS),
    ),
    "edit-published": (lambda r: _url("challenges:edit", _published(r)), expect()),
    "timeline-draft": (
        lambda r: _url("challenges:timeline", _draft(r)),
        expect(ok=("alice",), hidden=OUTSIDERS),
    ),
    "timeline-published": (lambda r: _url("challenges:timeline", _published(r)), expect()),
    "activity-co-design": (
        lambda r: _url("challenges:activity_add", _co_design(r)),
        expect(ok=("alice",)),
    ),
    "activity-draft": (
        lambda r: _url("challenges:activity_add", _draft(r)),
        expect(hidden=OUTSIDERS),
    ),
    "reach-draft": (
        lambda r: _url("challenges:reach", _draft(r)),
        expect(ok=INTERNAL, hidden=OUTSIDERS, anonymous=404),
    ),
    "reach-co-design": (
        lambda r: _url("challenges:reach", _co_design(r)),
        expect(ok=PERSONAS, anonymous="ok"),
    ),
    "addendum-published": (
        lambda r: _url("challenges:addendum_add", _published(r)),
        expect(ok=("alice",)),
    ),
    "addendum-draft": (
        lambda r: _url("challenges:addendum_add", _draft(r)),
        expect(hidden=OUTSIDERS),
    ),
    # Following by e-mail: anyone, on a public challenge only (a draft is not found, even by
    # staff: nobody follows it).
    "follow-email-published": (
        lambda r: _url("challenges:follow_email", _published(r)),
        expect(ok=PERSONAS, anonymous="ok"),
    ),
    "follow-email-draft": (
        lambda r: _url("challenges:follow_email", _draft(r)),
        expect(hidden=PERSONAS, anonymous=404),
    ),
    "themes-co-design": (
        lambda r: _url("challenges:themes", _co_design(r)),
        expect(ok=("alice",)),
    ),
    "themes-draft": (
        lambda r: _url("challenges:themes", _draft(r)),
        expect(hidden=OUTSIDERS),
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", GET_CASES)
def test_each_page_answers_each_persona_as_the_rules_say(client, request, case, persona):
    make_url, outcomes = GET_CASES[case]
    url = make_url(request)
    response = sign_in(client, request, persona).get(url)
    assert_outcome(response, outcomes[persona], method="get")


# --- form endpoints (POST) ---------------------------------------------------------------------


@dataclass
class Post:
    """A POST: its URL and data, and what to read before and after to see whether it acted."""

    url: str
    data: dict
    observe: object


def _future(days):
    return (timezone.localtime() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _statement(challenge, **changes):
    data = {
        "title_en": challenge.title,
        "summary_en": challenge.summary,
        "department": challenge.department_id,
        "problem_en": challenge.problem,
        "context_en": challenge.context,
        "desired_outcomes_en": challenge.desired_outcomes,
        "constraints": challenge.constraints,
        "success_measures_en": challenge.success_measures,
        "affected_communities": challenge.affected_communities,
        "budget_min": "100",
        "budget_max": "200",
    }
    data.update(changes)
    return data


def _status_of(obj):
    return lambda: type(obj).objects.get(pk=obj.pk).status


def post_create(request):
    department = request.getfixturevalue("department")
    data = {"title_en": "Safer crossings near schools", "department": department.pk}
    return Post(reverse("challenges:create"), data, Challenge.objects.count)


def post_edit(request):
    challenge = _draft(request)
    return Post(
        _url("challenges:edit", challenge),
        _statement(challenge, title_en="A better title"),
        lambda: Challenge.objects.get(pk=challenge.pk).title,
    )


def post_timeline(request):
    challenge = _draft(request)
    return Post(
        _url("challenges:timeline", challenge),
        {"questions_deadline": _future(20), "submission_deadline": _future(40)},
        lambda: Challenge.objects.values_list("questions_deadline", "submission_deadline").get(
            pk=challenge.pk
        ),
    )


def post_transition(fixture, name, status=None, reason=""):
    def make(request):
        challenge = request.getfixturevalue(fixture)
        if name == "publish":
            complete_plan(challenge)  # publication needs a complete evaluation plan
        if status:
            set_status(challenge, status)
        url = reverse("challenges:transition", args=[challenge.reference, name])
        # Confirmed, as the confirmation page posts it (tests/challenges/test_one_way_steps.py).
        return Post(url, {"reason": reason, "confirmed": "yes"}, _status_of(challenge))

    return make


def post_activity(request):
    challenge = _co_design(request)
    data = {
        "kind": "survey",
        "held_on": "2026-05-04",
        "participants": "80",
        "groups_reached": "Newcomers",
        "summary_en": "Transit passes matter more than heating.",
    }
    return Post(
        _url("challenges:activity_add", challenge),
        data,
        EngagementActivity.objects.filter(challenge=challenge).count,
    )


def post_input(request):
    challenge = _co_design(request)
    return Post(
        _url("challenges:input_add", challenge),
        {"kind": "idea", "body": "Heat pumps for the whole block.", "neighbourhood": ""},
        CommunityInput.objects.filter(challenge=challenge).count,
    )


def post_moderate(request):
    challenge = _co_design(request)
    item = CommunityInputFactory(challenge=challenge)
    url = reverse("challenges:input_moderate", args=[challenge.reference, item.pk])
    return Post(url, {"decision": "publish", "reason": ""}, _status_of(item))


def post_ask(request):
    challenge = _published(request)
    return Post(
        _url("challenges:question_ask", challenge),
        {"body": "May we propose a pilot in one building first?"},
        Question.objects.filter(challenge=challenge).count,
    )


def post_answer(action, data):
    def make(request):
        challenge = _published(request)
        question = QuestionFactory(challenge=challenge)
        url = reverse(f"challenges:question_{action}", args=[challenge.reference, question.pk])
        return Post(url, data, _status_of(question))

    return make


def post_addendum(request):
    challenge = _published(request)
    return Post(
        _url("challenges:addendum_add", challenge),
        {"title_en": "Site visit", "body_en": "A site visit is offered on 3 June."},
        Addendum.objects.filter(challenge=challenge).count,
    )


def post_issue(request):
    challenge = _published(request)
    addendum = AddendumFactory(challenge=challenge)
    url = reverse("challenges:addendum_issue", args=[challenge.reference, addendum.pk])
    return Post(url, {"confirmed": "yes"}, _status_of(addendum))


def post_reach_targets(request):
    challenge = _co_design(request)
    # Its own group: a transactional test elsewhere may have emptied the seeded list.
    group = PriorityGroupFactory()
    return Post(
        _url("challenges:reach_targets", challenge),
        {f"group_{group.pk}": "40"},
        lambda: list(ReachTarget.objects.filter(challenge=challenge).values_list("target")),
    )


def post_reach_gap_reason(request):
    challenge = _co_design(request)
    return Post(
        _url("challenges:reach_gap_reason", challenge),
        {"reach_gap_reason": "The seniors' centre closed for the winter."},
        lambda: Challenge.objects.get(pk=challenge.pk).reach_gap_reason,
    )


def _active_follows(challenge):
    return Follow.objects.filter(challenge=challenge, unsubscribed_at__isnull=True).count


def post_follow(fixture):
    def make(request):
        challenge = request.getfixturevalue(fixture)
        return Post(_url("challenges:follow", challenge), {}, _active_follows(challenge))

    return make


def post_unfollow(request):
    challenge = _published(request)
    for persona in SIGNED_IN:
        user = request.getfixturevalue(persona)
        FollowFactory(challenge=challenge, user=user, email="", token_digest=f"{user.pk:064x}")
    return Post(_url("challenges:unfollow", challenge), {}, _active_follows(challenge))


def post_theme(request):
    challenge = _co_design(request)
    data = {"title_en": "Dusk", "you_said_en": "Dark.", "outcome": "no_change", "we_did_en": "No."}
    return Post(
        _url("challenges:theme_add", challenge),
        data,
        InputTheme.objects.filter(challenge=challenge).count,
    )


def post_group_input(request):
    challenge = _co_design(request)
    theme = InputThemeFactory(challenge=challenge)
    item = CommunityInputFactory(challenge=challenge)
    url = reverse("challenges:input_theme", args=[challenge.reference, item.pk])
    return Post(url, {"theme": theme.pk}, lambda: CommunityInput.objects.get(pk=item.pk).theme_id)


POST_CASES = {
    "create": (post_create, expect(ok=STAFF)),
    "edit": (post_edit, expect(ok=("alice",), hidden=OUTSIDERS)),
    "timeline": (post_timeline, expect(ok=("alice",), hidden=OUTSIDERS)),
    "open-co-design": (
        post_transition("challenge", "open_co_design"),
        expect(ok=("alice",), hidden=OUTSIDERS),
    ),
    "submit-for-review": (
        post_transition("co_design_challenge", "submit_for_review"),
        expect(ok=("alice",)),
    ),
    "approve": (
        post_transition("co_design_challenge", "approve", status="in_review"),
        expect(ok=("carol",), hidden=OUTSIDERS),
    ),
    "request-changes": (
        post_transition("co_design_challenge", "request_changes", "in_review", "Say who."),
        expect(ok=("carol",), hidden=OUTSIDERS),
    ),
    "publish": (
        post_transition("co_design_challenge", "publish", status="approved"),
        expect(ok=("alice",), hidden=OUTSIDERS),
    ),
    "cancel": (
        post_transition("published_challenge", "cancel", reason="The need went away."),
        expect(ok=("alice",)),
    ),
    "activity": (post_activity, expect(ok=("alice",))),
    "reach-targets": (post_reach_targets, expect(ok=("alice",))),
    "reach-gap-reason": (post_reach_gap_reason, expect(ok=("alice",))),
    # No account needed to give input.
    "community-input": (post_input, expect(ok=SIGNED_IN, anonymous="ok")),
    "moderate-input": (post_moderate, expect(ok=("alice",))),
    "ask-question": (post_ask, expect(ok=("dave",))),
    "answer-question": (post_answer("answer", {"answer_en": "Yes."}), expect(ok=("alice",))),
    "dismiss-question": (
        post_answer("dismiss", {"reason": "Out of scope."}),
        expect(ok=("alice",)),
    ),
    "addendum": (post_addendum, expect(ok=("alice",))),
    "issue-addendum": (post_issue, expect(ok=("alice",))),
    "follow": (post_follow("published_challenge"), expect(ok=SIGNED_IN)),
    "follow-draft": (post_follow("challenge"), expect(hidden=OUTSIDERS)),
    "unfollow": (post_unfollow, expect(ok=SIGNED_IN)),
    "add-theme": (post_theme, expect(ok=("alice",))),
    "group-input": (post_group_input, expect(ok=("alice",))),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("case", POST_CASES)
def test_each_form_endpoint_acts_only_for_those_allowed(client, request, case, persona):
    make, outcomes = POST_CASES[case]
    post = make(request)
    before = post.observe()

    response = sign_in(client, request, persona).post(post.url, post.data)

    outcome = outcomes[persona]
    assert_outcome(response, outcome, method="post")
    if outcome == "ok":
        assert post.observe() != before
    else:
        assert post.observe() == before


@pytest.mark.parametrize(
    "name",
    [
        "challenges:transition",
        "challenges:input_add",
        "challenges:reach_targets",
        "challenges:reach_gap_reason",
    ],
)
def test_form_endpoints_refuse_get(client, alice, co_design_challenge, name):
    client.force_login(alice)
    args = [co_design_challenge.reference]
    if name == "challenges:transition":
        args.append("submit_for_review")
    response = client.get(reverse(name, args=args))
    assert response.status_code == 405
    co_design_challenge.refresh_from_db()
    assert co_design_challenge.status == Challenge.Status.CO_DESIGN


def test_an_unknown_transition_is_not_found(client, alice, challenge):
    client.force_login(alice)
    response = client.post(reverse("challenges:transition", args=[challenge.reference, "delete"]))
    assert response.status_code == 404
    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.DRAFT


def test_a_refusal_says_who_may_act_and_when(client, bob, challenge):
    client.force_login(bob)

    response = client.post(
        reverse("challenges:edit", args=[challenge.reference]), _statement(challenge, title="X")
    )

    assert response.status_code == 403
    assert "Only the owner can edit the statement, and only before review." in (
        response.content.decode()
    )
    challenge.refresh_from_db()
    assert challenge.title != "X"
