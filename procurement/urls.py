from django.urls import path

from . import views

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
]
