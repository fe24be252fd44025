"""The challenge lifecycle in a real browser, one context per person.

Locators go by role and label on purpose: a control the test cannot find by its name is one a
screen reader user cannot find either.
"""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from playwright.sync_api import expect

from challenges.models import Challenge, CommunityInput, EngagementActivity, Question
from core.models import AuditEntry
from tests.e2e.conftest import confirm, sign_in
from tests.factories import (
    PASSWORD,
    ChallengeFactory,
    DepartmentFactory,
    complete_plan,
    set_status,
)

# serialized_rollback like every other transactional test: a plain flush re-runs post_migrate,
# and the role groups it recreates collide with the next serialized test's restore.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MONCTON = ZoneInfo("America/Moncton")
TITLE = "Keep winter sidewalks passable for wheelchair users"
QUESTION = "May the pilot use the city's existing snow-plough GPS data?"
ANSWER = "Yes: the GPS feed is available to the selected vendor under a data agreement."
INPUT = "The curb cuts on Regent Street fill with plough ridges after every storm."


def local_input(moment: datetime) -> str:
    """The value a datetime-local field takes: wall-clock time in the municipality."""
    return moment.astimezone(MONCTON).strftime("%Y-%m-%dT%H:%M")


def shown_local(moment: datetime) -> str:
    """How an English page writes a moment: 'Mar 3, 2027, 2:00 p.m. AST' (en_CA, the zone by its
    abbreviation; a narrow no-break space before "a.m."/"p.m.")."""
    local = moment.astimezone(MONCTON)
    hour = local.hour % 12 or 12
    half = "a.m." if local.hour < 12 else "p.m."
    return f"{local:%b} {local.day}, {local.year}, {hour}:{local:%M}\u202f{half} {local.tzname()}"


def expect_status(page, text):
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def test_a_challenge_goes_from_draft_to_published_with_an_answered_question(
    new_page, alice, carol, dave, rita, department
):
    # Staff writes the draft through the form.
    staff = new_page()
    sign_in(staff, "alice", PASSWORD)
    staff.get_by_role("navigation", name="Main").get_by_role("link", name="New challenge").click()
    expect(staff.get_by_role("heading", level=1, name="New challenge")).to_be_visible()
    staff.get_by_label("Title in English").fill(TITLE)
    staff.get_by_label("Summary in English").fill("Sidewalks stay blocked for days after snowfall.")
    staff.get_by_label("Department").select_option(label=department.name)
    staff.get_by_label("Problem in English").fill(
        "Residents using wheelchairs cannot reach bus stops."
    )
    staff.get_by_label("Context in English").fill(
        "Ploughs clear roads first and push snow onto curb cuts."
    )
    staff.get_by_label("Desired outcomes in English").fill(
        "Curb cuts on priority routes clear within 24 h."
    )
    staff.get_by_label("Success measures in English").fill(
        "Share of priority curb cuts cleared in 24 h."
    )
    staff.get_by_label("Budget from (CAD)").fill("40000")
    staff.get_by_label("Budget up to (CAD)").fill("120000")
    staff.get_by_role("button", name="Create the draft").click()
    expect(staff.get_by_role("heading", level=1, name=TITLE)).to_be_visible()
    expect(staff.get_by_text("Draft", exact=True)).to_be_visible()

    challenge = Challenge.objects.get(title=TITLE)
    assert challenge.owner == alice
    assert challenge.department == department
    assert challenge.status == Challenge.Status.DRAFT

    # Edit the statement, then set the timeline in local time.
    staff.get_by_role("link", name="Edit the statement").click()
    staff.get_by_label("Affected communities").fill("Wheelchair users, seniors, parents.")
    staff.get_by_role("button", name="Save the statement").click()
    expect_status(staff, "Statement saved.")

    now = timezone.now()
    # Whole minutes in the future: the form reads minutes, the page shows them.
    questions_deadline = (now + timedelta(days=10)).replace(second=0, microsecond=0)
    submission_deadline = (now + timedelta(days=30)).replace(second=0, microsecond=0)
    staff.get_by_role("link", name="Set the timeline").click()
    staff.get_by_label("Questions deadline").fill(local_input(questions_deadline))
    staff.get_by_label("Submission deadline").fill(local_input(submission_deadline))
    staff.get_by_role("button", name="Save the timeline").click()
    expect_status(staff, "Timeline saved.")
    timeline = staff.get_by_role("complementary")
    expect(timeline).to_contain_text(shown_local(submission_deadline))

    # Co-design: open it and record how residents were engaged.
    staff.get_by_role("button", name="Open co-design").click()
    expect_status(staff, "The challenge is now “Co-design”")
    staff.get_by_role("link", name="Record an engagement activity").click()
    staff.get_by_label("Kind").select_option(label="Workshop")
    staff.get_by_label("Date").fill(timezone.localdate().isoformat())
    staff.get_by_label("Participants").fill("18")
    staff.get_by_label("Groups reached").fill("Accessibility advisory committee")
    staff.get_by_label("Summary in English").fill("Curb cuts, not sidewalks, are where trips fail.")
    staff.get_by_role("button", name="Record the activity").click()
    expect_status(staff, "Engagement activity recorded.")
    engagement = staff.get_by_role("region", name="How we engaged")
    expect(engagement.get_by_role("cell", name="Accessibility advisory committee")).to_be_visible()

    # Review needs a complete data governance record: the owner fills it on its page.
    staff.get_by_role("link", name="Data governance record").first.click()
    expect(staff.get_by_role("heading", level=1, name="Data governance record")).to_be_visible()
    staff.get_by_role("link", name="Add a dataset").click()
    staff.get_by_label("Dataset or data category").fill("Curb cut clearing reports")
    staff.get_by_label("What it is").fill("Where and when crews cleared each curb cut.")
    staff.get_by_label("Personal information").select_option(label="No personal information")
    staff.get_by_label("Who provides it").fill("The city's snow crews")
    staff.get_by_label("Who owns what the solution produces from it").fill("The municipality")
    staff.get_by_role("button", name="Save").click()
    expect_status(staff, "Dataset added.")
    staff.get_by_label("Where the data is stored").select_option(label="In Canada")
    staff.get_by_label("Accessibility standard required").select_option(label="WCAG 2.1 level AA")
    staff.get_by_label("All data returned in open formats at the end").check()
    staff.get_by_role("button", name="Save the record").click()
    expect_status(staff, "Data governance record saved.")
    expect(staff.get_by_text("The record is complete")).to_be_visible()
    staff.get_by_role("link", name="Back to the challenge").click()

    # A resident comments on the consultation from their own session.
    resident = new_page()
    sign_in(resident, "rita", PASSWORD)
    resident.goto(challenge.get_absolute_url())
    resident.get_by_label("Your input").fill(INPUT)
    resident.get_by_label("Neighbourhood (optional)").fill("Downtown")
    # Only input the resident lets the city publish is ever published.
    resident.get_by_label("The city may publish my input on this page").check()
    resident.get_by_role("button", name="Send my input").click()
    expect_status(resident, "Your input will appear here once a moderator has read it.")
    residents_said = resident.get_by_role("region", name="What residents told us")
    expect(residents_said).not_to_contain_text(INPUT)

    # Review needs a complete evaluation plan (its own journey is the evaluation's), so it is
    # written directly.
    complete_plan(challenge)

    # Staff moderates the input, then submits the challenge for review.
    staff.reload()
    pending = staff.get_by_role("region", name="Awaiting moderation")
    expect(pending).to_contain_text(INPUT)
    pending.get_by_role("button", name="Publish", exact=True).click()
    expect_status(staff, "Input published.")
    residents_said = staff.get_by_role("region", name="What residents told us")
    expect(residents_said).to_contain_text(INPUT)
    staff.get_by_role("button", name="Submit for review").click()
    expect_status(staff, "The challenge is now “In review”")
    # Four eyes: the author is offered no approval.
    expect(staff.get_by_role("button", name="Approve")).to_have_count(0)

    # Another person approves.
    approver = new_page()
    sign_in(approver, "carol", PASSWORD)
    approver.goto(challenge.get_absolute_url())
    # The approver approves the evaluation plan with the statement, and sees it with its digest.
    under_review = approver.get_by_role("region", name="Evaluation plan under review")
    expect(under_review).to_contain_text("Team and experience")
    expect(under_review.locator("code.digest")).to_have_count(1)
    approver.get_by_role("button", name="Approve").click()
    confirm(approver, "Yes, approve the challenge")
    expect_status(approver, "The challenge is now “Approved”")

    # The owner publishes.
    staff.reload()
    staff.get_by_role("button", name="Publish", exact=True).click()
    confirm(staff, "Yes, publish the challenge")
    expect_status(staff, "The challenge is now “Open for proposals”")

    # A vendor asks a question; staff sees who asked and answers.
    vendor = new_page()
    sign_in(vendor, "dave", PASSWORD)
    vendor.goto(challenge.get_absolute_url())
    vendor.get_by_label("Your question").fill(QUESTION)
    vendor.get_by_role("button", name="Send the question").click()
    expect_status(vendor, "Question sent.")
    expect(vendor.get_by_role("region", name="Your questions")).to_contain_text(QUESTION)

    staff.reload()
    waiting = staff.get_by_role("region", name="Awaiting an answer")
    expect(waiting).to_contain_text(QUESTION)
    expect(waiting).to_contain_text("Asked by dave")
    waiting.get_by_label("Answer in English").fill(ANSWER)
    waiting.get_by_role("button", name="Publish the answer").click()
    expect_status(staff, "Answer published to everyone")

    # Anyone can read the answer, without the asker's name, and the deadline with its zone.
    visitor = new_page()
    visitor.goto(challenge.get_absolute_url())
    expect(visitor.get_by_role("link", name="Sign in", exact=True)).to_be_visible()
    answers = visitor.get_by_role("region", name="Questions and answers")
    expect(answers.get_by_role("heading", name=QUESTION)).to_be_visible()
    expect(answers).to_contain_text(ANSWER)
    expect(visitor.get_by_role("main")).not_to_contain_text("dave")
    deadline_text = shown_local(submission_deadline)
    assert re.search(r" A[DS]T$", deadline_text)
    expect(visitor.get_by_role("complementary")).to_contain_text(
        re.compile(r"Submission deadline\s*" + re.escape(deadline_text))
    )
    expect(
        visitor.get_by_role("region", name="What residents told us").get_by_text(INPUT)
    ).to_be_visible()

    # The owner's history page reads the audit trail.
    staff.get_by_role("link", name="History").click()
    expect(staff.get_by_role("heading", level=1, name="History")).to_be_visible()
    approval = staff.get_by_role("row").filter(has_text="In review → Approved")
    expect(approval.get_by_role("cell", name="carol", exact=True)).to_be_visible()

    challenge.refresh_from_db()
    assert challenge.status == Challenge.Status.PUBLISHED
    assert challenge.approved_by == carol
    assert challenge.published_at is not None
    assert challenge.questions_deadline == questions_deadline
    assert challenge.submission_deadline == submission_deadline
    assert challenge.affected_communities == "Wheelchair users, seniors, parents."
    activity = EngagementActivity.objects.get(challenge=challenge)
    assert (activity.participants, activity.recorded_by) == (18, alice)
    community_input = CommunityInput.objects.get(challenge=challenge)
    assert (community_input.author, community_input.status) == (rita, "published")
    question = Question.objects.get(challenge=challenge)
    assert (question.asked_by, question.status, question.answer) == (dave, "answered", ANSWER)

    challenge_entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Challenge), object_id=str(challenge.pk)
    )
    # Its creation and edits are recorded too; the steps are those with states.
    assert challenge_entries.first().transition == "create"
    steps = challenge_entries.exclude(source="", target="")
    assert [(e.transition, e.source, e.target, e.actor) for e in steps] == [
        ("open_co_design", "draft", "co_design", alice),
        ("submit_for_review", "co_design", "in_review", alice),
        ("approve", "in_review", "approved", carol),
        ("publish", "approved", "published", alice),
    ]
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Question),
        object_id=str(question.pk),
        transition="publish_answer",
        actor=alice,
    ).exists()
    assert AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(CommunityInput),
        object_id=str(community_input.pk),
        target="published",
        actor=alice,
    ).exists()


def test_the_board_search_is_reachable_and_submitted_with_the_keyboard(new_page, alice):
    wanted = ChallengeFactory(owner=alice, title="Reduce flooding in the Northside basements")
    other = ChallengeFactory(owner=alice, title="Faster building permits")
    for challenge in (wanted, other):
        set_status(challenge, "published")

    page = new_page()
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    search = page.get_by_role("searchbox", name="Search", exact=True)
    expect(search).to_be_focused()
    page.keyboard.type("flooding")
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"[?&]q=flooding"))
    expect(page.get_by_role("status").filter(has_text="1 challenge")).to_be_visible()
    expect(page.get_by_role("link", name=wanted.title)).to_be_visible()
    expect(page.get_by_role("link", name=other.title)).to_have_count(0)


def test_the_board_filters_and_keeps_them_across_pages(new_page, alice, department):
    transport = DepartmentFactory(name="Transportation", slug="transportation")
    matching = [
        ChallengeFactory(owner=alice, department=department, title=f"Winter heating help {n:02d}")
        for n in range(14)
    ]
    elsewhere = ChallengeFactory(owner=alice, department=transport, title="Winter bus shelters")
    unrelated = ChallengeFactory(owner=alice, department=department, title="Library hours")
    draft = ChallengeFactory(owner=alice, department=department, title="Winter heating draft")
    for challenge in [*matching, elsewhere, unrelated]:
        set_status(challenge, "published")

    page = new_page()
    page.goto("/")
    expect(page.get_by_role("status").filter(has_text="16 challenges")).to_be_visible()
    filters = page.get_by_role("search", name="Search and filter challenges")
    filters.get_by_role("searchbox", name="Search", exact=True).fill("winter")
    filters.get_by_label("Department").select_option(label=department.name)
    filters.get_by_label("Status").select_option(label="Open for proposals")
    filters.get_by_role("button", name="Search").click()

    expect(page.get_by_role("status").filter(has_text="14 challenges")).to_be_visible()
    cards = page.get_by_role("main").get_by_role("heading", level=2)
    expect(cards).to_have_count(12)
    expect(page.get_by_role("link", name=elsewhere.title)).to_have_count(0)
    expect(page.get_by_role("link", name=unrelated.title)).to_have_count(0)
    expect(page.get_by_role("link", name=draft.title)).to_have_count(0)

    pages = page.get_by_role("navigation", name="Pages")
    expect(pages.get_by_text("1", exact=True)).to_have_attribute("aria-current", "page")
    pages.get_by_role("link", name="Next").click()

    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page).to_have_url(re.compile(r"q=winter"))
    expect(page).to_have_url(re.compile(rf"department={department.slug}"))
    expect(page).to_have_url(re.compile(r"status=published"))
    expect(page.get_by_role("status").filter(has_text="14 challenges")).to_be_visible()
    expect(cards).to_have_count(2)
    shown = set(cards.all_inner_texts())
    assert shown <= {c.title for c in matching}
    # The form still shows the filters in force on the second page.
    expect(filters.get_by_role("searchbox", name="Search", exact=True)).to_have_value("winter")
    expect(filters.get_by_label("Department")).to_have_value(department.slug)
    expect(filters.get_by_label("Status")).to_have_value("published")

    # By keyboard: Playwright aims its click at the link's visually hidden "Page" text (a 1px
    # clipped box), which a person never clicks; a keyboard user follows the link like this.
    pages.get_by_role("link", name="Page 1").press("Enter")
    expect(page).to_have_url(re.compile(r"q=winter"))
    expect(cards).to_have_count(12)
    first_page = set(cards.all_inner_texts())
    assert first_page.isdisjoint(shown)
    assert first_page | shown == {c.title for c in matching}

    page.get_by_role("link", name="Clear filters").click()
    expect(page.get_by_role("status").filter(has_text="16 challenges")).to_be_visible()
