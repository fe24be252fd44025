from django.urls import path

from . import views

app_name = "vendors"

urlpatterns = [
    path("", views.portal, name="portal"),
    path("register/", views.register, name="register"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("organizations/<uuid:public_id>/invitations/", views.member_invite, name="member_invite"),
    path("members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("members/<int:pk>/role/", views.member_role, name="member_role"),
    path("challenges/<str:reference>/start/", views.proposal_start, name="proposal_start"),
    path(
        "challenges/<str:reference>/proposals/",
        views.received_proposals,
        name="received_proposals",
    ),
    path("proposals/<uuid:public_id>/", views.proposal_edit, name="proposal"),
    path("proposals/<uuid:public_id>/technical/", views.proposal_technical, name="technical"),
    path("proposals/<uuid:public_id>/documents/", views.document_upload, name="document_upload"),
    path(
        "proposals/<uuid:public_id>/documents/<uuid:document_id>/remove/",
        views.document_remove,
        name="document_remove",
    ),
    path("proposals/<uuid:public_id>/submit/", views.proposal_submit, name="submit"),
    path("proposals/<uuid:public_id>/receipts/latest/", views.receipt, name="receipt_latest"),
    path(
        "proposals/<uuid:public_id>/receipts/latest/download/",
        views.receipt_download,
        name="receipt_latest_download",
    ),
    path("proposals/<uuid:public_id>/receipts/<int:number>/", views.receipt, name="receipt"),
    path(
        "proposals/<uuid:public_id>/receipts/<int:number>/download/",
        views.receipt_download,
        name="receipt_download",
    ),
    path("proposals/<uuid:public_id>/<str:name>/", views.proposal_step, name="step"),
    path("documents/<uuid:public_id>/", views.document_download, name="document_download"),
]
