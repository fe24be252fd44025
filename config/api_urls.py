from django.urls import re_path
from rest_framework.routers import DefaultRouter

from challenges import api as challenges_api
from challenges import follow_api as challenges_follow_api
from challenges.documents import api as challenge_documents_api
from challenges.governance_api import governance_urlpatterns
from challenges.partner_api import partner_urlpatterns
from challenges.reach_api import reach_urlpatterns
from challenges.theme_api import theme_urlpatterns
from evaluation import api as evaluation_api
from evaluation import governance_api as evaluation_governance_api
from opendata import api as opendata_api
from procurement import api as procurement_api
from procurement import api_contract
from vendors import api as vendors_api

router = DefaultRouter()
router.register("challenges", challenges_api.ChallengeViewSet, basename="challenge")
_child = r"challenges/(?P<challenge_reference>" + challenges_api.REFERENCE_PATTERN + ")"
router.register(
    _child + "/engagement-activities",
    challenges_api.EngagementActivityViewSet,
    basename="challenge-engagement-activity",
)
router.register(
    _child + "/community-input",
    challenges_api.CommunityInputListViewSet,
    basename="challenge-community-input",
)
router.register(
    _child + "/questions", challenges_api.QuestionListViewSet, basename="challenge-question"
)
router.register(
    _child + "/addenda", challenges_api.AddendumListViewSet, basename="challenge-addendum"
)
router.register(
    _child + "/response-questions",
    challenges_api.ResponseQuestionViewSet,
    basename="challenge-response-question",
)
router.register(
    _child + "/documents",
    challenge_documents_api.ChallengeDocumentViewSet,
    basename="challenge-document",
)
router.register("community-input", challenges_api.CommunityInputViewSet, basename="community-input")
router.register("questions", challenges_api.QuestionViewSet, basename="question")
router.register("addenda", challenges_api.AddendumViewSet, basename="addendum")

# Vendors and their sealed proposals
router.register(
    _child + "/proposals",
    vendors_api.ReceivedProposalViewSet,
    basename="challenge-received-proposal",
)
router.register("vendors", vendors_api.VendorViewSet, basename="vendor")
_vendor = r"vendors/(?P<vendor_id>" + vendors_api.UUID_PATTERN + ")"
router.register(_vendor + "/members", vendors_api.MemberViewSet, basename="vendor-member")
router.register(
    _vendor + "/invitations", vendors_api.InvitationViewSet, basename="vendor-invitation"
)
router.register(
    "invitations/accept", vendors_api.InvitationAcceptViewSet, basename="invitation-accept"
)
router.register("proposals", vendors_api.ProposalViewSet, basename="proposal")
_proposal = r"proposals/(?P<proposal_id>" + vendors_api.UUID_PATTERN + ")"
router.register(
    _proposal + "/documents", vendors_api.ProposalDocumentViewSet, basename="proposal-document"
)
router.register(
    _proposal + "/receipts", vendors_api.ProposalReceiptViewSet, basename="proposal-receipt"
)
router.register("documents", vendors_api.DocumentViewSet, basename="document")

# Evaluation: the plan per challenge, then the evaluation by its challenge's reference
router.register("evaluations", evaluation_api.EvaluationViewSet, basename="evaluation")
_evaluation = r"evaluations/(?P<challenge_reference>" + challenges_api.REFERENCE_PATTERN + ")"
router.register(_evaluation + "/panel", evaluation_api.PanelViewSet, basename="evaluation-panel")
router.register(
    _evaluation + "/proposals",
    evaluation_api.PanelProposalViewSet,
    basename="evaluation-proposal",
)
router.register(
    _evaluation + "/documents",
    evaluation_api.PanelDocumentViewSet,
    basename="evaluation-document",
)
router.register(
    _evaluation + "/screening", evaluation_api.ScreeningViewSet, basename="evaluation-screening"
)
router.register(_evaluation + "/scores", evaluation_api.ScoreViewSet, basename="evaluation-score")
router.register(
    _evaluation + "/consensus", evaluation_api.ConsensusViewSet, basename="evaluation-consensus"
)
router.register(_evaluation + "/prices", evaluation_api.PriceViewSet, basename="evaluation-price")
router.register(
    _evaluation + "/ranking", evaluation_api.RankingViewSet, basename="evaluation-ranking"
)
router.register("assignments", evaluation_api.AssignmentViewSet, basename="assignment")

# The award by its challenge's reference; open data (public)
router.register("awards", procurement_api.AwardViewSet, basename="award")
router.register("open-data", opendata_api.OpenDataViewSet, basename="open-data")
router.register("pilots", procurement_api.PilotViewSet, basename="pilot")
router.register("contracts", api_contract.ContractViewSet, basename="contract")

# Before the router's own patterns: its format suffixes would read ".csv" as a renderer.
urlpatterns = [
    re_path(
        "^" + _child + "/plan/$",
        evaluation_api.PlanViewSet.as_view(
            {"get": "retrieve", "put": "update", "patch": "partial_update"}
        ),
        name="challenge-plan",
    ),
    *governance_urlpatterns(_child),
    *reach_urlpatterns(_child),
    *theme_urlpatterns(_child),
    *partner_urlpatterns(_child),
    re_path(
        "^" + _child + "/follow/$",
        challenges_follow_api.FollowView.as_view(),
        name="challenge-follow",
    ),
    re_path(
        "^" + _child + "/follow/by-email/$",
        challenges_follow_api.FollowByEmailView.as_view(),
        name="challenge-follow-email",
    ),
    re_path(
        "^" + _child + "/plan/proposals/$",
        evaluation_governance_api.CriterionProposalsView.as_view(),
        name="challenge-plan-proposals",
    ),
    re_path(
        "^" + _child + "/plan/proposals/accept/$",
        evaluation_governance_api.CriterionProposalAcceptView.as_view(),
        name="challenge-plan-proposals-accept",
    ),
    re_path(
        "^" + _child + "/plan/proposals/dismiss/$",
        evaluation_governance_api.CriterionProposalDismissView.as_view(),
        name="challenge-plan-proposals-dismiss",
    ),
    re_path(
        "^" + _child + "/plan/proposals/restore/$",
        evaluation_governance_api.CriterionProposalRestoreView.as_view(),
        name="challenge-plan-proposals-restore",
    ),
    re_path(
        "^" + _evaluation + r"/ranking\.csv$",
        evaluation_api.RankingCsvView.as_view(),
        name="evaluation-ranking-csv",
    ),
    *router.urls,
]
