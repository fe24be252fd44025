"""Every write of a contract: drafted from a final award with the terms the data governance
record decided, edited while it is a draft, then signed (docs/award-pilot-and-open-data.md)."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from challenges.models import DataAsset, DataGovernanceRecord
from core.audit import (
    audit_append,
    audit_change,
    audit_created,
    audit_deleted,
    audit_diff,
    audit_values,
)
from core.errors import InvalidInput, TransitionRefused
from core.permissions import require
from core.timefmt import format_day
from core.validation import full_clean_or_invalid
from core.workflow import transition_run

from ..models import Award, Contract, ContractTerm
from ..signals import contract_signed

MANAGE_ONLY = gettext_lazy(
    "Only the challenge's owner, a member of municipal staff, can draft and sign its contract."
)
DETAIL_FIELDS = ("value", "starts_on", "ends_on", "signed_on")
TERM_FIELDS = ("topic", "text", "confidential")

Topic = ContractTerm.Topic


def _filed(contract: Contract) -> dict:
    """A contract's rows are filed under its challenge in the audit trail."""
    return {"metadata": {"challenge_id": contract.challenge_id}}


def _draft(contract: Contract, actor) -> Contract:
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    require(actor, "procurement.manage_contract", contract, MANAGE_ONLY)
    if contract.status != Contract.Status.DRAFT:
        raise TransitionRefused(
            _("This contract was signed on %(date)s; its record can no longer change.")
            % {"date": format_day(contract.signed_on)}
        )
    return contract


# Drafting the terms from the data governance record -----------------------------------------


def _term(topic, text, source, confidential=False) -> dict:
    return {"topic": topic, "text": str(text), "source": str(source), "confidential": confidential}


def _asset_source(asset: DataAsset) -> str:
    return _("Data governance record, data: %(name)s") % {"name": asset.name}


def drafted_terms(record: DataGovernanceRecord | None) -> list[dict]:
    """The terms that follow from the record, in the order of the contract's topics; a term
    drafted from a confidential row is confidential too."""
    if record is None:
        return []
    assets = list(record.assets.all())
    sharings = list(record.sharings.all())
    terms = []
    for asset in assets:
        terms.append(
            _term(
                Topic.OWNERSHIP,
                _("What the solution produces from %(name)s belongs to %(owner)s.")
                % {"name": asset.name, "owner": asset.produced_data_owner},
                _asset_source(asset),
                asset.confidential,
            )
        )
    source = _("Data governance record, privacy")
    if record.storage_location:
        text = _("The data is stored and processed: %(location)s.") % {
            "location": record.get_storage_location_display()
        }
        if record.storage_reason.strip():
            text += " " + _("Why: %(reason)s") % {"reason": record.storage_reason.strip()}
        terms.append(_term(Topic.RESIDENCY, text, source))
    if record.retention_period.strip():
        terms.append(
            _term(
                Topic.RETENTION,
                _(
                    "The data is kept for %(period)s, then returned to the municipality or "
                    "destroyed as it directs."
                )
                % {"period": record.retention_period.strip()},
                source,
            )
        )
    for sharing in sharings:
        terms.append(
            _term(
                Topic.SHARING,
                _(
                    "%(data)s is shared with %(party)s for this purpose only: %(purpose)s "
                    "Agreement: %(status)s."
                )
                % {
                    "data": sharing.data,
                    "party": sharing.party,
                    "purpose": sharing.purpose.strip(),
                    "status": sharing.get_agreement_status_display(),
                },
                _("Data governance record, sharing with %(party)s") % {"party": sharing.party},
                sharing.confidential,
            )
        )
    for asset in assets:
        if asset.open_data:
            terms.append(
                _term(
                    Topic.OPEN_DATA,
                    _(
                        "The vendor delivers %(name)s for the municipality to publish as open "
                        "data under the %(licence)s, in %(format)s."
                    )
                    % {
                        "name": asset.name,
                        "licence": asset.get_licence_display(),
                        "format": asset.open_format or _("an open format"),
                    },
                    _asset_source(asset),
                    asset.confidential,
                )
            )
    if any(asset.is_personal for asset in assets) or record.assessment_status:
        text = _("Personal information is collected under: %(authority)s.") % {
            "authority": record.legal_authority.strip() or _("(not recorded)")
        }
        status = record.get_assessment_status_display() or _("not recorded")
        if record.assessment_completed_on:
            status = _("%(status)s on %(date)s") % {
                "status": status,
                "date": format_day(record.assessment_completed_on),
            }
        text += " " + _(
            "Privacy impact assessment: %(status)s. The vendor applies the measures it sets."
        ) % {"status": status}
        terms.append(_term(Topic.PRIVACY, text, source))
    if record.automated_decisions:
        technology = _("Data governance record, technology")
        if record.impact_level:
            text = _(
                "The solution makes or supports automated decisions about residents, at %(level)s."
            ) % {"level": record.get_impact_level_display()}
        else:
            text = _("The solution makes or supports automated decisions about residents.")
        text += " " + _(
            "The vendor explains each decision to the resident concerned in plain language."
        )
        terms.append(_term(Topic.AUTOMATED_DECISIONS, text, technology))
        if record.impact_level in (
            DataGovernanceRecord.ImpactLevel.HIGH,
            DataGovernanceRecord.ImpactLevel.VERY_HIGH,
        ):
            terms.append(
                _term(
                    Topic.AUTOMATED_DECISIONS,
                    _(
                        "A person reviews each decision before it takes effect and may change "
                        "it (impact levels III and IV)."
                    ),
                    technology,
                )
            )
    technology = _("Data governance record, technology")
    if record.accessibility_standard and (
        record.accessibility_standard != DataGovernanceRecord.Accessibility.NOT_APPLICABLE
    ):
        terms.append(
            _term(
                Topic.ACCESSIBILITY,
                _("The solution meets %(standard)s.")
                % {"standard": record.get_accessibility_standard_display()},
                technology,
            )
        )
    if record.open_standards.strip():
        terms.append(
            _term(
                Topic.OTHER,
                _("The solution supports these open standards and interfaces: %(standards)s")
                % {"standards": record.open_standards.strip()},
                technology,
            )
        )
    exit_source = _("Data governance record, exit and portability")
    if record.exit_data_return:
        terms.append(
            _term(
                Topic.EXIT,
                _(
                    "At the end of the contract the vendor returns all the data in open formats "
                    "(%(formats)s)."
                )
                % {"formats": record.exit_formats.strip() or _("formats to be agreed")},
                exit_source,
            )
        )
    if record.source_code != DataGovernanceRecord.SourceCode.NONE:
        terms.append(
            _term(
                Topic.EXIT,
                _("Source code: %(choice)s.") % {"choice": record.get_source_code_display()},
                exit_source,
            )
        )
    if record.exit_plan.strip():
        terms.append(
            _term(
                Topic.EXIT,
                _("Exit plan: %(plan)s") % {"plan": record.exit_plan.strip()},
                exit_source,
            )
        )
    order = {topic: n for n, topic in enumerate(Topic.values)}
    terms.sort(key=lambda term: order[term["topic"]])
    return terms


# The contract --------------------------------------------------------------------------------


def contract_create(*, award: Award, actor) -> Contract:
    """Draft the contract of a final award, its terms drafted from the data governance record
    (the owner reviews them before signing; nothing is signed silently)."""
    with transaction.atomic():
        award = Award.objects.select_for_update().get(pk=award.pk)
        require(actor, "procurement.manage_contract", award, MANAGE_ONLY)
        if award.status != Award.Status.FINAL:
            raise TransitionRefused(_("A contract is drafted once the award is final."))
        if Contract.objects.filter(award=award).exists():
            raise TransitionRefused(_("This award already has a contract."))
        price = getattr(award.proposal, "price_envelope", None)
        contract = Contract.objects.create(
            challenge_id=award.challenge_id,
            award=award,
            # The awarded price is where the contract's value starts; the owner corrects it.
            value=price.amount if price is not None else None,
            created_by=actor,
        )
        audit_append(
            obj=contract,
            transition="draft",
            source="",
            target=contract.status,
            actor=actor,
            metadata={"challenge_id": award.challenge_id, "value": str(contract.value or "")},
        )
        record = DataGovernanceRecord.objects.filter(challenge_id=award.challenge_id).first()
        terms = [
            ContractTerm(contract=contract, order=n, **fields)
            for n, fields in enumerate(drafted_terms(record), start=1)
        ]
        ContractTerm.objects.bulk_create(terms)
        for term in terms:
            audit_created(
                obj=term,
                actor=actor,
                fields=("topic", "text", "source", "confidential"),
                **_filed(contract),
            )
    return contract


@transaction.atomic
def contract_update(*, contract: Contract, actor, **fields) -> Contract:
    """Change the value, period and signing date of a draft contract."""
    unknown = set(fields) - set(DETAIL_FIELDS)
    if unknown:
        raise InvalidInput(_("These fields cannot be changed here: %s.") % ", ".join(unknown))
    contract = _draft(contract, actor)
    before = audit_values(contract, DETAIL_FIELDS)
    for name, value in fields.items():
        setattr(contract, name, value)
    signed_on = contract.signed_on
    if signed_on is not None and signed_on > timezone.localdate():
        raise InvalidInput(
            _("A contract is recorded as signed once it is; enter today or an earlier date."),
            field_errors={"signed_on": [_("Choose today or an earlier date.")]},
        )
    full_clean_or_invalid(contract, exclude=("award", "challenge", "created_by"))
    Contract.objects.filter(pk=contract.pk).update(**{n: getattr(contract, n) for n in fields})
    contract.refresh_from_db()
    audit_change(obj=contract, actor=actor, action="update", changes=audit_diff(before, contract))
    return contract


def _term_input(*, topic, text) -> tuple[str, str]:
    text = (text or "").strip()
    errors = {}
    if topic not in Topic.values:
        errors["topic"] = [_("Choose one of the contract's topics.")]
    if not text:
        errors["text"] = [_("Write the term.")]
    if errors:
        raise InvalidInput(_("Correct the term and try again."), field_errors=errors)
    return topic, text


@transaction.atomic
def contract_term_add(
    *, contract: Contract, actor, topic: str, text: str, confidential: bool = False
) -> ContractTerm:
    contract = _draft(contract, actor)
    topic, text = _term_input(topic=topic, text=text)
    last = contract.terms.aggregate(last=Max("order"))["last"] or 0
    term = ContractTerm(
        contract=contract, topic=topic, text=text, confidential=bool(confidential), order=last + 1
    )
    full_clean_or_invalid(term, exclude=("contract",))
    term.save()
    audit_created(obj=term, actor=actor, fields=TERM_FIELDS, **_filed(contract))
    return term


@transaction.atomic
def contract_term_change(*, term: ContractTerm, actor, **fields) -> ContractTerm:
    unknown = set(fields) - set(TERM_FIELDS)
    if unknown:
        raise InvalidInput(_("These fields cannot be changed here: %s.") % ", ".join(unknown))
    contract = _draft(term.contract, actor)
    term = ContractTerm.objects.select_for_update().get(pk=term.pk, contract=contract)
    before = audit_values(term, TERM_FIELDS)
    topic, text = _term_input(
        topic=fields.get("topic", term.topic), text=fields.get("text", term.text)
    )
    term.topic, term.text = topic, text
    if "confidential" in fields:
        term.confidential = bool(fields["confidential"])
    full_clean_or_invalid(term, exclude=("contract",))
    term.save(update_fields=["topic", "text", "confidential"])
    audit_change(
        obj=term, actor=actor, action="update", changes=audit_diff(before, term), **_filed(contract)
    )
    return term


@transaction.atomic
def contract_term_remove(*, term: ContractTerm, actor) -> None:
    contract = _draft(term.contract, actor)
    term = ContractTerm.objects.select_for_update().get(pk=term.pk, contract=contract)
    audit_deleted(obj=term, actor=actor, fields=TERM_FIELDS + ("source",), **_filed(contract))
    term.delete()


def contract_sign(*, contract: Contract, actor, reason: str = "") -> Contract:
    """Mark the contract signed: its value, period, signing date and signed copy recorded. Open
    data hears of it once the transaction commits."""
    with transaction.atomic():
        signed = transition_run(instance=contract, name="sign", actor=actor, reason=reason)
        transaction.on_commit(lambda: contract_signed.send(sender=Contract, contract=signed))
    return signed
