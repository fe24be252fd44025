"""Debriefs after the result letters: the vendor's proposal page leads to its letter; the
challenge's owner schedules the debrief a vendor asked for (and may move it), then records that it
was held. Each step is audited and the vendor is told; everyone else is refused."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import InvalidInput, PermissionDenied, TransitionRefused
from core.models import AuditEntry
from procurement.models import DebriefRequest, Notification
from procurement.services import award as services
from procurement.services import debriefs as debrief_services
from tests.procurement.award_fixtures import *  # noqa: F403  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_standstill(decided, frank, carol, alice):
    award = services.award_recommend(evaluation=decided.evaluation, actor=frank)
    services.award_approve(award=award, actor=carol)
    services.award_notify(award=award, actor=alice)
    return decided


@pytest.fixture
def requested(in_standstill, erin):
    award = services.live_award(in_standstill.challenge)
    return services.debrief_request(award=award, actor=erin, message="Why was our price low?")


def step_url(debrief, name):
    return reverse(
        f"procurement:debrief_{name}",
        kwargs={"reference": debrief.award.challenge.reference, "pk": debrief.pk},
    )


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


WHEN = timezone.now() + timedelta(days=3)
PLACE = "City Hall, room 204, 397 Queen Street"


# The proposal page leads to the letter


def test_a_vendors_proposal_page_links_its_result_letter(client, in_standstill, erin):
    client.force_login(erin)
    page = reverse("vendors:proposal", args=[in_standstill.globex.public_id])

    html = client.get(page).content.decode()

    letter = reverse("procurement:result_letter", args=[in_standstill.challenge.reference])
    assert f'href="{letter}"' in html
    assert "Read the result letter for this proposal" in html


def test_there_is_no_letter_link_before_the_letters_go_out(client, decided, erin):
    client.force_login(erin)

    html = client.get(reverse("vendors:proposal", args=[decided.globex.public_id])).content.decode()

    assert "Read the result letter" not in html


# Scheduling


def test_the_owner_schedules_a_debrief_and_the_vendor_is_told(client, alice, erin, requested):
    client.force_login(alice)

    response = client.post(
        step_url(requested, "schedule"), {"scheduled_for": local(WHEN), "location": PLACE}
    )

    assert response.status_code == 302
    requested.refresh_from_db()
    assert requested.status == DebriefRequest.Status.SCHEDULED
    assert requested.location == PLACE
    assert local(requested.scheduled_for) == local(WHEN)
    assert AuditEntry.objects.filter(
        transition="schedule", object_id=str(requested.pk), actor=alice
    ).exists()
    told = Notification.objects.get(recipient=erin, kind=Notification.Kind.DEBRIEF_SCHEDULED)
    assert PLACE in told.body
    client.force_login(erin)
    letter = client.get(
        reverse("procurement:result_letter", args=[requested.award.challenge.reference])
    ).content.decode()
    assert "It is scheduled for" in letter and PLACE in letter


def test_the_owner_moves_a_scheduled_debrief_and_the_vendor_is_told_again(alice, erin, requested):
    debrief_services.debrief_schedule(
        debrief=requested, actor=alice, scheduled_for=WHEN, location=PLACE
    )
    later = WHEN + timedelta(days=1)

    debrief_services.debrief_schedule(
        debrief=requested, actor=alice, scheduled_for=later, location="https://meet.example.org/x"
    )

    requested.refresh_from_db()
    assert requested.scheduled_for == later
    assert (
        Notification.objects.filter(
            recipient=erin, kind=Notification.Kind.DEBRIEF_SCHEDULED
        ).count()
        == 2
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"scheduled_for": "", "location": PLACE}, "Give the date and time of the debrief."),
        (
            {"scheduled_for": local(timezone.now() - timedelta(days=1)), "location": PLACE},
            "Choose a date and time in the future.",
        ),
        ({"scheduled_for": local(WHEN), "location": "  "}, "Say where the debrief takes place"),
    ],
)
def test_a_schedule_without_a_future_date_or_a_place_is_refused(
    client, alice, requested, data, message
):
    client.force_login(alice)

    response = client.post(step_url(requested, "schedule"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    requested.refresh_from_db()
    assert requested.status == DebriefRequest.Status.REQUESTED
    assert requested.scheduled_for is None
    assert not Notification.objects.filter(kind=Notification.Kind.DEBRIEF_SCHEDULED).exists()


@pytest.mark.parametrize("persona", ["bob", "carol", "frank", "erin", "dave", "rita"])
def test_nobody_but_the_owner_schedules_or_records_a_debrief(client, request, requested, persona):
    client.force_login(request.getfixturevalue(persona))

    schedule = client.post(
        step_url(requested, "schedule"), {"scheduled_for": local(WHEN), "location": PLACE}
    )
    held = client.post(step_url(requested, "held"), {"note": "Done."})

    assert schedule.status_code in (403, 404)
    assert held.status_code in (403, 404)
    requested.refresh_from_db()
    assert requested.status == DebriefRequest.Status.REQUESTED


def test_the_services_refuse_other_staff(bob, requested):
    with pytest.raises(PermissionDenied):
        debrief_services.debrief_schedule(
            debrief=requested, actor=bob, scheduled_for=WHEN, location=PLACE
        )


# Recording that it was held


def test_the_owner_records_that_a_scheduled_debrief_was_held(client, alice, requested):
    debrief_services.debrief_schedule(
        debrief=requested, actor=alice, scheduled_for=WHEN, location=PLACE
    )
    client.force_login(alice)

    response = client.post(step_url(requested, "held"), {"note": "Explained the price scores."})

    assert response.status_code == 302
    requested.refresh_from_db()
    assert requested.status == DebriefRequest.Status.HELD
    assert requested.held_note == "Explained the price scores."
    assert requested.held_at is not None
    assert AuditEntry.objects.filter(transition="record_held", object_id=str(requested.pk)).exists()


def test_a_debrief_cannot_be_recorded_as_held_before_it_is_scheduled(alice, requested):
    with pytest.raises(TransitionRefused):
        debrief_services.debrief_record_held(debrief=requested, actor=alice)

    requested.refresh_from_db()
    assert requested.status == DebriefRequest.Status.REQUESTED


def test_a_held_debrief_cannot_be_moved(alice, requested):
    debrief_services.debrief_schedule(
        debrief=requested, actor=alice, scheduled_for=WHEN, location=PLACE
    )
    debrief_services.debrief_record_held(debrief=requested, actor=alice)

    with pytest.raises(TransitionRefused):
        debrief_services.debrief_schedule(
            debrief=requested, actor=alice, scheduled_for=WHEN, location=PLACE
        )


def test_the_award_page_offers_the_owner_the_step_each_debrief_is_ready_for(
    client, alice, bob, requested
):
    client.force_login(alice)
    page = reverse("procurement:award", args=[requested.award.challenge.reference])

    html = client.get(page).content.decode()
    assert "Schedule the debrief with" in html
    assert "was held" not in html

    debrief_services.debrief_schedule(
        debrief=requested, actor=alice, scheduled_for=WHEN, location=PLACE
    )
    html = client.get(page).content.decode()
    assert "Move the debrief with" in html
    assert "Record that the debrief with" in html

    client.force_login(bob)
    assert "Schedule the debrief" not in client.get(page).content.decode()


def test_notes_over_the_limit_are_refused(alice, requested):
    debrief_services.debrief_schedule(
        debrief=requested, actor=alice, scheduled_for=WHEN, location=PLACE
    )
    with pytest.raises(InvalidInput):
        debrief_services.debrief_record_held(debrief=requested, actor=alice, note="x" * 5001)
    requested.refresh_from_db()
    assert requested.status == DebriefRequest.Status.SCHEDULED


# The result letter reads as a letter


def test_the_result_letter_is_addressed_dated_and_says_what_comes_next(client, in_standstill, erin):
    client.force_login(erin)
    url = reverse("procurement:result_letter", args=[in_standstill.challenge.reference])

    html = client.get(url).content.decode()

    vendor = in_standstill.globex.vendor
    assert '<address class="letter-to">' in html
    assert vendor.street_address in html and vendor.postal_code in html
    assert f"Dear {vendor.legal_name}," in html
    assert "What was decided, and why" in html
    assert '<table id="scores" class="letter-scores">' in html
    assert "Next steps" in html
    assert "You may request a debrief until the standstill period ends" in html
    assert "no contract is signed" in html
    assert "Sincerely," in html


def test_the_result_letter_reads_in_french(client, in_standstill, erin):
    client.force_login(erin)
    url = reverse("procurement:result_letter", args=[in_standstill.challenge.reference])

    html = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Ce qui a été décidé, et pourquoi" in html
    assert "Prochaines étapes" in html
    assert "Objet\u00a0:" in html
    assert "What was decided" not in html
