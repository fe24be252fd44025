from django.urls import path

from . import views
from .views import award as award_views

app_name = "procurement"

urlpatterns = [
    path(
        "challenges/<str:reference>/history/",
        views.challenge_history,
        name="challenge_history",
    ),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/preferences/", views.preferences, name="preferences"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("challenges/<str:reference>/award/", award_views.award, name="award"),
    path(
        "challenges/<str:reference>/award/recommend/",
        award_views.award_recommend,
        name="award_recommend",
    ),
    path(
        "challenges/<str:reference>/award/result/",
        award_views.result_letter,
        name="result_letter",
    ),
    path(
        "challenges/<str:reference>/award/debrief/",
        award_views.debrief_request,
        name="debrief_request",
    ),
    path(
        "challenges/<str:reference>/award/<str:name>/",
        award_views.award_step,
        name="award_step",
    ),
]
