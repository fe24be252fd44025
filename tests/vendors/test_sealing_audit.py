"""The audit trail keeps proposals sealed: neither the challenge's history nor the admin's trail
shows a proposal's steps before its challenge closes."""

import time_machine

from tests.vendors.conftest import close


def test_the_challenge_history_never_lists_proposal_steps(client, alice, submitted):
    client.force_login(alice)
    history = client.get(f"/challenges/{submitted.challenge.reference}/history/")
    assert history.status_code == 200
    assert str(submitted.public_id) not in history.content.decode()
    assert "Proposal " not in history.content.decode()


def test_the_admin_trail_hides_proposal_steps_until_closing_even_from_admins(
    client, root, submitted
):
    client.force_login(root)
    page = client.get("/admin/core/auditentry/")
    assert page.status_code == 200
    assert str(submitted.public_id) not in page.content.decode()

    with time_machine.travel(submitted.challenge.submission_deadline, tick=False):
        close(submitted.challenge)
    page = client.get("/admin/core/auditentry/")
    assert str(submitted.public_id) in page.content.decode()
