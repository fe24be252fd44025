from django.urls import path

from . import views

app_name = "procurement"

urlpatterns = [
    path(
        "challenges/<str:reference>/history/",
        views.challenge_history,
        name="challenge_history",
    ),
]
