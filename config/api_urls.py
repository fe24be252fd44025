from rest_framework.routers import DefaultRouter

from challenges import api as challenges_api

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
router.register("community-input", challenges_api.CommunityInputViewSet, basename="community-input")
router.register("questions", challenges_api.QuestionViewSet, basename="question")
router.register("addenda", challenges_api.AddendumViewSet, basename="addendum")

urlpatterns = router.urls
