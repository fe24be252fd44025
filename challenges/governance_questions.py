"""The response questions a data governance record proposes (docs/data-governance.md).

Pure: given the record's facts, which questions about data handling every vendor should answer.
Nothing here writes; the owner accepts (as is, or edited) or dismisses each proposal
(challenges.governance_proposals), so nothing is added to the statement silently.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

QUESTION_PREFIX = "question:"


@dataclass(frozen=True)
class RecordFacts:
    """What the proposals depend on, read once from the record, its assets and sharings."""

    has_assets: bool = False
    personal: bool = False
    location_or_devices: bool = False
    shares_data: bool = False
    storage_location: str = ""
    storage_location_label: str = ""
    automated_decisions: bool = False
    impact_level: int | None = None
    accessibility_standard: str = ""
    accessibility_label: str = ""
    exit_data_return: bool = False
    exit_formats: str = ""
    open_datasets: tuple[tuple[str, str], ...] = field(default_factory=tuple)  # (name, format)
    open_standards: str = ""


def record_facts(record) -> RecordFacts:
    """The facts of a record; its assets and sharings are read once (prefetch them for lists)."""
    assets = list(record.assets.all())
    return RecordFacts(
        has_assets=bool(assets),
        personal=any(asset.is_personal for asset in assets),
        location_or_devices=any(asset.about_residents_location_or_devices for asset in assets),
        shares_data=bool(list(record.sharings.all())),
        storage_location=record.storage_location,
        storage_location_label=record.get_storage_location_display()
        if record.storage_location
        else "",
        automated_decisions=record.automated_decisions,
        impact_level=record.impact_level,
        accessibility_standard=record.accessibility_standard,
        accessibility_label=record.get_accessibility_standard_display()
        if record.accessibility_standard
        else "",
        exit_data_return=record.exit_data_return,
        exit_formats=record.exit_formats,
        open_datasets=tuple((asset.name, asset.open_format) for asset in assets if asset.open_data),
        open_standards=record.open_standards,
    )


@dataclass(frozen=True)
class QuestionProposal:
    key: str  # stable: stored as the accepted question's governance_key
    prompt: str
    guidance: str
    reason: str  # why the record proposes it, shown to the owner

    @property
    def dismissal_key(self) -> str:
        return QUESTION_PREFIX + self.key


HIGH_IMPACT = 3  # levels III and IV bring human review before a decision takes effect


def question_proposals(facts: RecordFacts) -> list[QuestionProposal]:
    """Every question the record's facts call for, in the order vendors would read them."""
    proposals: list[QuestionProposal] = []
    if facts.has_assets:
        requirement = (
            _("The municipality requires the data to be stored: %(where)s.")
            % {"where": facts.storage_location_label}
            if facts.storage_location_label
            else ""
        )
        proposals.append(
            QuestionProposal(
                key="data_location",
                prompt=_("Where will the municipality's data be stored and processed?"),
                guidance=" ".join(
                    part
                    for part in (
                        _(
                            "Name the countries and the data centres or cloud regions where the "
                            "data is stored, processed and backed up, including access by support "
                            "staff from elsewhere."
                        ),
                        requirement,
                    )
                    if part
                ),
                reason=_("The solution touches data listed in the data governance record."),
            )
        )
    if facts.personal or facts.shares_data:
        proposals.append(
            QuestionProposal(
                key="sub_processors",
                prompt=_("Which sub-processors will handle the data, and for what?"),
                guidance=_(
                    "List every company that will store, process or access the data on your "
                    "behalf, with its country and its role, and how you bind it to the same terms."
                ),
                reason=_("The record lists personal information or data shared with others."),
            )
        )
    if facts.personal:
        proposals.append(
            QuestionProposal(
                key="security_certifications",
                prompt=_("Which security certifications or audits cover your service?"),
                guidance=_(
                    "For example ISO/IEC 27001 or a SOC 2 Type II report: give the scope, the "
                    "auditor and the date of the latest certificate or report."
                ),
                reason=_("The record lists personal information."),
            )
        )
    if facts.location_or_devices:
        proposals.append(
            QuestionProposal(
                key="location_device_data",
                prompt=_("How will you handle location and device data about residents?"),
                guidance=_(
                    "Say what you collect, how precisely, how you de-identify or aggregate it, "
                    "how long you keep it, and that you will not use it for any other purpose."
                ),
                reason=_("The record lists location or device data about residents."),
            )
        )
    if facts.automated_decisions:
        high = facts.impact_level is not None and facts.impact_level >= HIGH_IMPACT
        proposals.append(
            QuestionProposal(
                key="automated_decisions",
                prompt=_(
                    "How will residents get an explanation of each automated decision, and how "
                    "will a person review it before it takes effect?"
                )
                if high
                else _(
                    "How will the solution explain the automated decisions it makes or supports, "
                    "and how can a person review them?"
                ),
                guidance=_(
                    "Describe the explanation a resident receives, who reviews decisions and "
                    "when, how a resident contests one, and how you test the model for bias."
                )
                if high
                else _(
                    "Describe how a decision is explained in plain language, how staff can check "
                    "or override it, and how you monitor its quality."
                ),
                reason=_("The record says the solution makes or supports automated decisions.")
                if facts.impact_level is None
                else _(
                    "The record says the solution makes or supports automated decisions "
                    "(impact level %(level)s)."
                )
                % {"level": facts.impact_level},
            )
        )
    if facts.accessibility_standard and facts.accessibility_standard != "not_applicable":
        proposals.append(
            QuestionProposal(
                key="accessibility",
                prompt=_("How does your solution conform to %(standard)s?")
                % {"standard": facts.accessibility_label},
                guidance=_(
                    "Attach or summarize a conformance report, list any known gaps and the dates "
                    "by which you will fix them."
                ),
                reason=_("The record requires an accessibility standard."),
            )
        )
    if facts.open_datasets:
        datasets = "; ".join(
            f"{name} ({fmt})" if fmt else name for name, fmt in facts.open_datasets
        )
        proposals.append(
            QuestionProposal(
                key="open_data_deliverables",
                prompt=_("In which open formats will you deliver the datasets to be published?"),
                guidance=_(
                    "The municipality will publish these datasets as open data: %(datasets)s. "
                    "Say how and how often you will deliver them, with their documentation."
                )
                % {"datasets": datasets},
                reason=_("The record lists datasets to be published as open data."),
            )
        )
    proposals.append(
        QuestionProposal(
            key="exit_data_return",
            prompt=_("How will you return the municipality's data at the end of the contract?"),
            guidance=" ".join(
                part
                for part in (
                    _(
                        "Say in which open formats, how soon, how you prove the copies you held "
                        "are deleted, and what help you give a successor."
                    ),
                    _("The record asks for: %(formats)s.") % {"formats": facts.exit_formats}
                    if facts.exit_formats
                    else "",
                )
                if part
            ),
            reason=_("Every purchase plans how the city leaves with its data."),
        )
    )
    return proposals


def offered(proposals, *, accepted_keys, dismissed_keys) -> list:
    """The proposals still to decide: not accepted (a row carries its key) nor dismissed."""
    return [
        proposal
        for proposal in proposals
        if proposal.key not in accepted_keys and proposal.dismissal_key not in dismissed_keys
    ]
