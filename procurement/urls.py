from django.urls import path

from . import views
from .views import award as award_views
from .views import contract, outcomes, pilot
from .views import dashboard as dashboard_views

app_name = "procurement"

urlpatterns = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
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
        "challenges/<str:reference>/award/debriefs/<int:pk>/schedule/",
        award_views.debrief_schedule,
        name="debrief_schedule",
    ),
    path(
        "challenges/<str:reference>/award/debriefs/<int:pk>/held/",
        award_views.debrief_held,
        name="debrief_held",
    ),
    path(
        "challenges/<str:reference>/award/end-without-award/",
        award_views.award_end_without,
        name="award_end_without",
    ),
    path(
        "challenges/<str:reference>/award/<str:name>/",
        award_views.award_step,
        name="award_step",
    ),
    path("challenges/<str:reference>/pilot/", pilot.pilot, name="pilot"),
    path(
        "challenges/<str:reference>/pilot/indicators/<int:indicator_id>/measurements/",
        pilot.measurement_record,
        name="measurement_record",
    ),
    path("challenges/<str:reference>/pilot/plan/", pilot.pilot_plan, name="pilot_plan"),
    path(
        "challenges/<str:reference>/pilot/milestones/<int:milestone_id>/due/",
        pilot.milestone_reschedule,
        name="milestone_reschedule",
    ),
    path(
        "challenges/<str:reference>/pilot/milestones/",
        pilot.milestone_add,
        name="milestone_add",
    ),
    path(
        "challenges/<str:reference>/pilot/milestones/<int:milestone_id>/done/",
        pilot.milestone_mark_done,
        name="milestone_mark_done",
    ),
    path(
        "challenges/<str:reference>/pilot/indicators/",
        pilot.indicator_add,
        name="indicator_add",
    ),
    path("challenges/<str:reference>/pilot/<str:name>/", pilot.pilot_step, name="pilot_step"),
    path("challenges/<str:reference>/outcomes/", outcomes.outcomes, name="outcomes"),
    path("challenges/<str:reference>/contract/", contract.contract, name="contract"),
    path(
        "challenges/<str:reference>/contract/create/",
        contract.contract_create,
        name="contract_create",
    ),
    path(
        "challenges/<str:reference>/contract/details/",
        contract.contract_update,
        name="contract_update",
    ),
    path("challenges/<str:reference>/contract/terms/", contract.term_add, name="contract_term_add"),
    path(
        "challenges/<str:reference>/contract/terms/<int:term_id>/",
        contract.term_change,
        name="contract_term_change",
    ),
    path(
        "challenges/<str:reference>/contract/terms/<int:term_id>/remove/",
        contract.term_remove,
        name="contract_term_remove",
    ),
    path("challenges/<str:reference>/contract/sign/", contract.contract_sign, name="contract_sign"),
]
