from django.urls import path

from . import views
from .views import governance as governance_views

app_name = "evaluation"

urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("<str:reference>/", views.overview, name="overview"),
    path("<str:reference>/step/<str:name>/", views.transition, name="transition"),
    # The plan.
    path("<str:reference>/plan/", views.plan, name="plan"),
    path("<str:reference>/plan/settings/", views.plan_settings, name="plan_settings"),
    path("<str:reference>/plan/criteria/", views.criterion_add, name="criterion_add"),
    path("<str:reference>/plan/criteria/<int:pk>/", views.criterion_edit, name="criterion_edit"),
    path(
        "<str:reference>/plan/criteria/<int:pk>/remove/",
        views.criterion_remove,
        name="criterion_remove",
    ),
    # Criteria the data governance record proposes (views/governance.py).
    path(
        "<str:reference>/plan/proposed/<slug:key>/add/",
        governance_views.accept,
        name="proposed_criterion_accept",
    ),
    path(
        "<str:reference>/plan/proposed/<slug:key>/edit/",
        governance_views.edit_then_accept,
        name="proposed_criterion_edit",
    ),
    path(
        "<str:reference>/plan/proposed/<slug:key>/dismiss/",
        governance_views.dismiss,
        name="proposed_criterion_dismiss",
    ),
    path(
        "<str:reference>/plan/proposed/<slug:key>/restore/",
        governance_views.restore,
        name="proposed_criterion_restore",
    ),
    # The panel, as the owner manages it.
    path("<str:reference>/panel/assign/", views.panel_assign, name="panel_assign"),
    path("<str:reference>/panel/<int:pk>/unassign/", views.panel_unassign, name="panel_unassign"),
    path("<str:reference>/panel/<int:pk>/chair/", views.panel_set_chair, name="panel_set_chair"),
    path(
        "<str:reference>/screening/<uuid:public_id>/",
        views.screening_record,
        name="screening_record",
    ),
    # The evaluator's workspace.
    path("<str:reference>/workspace/", views.workspace, name="workspace"),
    path("<str:reference>/declaration/", views.declare, name="declare"),
    path("<str:reference>/recuse/", views.recuse, name="recuse"),
    path("<str:reference>/proposals/<uuid:public_id>/", views.score, name="score"),
    path("<str:reference>/submit/", views.submit, name="submit"),
    path("<str:reference>/documents/<uuid:public_id>/", views.document, name="document"),
    # Consensus, prices and the ranking.
    path("<str:reference>/consensus/", views.consensus, name="consensus"),
    path(
        "<str:reference>/consensus/<int:proposal_id>/",
        views.consensus_record,
        name="consensus_record",
    ),
    path("<str:reference>/consensus/lock/", views.consensus_lock, name="consensus_lock"),
    path("<str:reference>/prices/", views.prices, name="prices"),
    path("<str:reference>/results/", views.results, name="results"),
    path("<str:reference>/results.csv", views.results_csv, name="results_csv"),
]
