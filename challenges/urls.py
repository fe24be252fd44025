from django.urls import path

from . import (
    copy_views,
    follow_views,
    governance_views,
    input_views,
    partner_views,
    proposal_views,
    reach_views,
    theme_views,
    views,
)
from .documents import views as document_views

app_name = "challenges"

urlpatterns = [
    path("", views.board, name="board"),
    path("challenges/new/", views.challenge_create, name="create"),
    path("challenges/new/start-from/", copy_views.start_from, name="start_from"),
    path("challenges/<str:reference>/copy/", copy_views.copy_challenge, name="copy"),
    path("challenges/<str:reference>/", views.detail, name="detail"),
    path("challenges/<str:reference>/edit/", views.challenge_edit, name="edit"),
    path("challenges/<str:reference>/timeline/", views.challenge_timeline, name="timeline"),
    path(
        "challenges/<str:reference>/transition/<str:name>/",
        views.challenge_transition,
        name="transition",
    ),
    path(
        "challenges/<str:reference>/activities/new/",
        views.activity_add,
        name="activity_add",
    ),
    path("challenges/<str:reference>/reach/", reach_views.reach, name="reach"),
    path(
        "challenges/<str:reference>/reach/targets/",
        reach_views.reach_targets,
        name="reach_targets",
    ),
    path(
        "challenges/<str:reference>/reach/gap-reason/",
        reach_views.reach_gap_reason,
        name="reach_gap_reason",
    ),
    path(
        "challenges/<str:reference>/response-questions/",
        views.response_questions,
        name="response_questions",
    ),
    # What the data governance record proposes vendors answer (challenges.proposal_views).
    path(
        "challenges/<str:reference>/response-questions/proposed/<slug:key>/add/",
        proposal_views.accept,
        name="proposed_question_accept",
    ),
    path(
        "challenges/<str:reference>/response-questions/proposed/<slug:key>/edit/",
        proposal_views.edit_then_accept,
        name="proposed_question_edit",
    ),
    path(
        "challenges/<str:reference>/response-questions/proposed/<slug:key>/dismiss/",
        proposal_views.dismiss,
        name="proposed_question_dismiss",
    ),
    path(
        "challenges/<str:reference>/response-questions/proposed/<slug:key>/restore/",
        proposal_views.restore,
        name="proposed_question_restore",
    ),
    path(
        "challenges/<str:reference>/response-questions/<int:pk>/edit/",
        views.response_question_edit,
        name="response_question_edit",
    ),
    path(
        "challenges/<str:reference>/response-questions/<int:pk>/remove/",
        views.response_question_remove,
        name="response_question_remove",
    ),
    path(
        "challenges/<str:reference>/response-questions/<int:pk>/move/",
        views.response_question_move,
        name="response_question_move",
    ),
    path(
        "challenges/<str:reference>/data-governance/",
        governance_views.governance,
        name="governance",
    ),
    path(
        "challenges/<str:reference>/data-governance/history/",
        governance_views.governance_history,
        name="governance_history",
    ),
    path(
        "challenges/<str:reference>/data-governance/<str:kind>/new/",
        governance_views.governance_row_add,
        name="governance_row_add",
    ),
    path(
        "challenges/<str:reference>/data-governance/<str:kind>/<int:pk>/edit/",
        governance_views.governance_row_edit,
        name="governance_row_edit",
    ),
    path(
        "challenges/<str:reference>/data-governance/<str:kind>/<int:pk>/remove/",
        governance_views.governance_row_remove,
        name="governance_row_remove",
    ),
    path(
        "challenges/<str:reference>/data-governance/assets/<int:pk>/move/",
        governance_views.governance_asset_move,
        name="governance_asset_move",
    ),
    path("challenges/<str:reference>/input/", input_views.input_add, name="input_add"),
    path(
        "challenges/<str:reference>/input/<int:pk>/moderate/",
        views.input_moderate,
        name="input_moderate",
    ),
    path("challenges/<str:reference>/questions/", views.question_ask, name="question_ask"),
    path(
        "challenges/<str:reference>/questions/<int:pk>/answer/",
        views.question_answer,
        name="question_answer",
    ),
    path(
        "challenges/<str:reference>/questions/<int:pk>/dismiss/",
        views.question_dismiss,
        name="question_dismiss",
    ),
    path("challenges/<str:reference>/documents/", document_views.documents_page, name="documents"),
    path(
        "challenges/<str:reference>/documents/<uuid:public_id>/",
        document_views.document_download,
        name="document_download",
    ),
    path(
        "challenges/<str:reference>/documents/<uuid:public_id>/remove/",
        document_views.document_remove,
        name="document_remove",
    ),
    # Following a challenge (challenges.follow_views)
    path("challenges/<str:reference>/follow/", follow_views.follow, name="follow"),
    path("challenges/<str:reference>/unfollow/", follow_views.unfollow, name="unfollow"),
    path(
        "challenges/<str:reference>/follow/by-email/",
        follow_views.follow_by_email,
        name="follow_email",
    ),
    path("follow/confirm/<str:token>/", follow_views.follow_confirm, name="follow_confirm"),
    path(
        "follow/<int:pk>/unsubscribe/<str:token>/",
        follow_views.unfollow_link,
        name="unfollow_link",
    ),
    path("challenges/<str:reference>/addenda/new/", views.addendum_add, name="addendum_add"),
    path(
        "challenges/<str:reference>/addenda/<int:pk>/edit/",
        views.addendum_edit,
        name="addendum_edit",
    ),
    path(
        "challenges/<str:reference>/addenda/<int:pk>/delete/",
        views.addendum_delete,
        name="addendum_delete",
    ),
    path(
        "challenges/<str:reference>/addenda/<int:pk>/issue/",
        views.addendum_issue,
        name="addendum_issue",
    ),
    # "You said, we did" (challenges.theme_views).
    path("challenges/<str:reference>/themes/", theme_views.themes_page, name="themes"),
    path("challenges/<str:reference>/themes/new/", theme_views.theme_add, name="theme_add"),
    path(
        "challenges/<str:reference>/themes/<int:pk>/edit/",
        theme_views.theme_edit,
        name="theme_edit",
    ),
    path(
        "challenges/<str:reference>/themes/<int:pk>/delete/",
        theme_views.theme_delete,
        name="theme_delete",
    ),
    path(
        "challenges/<str:reference>/themes/<int:pk>/move/",
        theme_views.theme_move,
        name="theme_move",
    ),
    path(
        "challenges/<str:reference>/input/<int:pk>/theme/",
        theme_views.input_theme,
        name="input_theme",
    ),
    # Community partners and input gathered offline (challenges.partner_views).
    path(
        "challenges/<str:reference>/input/offline/",
        partner_views.offline_input,
        name="offline_input",
    ),
    path("challenges/<str:reference>/partners/", partner_views.partners, name="partners"),
    path(
        "challenges/<str:reference>/partners/<int:pk>/remove/",
        partner_views.partner_remove,
        name="partner_remove",
    ),
    path("partners/new/", partner_views.organization_add, name="organization_add"),
    path("partners/i-record-for/", partner_views.my_partnerships, name="my_partnerships"),
]
