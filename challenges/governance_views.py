"""Pages of the data governance record (docs/data-governance.md): the owner fills it in draft
and co-design; staff and approvers read it whole; everyone reads its public view once the
challenge is public (on the challenge page, through challenges.sections)."""

from copy import copy
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.audit import audit_entries_visible
from core.errors import InvalidInput, TransitionRefused
from core.permissions import can, require

from . import governance_services as services
from .documents.selectors import documents_for_place
from .forms import apply_service_errors
from .governance import governance_problems, governance_risks
from .governance_forms import (
    DataAssetForm,
    DataSharingForm,
    GovernanceDecisionForm,
    GovernanceRecordForm,
)
from .governance_selectors import governance_view
from .models import (
    Challenge,
    DataAsset,
    DataGovernanceRecord,
    DataSharing,
    Document,
    GovernanceDecision,
)


@dataclass(frozen=True)
class RowKind:
    slug: str
    model: type
    form: type
    add: object
    change: object
    remove: object
    argument: str
    anchor: str
    title_add: object
    title_edit: object
    added: object
    saved: object
    removed: object


ROW_KINDS = {
    "assets": RowKind(
        "assets",
        DataAsset,
        DataAssetForm,
        services.data_asset_add,
        services.data_asset_change,
        services.data_asset_remove,
        "asset",
        "data",
        gettext_lazy("Add a dataset"),
        gettext_lazy("Edit a dataset"),
        gettext_lazy("Dataset added."),
        gettext_lazy("Dataset saved."),
        gettext_lazy("Dataset removed."),
    ),
    "sharings": RowKind(
        "sharings",
        DataSharing,
        DataSharingForm,
        services.data_sharing_add,
        services.data_sharing_change,
        services.data_sharing_remove,
        "sharing",
        "sharing",
        gettext_lazy("Add a data sharing"),
        gettext_lazy("Edit a data sharing"),
        gettext_lazy("Data sharing added."),
        gettext_lazy("Data sharing saved."),
        gettext_lazy("Data sharing removed."),
    ),
    "decisions": RowKind(
        "decisions",
        GovernanceDecision,
        GovernanceDecisionForm,
        services.governance_decision_add,
        services.governance_decision_change,
        services.governance_decision_remove,
        "governance_decision",
        "decisions",
        gettext_lazy("Record a decision"),
        gettext_lazy("Edit a decision"),
        gettext_lazy("Decision recorded."),
        gettext_lazy("Decision saved."),
        gettext_lazy("Decision removed."),
    ),
}


def _challenge(request, reference) -> Challenge:
    """The challenge, or 404 for anyone who may not read its record."""
    challenge = get_object_or_404(
        Challenge.objects.select_related("department", "owner"), reference=reference
    )
    if not can(request.user, "challenges.view_datagovernance", challenge):
        raise Http404
    return challenge


def _owned(request, reference) -> Challenge:
    challenge = _challenge(request, reference)
    require(
        request.user,
        "challenges.change_datagovernance",
        challenge,
        str(services.GOVERNANCE_DENIED),
    )
    return challenge


def _to_page(challenge, anchor: str = ""):
    url = reverse("challenges:governance", args=[challenge.reference])
    return redirect(f"{url}#{anchor}" if anchor else url)


def frozen_sentence(challenge) -> str:
    if challenge.status in Challenge.EDITABLE_STATES:
        return ""
    return _(
        "The record was fixed with the statement when the challenge went to review; it can no "
        "longer be changed here. If the approver sends the challenge back, its owner can "
        "change it again."
    )


def governance_page_context(request, challenge) -> dict:
    view = governance_view(challenge=challenge, user=request.user)
    full = view.full
    return {
        "challenge": challenge,
        "view": view,
        "record": view.record,
        "full": full,
        "problems": governance_problems(challenge) if full else [],
        "risks": governance_risks(challenge) if full else [],
        "frozen": frozen_sentence(challenge),
        "attached_documents": documents_for_place(
            challenge=challenge, user=request.user, attached_to=Document.AttachedTo.GOVERNANCE
        ),
        "may_history": can(request.user, "challenges.view_challenge_history", challenge),
    }


def governance(request, reference):
    """The record: its form for the owner while the statement may change, read-only otherwise."""
    challenge = _challenge(request, reference)
    may_change = can(request.user, "challenges.change_datagovernance", challenge)
    form = None
    if may_change:
        record = DataGovernanceRecord.objects.filter(challenge=challenge).first()
        instance = copy(record) if record else DataGovernanceRecord(challenge_id=challenge.pk)
        form = GovernanceRecordForm(
            request.POST if request.method == "POST" else None, instance=instance
        )
        if form.is_bound and form.is_valid():
            try:
                services.governance_record_update(
                    challenge=challenge, actor=request.user, **form.cleaned_data
                )
            except InvalidInput as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Data governance record saved."))
                return _to_page(challenge, "record-status")
    elif request.method == "POST":
        require(
            request.user,
            "challenges.change_datagovernance",
            challenge,
            str(services.GOVERNANCE_DENIED),
        )
    context = governance_page_context(request, challenge)
    context.update({"form": form, "may_change": may_change, "kinds": ROW_KINDS})
    return render(request, "challenges/governance/page.html", context)


def _kind(slug) -> RowKind:
    if slug not in ROW_KINDS:
        raise Http404
    return ROW_KINDS[slug]


def _row(challenge, kind: RowKind, pk):
    row = get_object_or_404(kind.model, pk=pk, record__challenge=challenge)
    row.record.challenge = challenge
    return row


@login_required
def governance_row_add(request, reference, kind):
    kind = _kind(kind)
    challenge = _owned(request, reference)
    form = kind.form(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            row = kind.add(challenge=challenge, actor=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, str(kind.added))
            return _to_page(challenge, f"{kind.slug}-{row.pk}")
    context = {"challenge": challenge, "form": form, "kind": kind, "title": kind.title_add}
    return render(request, "challenges/governance/row_form.html", context)


@login_required
def governance_row_edit(request, reference, kind, pk):
    kind = _kind(kind)
    challenge = _owned(request, reference)
    row = _row(challenge, kind, pk)
    form = kind.form(request.POST if request.method == "POST" else None, instance=copy(row))
    if form.is_bound and form.is_valid():
        try:
            kind.change(**{kind.argument: row}, actor=request.user, **form.cleaned_data)
        except InvalidInput as exc:
            apply_service_errors(form, exc)
        except TransitionRefused as exc:
            for message in exc.messages:
                messages.error(request, message)
            return _to_page(challenge, kind.anchor)
        else:
            messages.success(request, str(kind.saved))
            return _to_page(challenge, f"{kind.slug}-{row.pk}")
    context = {"challenge": challenge, "form": form, "kind": kind, "title": kind.title_edit}
    return render(request, "challenges/governance/row_form.html", context)


@login_required
def governance_row_remove(request, reference, kind, pk):
    """GET asks for confirmation; POST removes."""
    kind = _kind(kind)
    challenge = _owned(request, reference)
    row = _row(challenge, kind, pk)
    if request.method != "POST":
        context = {"challenge": challenge, "row": row, "kind": kind}
        return render(request, "challenges/governance/row_remove.html", context)
    try:
        kind.remove(**{kind.argument: row}, actor=request.user)
    except TransitionRefused as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, str(kind.removed))
    return _to_page(challenge, kind.anchor)


@login_required
@require_POST
def governance_asset_move(request, reference, pk):
    challenge = _owned(request, reference)
    asset = _row(challenge, ROW_KINDS["assets"], pk)
    try:
        services.data_asset_move(
            asset=asset, actor=request.user, direction=request.POST.get("direction", "")
        )
    except (InvalidInput, TransitionRefused) as exc:
        for message in exc.messages:
            messages.error(request, message)
    return _to_page(challenge, f"assets-{asset.pk}")


def governance_history(request, reference):
    """Every change to the record and its rows, oldest first (staff and approvers)."""
    challenge = _challenge(request, reference)
    require(request.user, "challenges.view_challenge_history", challenge)
    models = (DataGovernanceRecord, DataAsset, DataSharing, GovernanceDecision)
    types = ContentType.objects.get_for_models(*models).values()
    entries = (
        audit_entries_visible()
        .filter(Q(metadata__challenge_id=challenge.pk), content_type__in=list(types))
        .select_related("content_type")
        .order_by("sequence")
    )
    context = {"challenge": challenge, "entries": entries}
    return render(request, "challenges/governance/history.html", context)
