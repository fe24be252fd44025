"""Sealing, crawled (DESIGN.md §3 "Two envelopes"; "Sealing is one rule").

Before the deadline nobody but the bidding vendor may learn anything about its proposal, not even
that it exists. The same challenge is played twice up to a moment before its deadline: once
without Acme's proposal, once with Acme drafting (and being reminded) then submitting it. Both
times every person (anonymous, each persona, the superuser) reads every page of the URLconf,
every admin changelist and every GET operation of the OpenAPI schema. Nobody but Acme's member may
read a token of the proposal, and every page must read the same in both plays, numbers first.

The URLs are discovered, not listed: a new page is crawled the day it is added.
"""

import re
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import zip_longest

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.urls import (
    Resolver404,
    URLPattern,
    URLResolver,
    converters,
    get_resolver,
    resolve,
    reverse,
)
from drf_spectacular.generators import SchemaGenerator

from challenges import services as challenge_services
from procurement.services.preferences import calendar_token_regenerate
from procurement.services.reminders import reminders_deliver_due
from tests.factories import (
    ChallengeFactory,
    EngagementActivityFactory,
    ResponseQuestionFactory,
    VendorMembershipFactory,
    evaluation_in,
    panel_member,
    set_status,
)
from tests.vendors.conftest import pdf
from vendors import services as vendor_services

pytestmark = pytest.mark.django_db

# The submission deadline; Acme starts its draft well before, everyone looks 1 day 23 hours before.
DEADLINE = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
DRAFT_STARTED = DEADLINE - timedelta(days=5)
LOOKED_AT = DEADLINE - timedelta(days=2) + timedelta(hours=1)

PROPOSAL_ID = uuid.UUID("5ea1ed00-0000-4000-8000-00000000a11c")
DOCUMENT_ID = uuid.UUID("5ea1ed00-0000-4000-8000-0000000d0c00")
VENDOR_NAME = "Quillfeather Heat Pumps Ltd."
APPROACH = "Zephyrine geothermal loops under every duplex"
TEAM = "Marigold Okonkwo-Lindqvist leads twelve installers"
DOCUMENT_TITLE = "Xanthic delivery schedule"
DOCUMENT_FILE = "xanthic-schedule.pdf"
AMOUNT = Decimal("87654.32")
# What would give the proposal away; the vendor's name only together with the challenge (a
# registered organization is no secret), hence "absent before, present after" below.
TOKENS = [
    VENDOR_NAME,
    APPROACH,
    TEAM,
    DOCUMENT_TITLE,
    DOCUMENT_FILE,
    str(PROPOSAL_ID),
    str(DOCUMENT_ID),
    "87654",
    "87,654",
    "87\u00a0654",
    "87 654",
    "654.32",
    "654,32",
]

PERSONAS = ["anonymous", "alice", "bob", "carol", "dave", "erin", "frank", "grace", "rita", "root"]
# dave acts for the bidding vendor: he sees his own proposal; the crawl checks he gets no error.
BIDDER = "dave"


class Rollback(Exception):
    pass


# Discovery ---------------------------------------------------------------------------------------


def _routes(patterns, prefix="", namespace=""):
    """(view name, route, {parameter: converter}) of every named pattern of the URLconf."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            yield from _routes(
                pattern.url_patterns,
                prefix + str(pattern.pattern),
                f"{namespace}:{inner}".strip(":") if inner else namespace,
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            found = getattr(pattern.pattern, "converters", {})
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            yield name, prefix + str(pattern.pattern), found


def page_urls(values) -> set[str]:
    """Every page of the URLconf (the API comes from its schema), and the admin's changelists."""
    urls = set()
    for name, route, found in _routes(get_resolver().url_patterns):
        if route.startswith("api/"):
            continue
        if route.startswith("admin/") and not (
            name.endswith("_changelist") or name == "admin:index"
        ):
            continue
        choices = [{}]
        for parameter, converter in found.items():
            if isinstance(converter, converters.UUIDConverter):
                options = values["uuid"]
            elif isinstance(converter, converters.IntConverter):
                options = values.get(parameter, values["int"])
            else:
                options = values.get(parameter, ["x"])
            choices = [{**c, parameter: option} for c in choices for option in options]
        for kwargs in choices:
            urls.add(reverse(name, kwargs=kwargs))
    return urls


def api_urls(values) -> set[str]:
    """Every GET operation of the OpenAPI schema, its path parameters filled from the data: each
    parameter takes every known key, and the URLconf keeps those of the right shape."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    keys = [*values["reference"], *values["uuid"], *values["int"]]
    urls = set()
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        choices = [path]
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] == "path":
                token = "{" + parameter["name"] + "}"
                choices = [c.replace(token, str(key)) for c in choices for key in keys]
        urls.update(url for url in choices if _resolves(url))
    return urls


def _resolves(url) -> bool:
    try:
        resolve(url)
    except Resolver404:
        return False
    return True


# Reading and comparing ---------------------------------------------------------------------------

_VOLATILE = [
    # CSRF tokens and nonces change on every request.
    re.compile(r'(csrf[\w-]*"?\s*(?:value|content)?=")[^"]*'),
    re.compile(r'(nonce=")[^"]*'),
    re.compile(r'("X-CSRFToken":\s*")[^"]*'),
    # Timestamps of rows written during the play (the clock is frozen, but not every row's is).
    re.compile(r"()\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"),
    # The published audit chain head: a digest of everything recorded before its checkpoint, so
    # any write in that hour changes it, a vendor's draft included. It tells that something was
    # recorded, never what nor how much (docs/audit.md); it is the price of a history outsiders
    # can vouch for.
    re.compile(r"()\b[0-9a-f]{64}\b"),
    # A notification is named in the inbox by a random id, different in each play.
    re.compile(r'(name="notification" value=")[0-9a-f-]{36}'),
]


def normalised(body: str) -> str:
    for pattern in _VOLATILE:
        body = pattern.sub(r"\1~", body)
    return body


def read(client, url) -> tuple[int, str]:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return response.status_code, normalised(content.decode("utf-8", errors="replace"))


def crawl(users, urls_for) -> dict[str, dict[str, tuple[int, str]]]:
    pages = {}
    for who, user in users.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        pages[who] = {url: read(client, url) for url in sorted(urls_for(user))}
        assert not [u for u, (status, _b) in pages[who].items() if status >= 500], who
    return pages


def differences(before: dict, after: dict) -> list[str]:
    found = []
    for url, (status, body) in after.items():
        old_status, old_body = before[url]
        if status != old_status:
            found.append(f"{url}: answers {status} instead of {old_status}")
            continue
        tokens = [t for t in TOKENS if t in body and t not in old_body]
        if tokens:
            found.append(f"{url}: shows {tokens}")
        numbers, old_numbers = re.findall(r"\d+", body), re.findall(r"\d+", old_body)
        if numbers != old_numbers:
            changed = sorted(set(numbers) ^ set(old_numbers))[:8]
            found.append(
                f"{url}: its numbers differ ({len(old_numbers)} → {len(numbers)}, {changed})"
            )
        elif body != old_body:
            # Stricter still: a word that appears (a reminder's audience, a filter's choice).
            lines = zip_longest(old_body.splitlines(), body.splitlines(), fillvalue="")
            old_line, line = next((o, n) for o, n in lines if o != n)
            found.append(f"{url}: reads {line.strip()[:160]!r} for {old_line.strip()[:160]!r}")
    return found


# The play ----------------------------------------------------------------------------------------


def _sequences() -> list[tuple[str, int, bool]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT schemaname || '.' || sequencename, last_value FROM pg_sequences "
            "WHERE last_value IS NOT NULL"
        )
        return cursor.fetchall()


def _restore(sequences) -> None:
    """Sequences ignore rollbacks: put them back so both plays number their rows alike."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT schemaname || '.' || sequencename FROM pg_sequences "
            "WHERE last_value IS NOT NULL"
        )
        for (name,) in cursor.fetchall():
            cursor.execute("SELECT setval(%s, 1, false)", [name])
        for name, value in sequences:
            cursor.execute("SELECT setval(%s, %s, true)", [name, value])


@pytest.fixture
def stage(alice, bob, carol, dave, erin, frank, grace, rita, root, department):
    """A published challenge with its panel, a question from erin, two vendors; Acme not started."""
    with time_machine.travel(DRAFT_STARTED - timedelta(days=10), tick=False):
        challenge = ChallengeFactory(
            owner=alice,
            department=department,
            questions_deadline=DEADLINE - timedelta(days=3),
            submission_deadline=DEADLINE,
        )
        EngagementActivityFactory(challenge=challenge)
        questions = [
            ResponseQuestionFactory(challenge=challenge, order=1, prompt="Your approach"),
            ResponseQuestionFactory(challenge=challenge, order=2, prompt="Your team"),
        ]
        set_status(challenge, "published")
        evaluation = evaluation_in(challenge, "setup")
        chair = panel_member(evaluation, frank, status="accepted", is_chair=True)
        panel_member(evaluation, grace)
        acme = VendorMembershipFactory(user=dave, vendor__legal_name=VENDOR_NAME, role="owner")
        VendorMembershipFactory(user=erin, vendor__legal_name="Globex Retrofit Co-op", role="owner")
        question = challenge_services.question_ask(
            challenge=challenge, actor=erin, body="May a co-operative answer?"
        )
    challenge.refresh_from_db()
    return {
        "challenge": challenge,
        "questions": questions,
        "question": question,
        "acme": acme.vendor,
        "keys": [questions[0].pk, chair.pk, acme.pk],
        "users": {
            "anonymous": None,
            **{u.username: u for u in (alice, bob, carol, dave, erin, frank, grace, rita, root)},
        },
    }


def bid(stage):
    """Acme drafts, is reminded, and submits."""
    challenge, questions, dave = stage["challenge"], stage["questions"], stage["users"]["dave"]
    with time_machine.travel(DRAFT_STARTED, tick=False):
        proposal = vendor_services.proposal_start(
            challenge=challenge, vendor=stage["acme"], actor=dave
        )
        type(proposal).objects.filter(pk=proposal.pk).update(public_id=PROPOSAL_ID)
        proposal.refresh_from_db()
        vendor_services.proposal_save_answers(
            proposal=proposal,
            actor=dave,
            answers={questions[0].pk: APPROACH, questions[1].pk: TEAM},
        )
        document = vendor_services.document_upload(
            proposal=proposal, actor=dave, title=DOCUMENT_TITLE, upload=pdf(DOCUMENT_FILE)
        )
        type(document).objects.filter(pk=document.pk).update(public_id=DOCUMENT_ID)
        vendor_services.price_envelope_save(proposal=proposal, actor=dave, amount=AMOUNT)
    with time_machine.travel(LOOKED_AT, tick=False):
        reminders_deliver_due(now=LOOKED_AT)
        proposal.refresh_from_db()
        vendor_services.proposal_submit(proposal=proposal, actor=dave)


def meanwhile(stage):
    """What happens in both plays just before everyone looks: reminders go out, the question is
    answered, an addendum is issued (each tells the vendors concerned)."""
    alice = stage["users"]["alice"]
    with time_machine.travel(LOOKED_AT, tick=False):
        reminders_deliver_due(now=LOOKED_AT)
        challenge_services.question_answer(
            question=stage["question"], actor=alice, answer="Yes, it may."
        )
        addendum = challenge_services.addendum_create(
            challenge=stage["challenge"],
            actor=alice,
            title="Site visit",
            body="A site visit is offered on request.",
        )
        challenge_services.addendum_issue(addendum=addendum, actor=alice)


def test_before_the_deadline_nothing_tells_that_a_proposal_exists(stage):
    challenge, users = stage["challenge"], stage["users"]
    values = {
        "reference": [challenge.reference],
        "challenge_reference": [challenge.reference],
        "uuid": [PROPOSAL_ID, DOCUMENT_ID, stage["acme"].public_id],
        "int": sorted({stage["question"].pk, *stage["keys"]}),
        # Receipts are numbered from 1 within their proposal.
        "number": [1],
    }
    pages = page_urls(values)
    api = api_urls(values)

    calendars = {
        user.pk: page_urls({**values, "token": [calendar_token_regenerate(actor=user)[1]]})
        for user in users.values()
        if user is not None
    }

    # Steps answer only POST, to everyone: the superuser's 405 marks them once for all.
    superuser = Client()
    superuser.force_login(users["root"])
    post_only = {url for url in pages | api if superuser.get(url).status_code == 405}

    def urls_for(user):
        return (pages | api | calendars.get(getattr(user, "pk", None), set())) - post_only

    sequences = _sequences()
    try:
        with transaction.atomic():
            meanwhile(stage)
            with time_machine.travel(LOOKED_AT, tick=False):
                # The bidder's own pages are his to read: only the others' are compared.
                before = crawl({w: u for w, u in users.items() if w != BIDDER}, urls_for)
            raise Rollback
    except Rollback:
        pass
    _restore(sequences)

    bid(stage)
    meanwhile(stage)
    with time_machine.travel(LOOKED_AT, tick=False):
        after = crawl(users, urls_for)

    # The crawl found the admin's lists and the API's, and the play reached the pages: Acme's
    # member reads his proposal, tokens and all.
    assert after["root"][reverse("admin:procurement_reminderdelivery_changelist")][0] == 200
    assert after["alice"][reverse("challenge-received-proposal-list", args=[challenge.reference])]
    own = after[BIDDER][reverse("vendors:proposal", args=[PROPOSAL_ID])]
    assert own[0] == 200 and APPROACH in own[1]
    assert after[BIDDER][f"/api/proposals/{PROPOSAL_ID}/"][0] == 200

    leaks = {
        who: found
        for who in PERSONAS
        if who != BIDDER and (found := differences(before[who], after[who]))
    }
    assert leaks == {}
