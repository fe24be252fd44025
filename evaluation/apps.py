from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self):
        from challenges.checks import register_publication_check, register_review_check
        from challenges.copying import register_copier
        from core.workflow import register_transition_effect
        from vendors.sealing import register_price_opening

        from . import (
            confirmations,  # noqa: F401  (registers the one-way steps)
            rules,  # noqa: F401  (permissions used by the transitions)
        )
        from .challenge_page import register_challenge_page
        from .copying import plan_copy
        from .selectors import price_readable
        from .services import (
            evaluation_start_on_challenge,
            plan_freeze_on_publication,
            plan_publication_problems,
            plan_record_approval,
            plan_review_problems,
        )
        from .steps import register_evaluation_steps

        # The plan is fixed from review on, so review needs it complete; publication checks again.
        register_review_check(plan_review_problems)
        # Its links and sections on the challenge page; in review, the plan the approver approves.
        register_challenge_page()
        register_evaluation_steps()
        # Publication needs a complete plan; publishing freezes it and opens the evaluation.
        register_publication_check(plan_publication_problems)
        # Approval records the plan's digest; publishing freezes it and opens the evaluation.
        register_transition_effect("challenges.Challenge", "approve", plan_record_approval)
        register_transition_effect("challenges.Challenge", "publish", plan_freeze_on_publication)
        # Starting the challenge's evaluation (closed → evaluating) starts screening.
        register_transition_effect(
            "challenges.Challenge", "start_evaluation", evaluation_start_on_challenge
        )
        # A challenge started from an earlier one starts from its plan too (unfrozen).
        register_copier("evaluation.plan", plan_copy)
        # Prices open to the owner and the chair once the evaluation has opened them.
        register_price_opening(price_readable)
