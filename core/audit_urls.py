from django.urls import path

from . import audit_views

app_name = "audit"

urlpatterns = [
    path("head/", audit_views.audit_head, name="head"),
    path("head.json", audit_views.audit_head_json, name="head_json"),
    path("head.atom", audit_views.AuditHeadFeed(), name="head_feed"),
]
