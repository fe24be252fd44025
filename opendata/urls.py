from django.urls import path

from . import themes, views

app_name = "opendata"

urlpatterns = [
    path("open-data/", views.index, name="open_data"),
    path("open-data/challenges.csv", views.challenges_csv, name="open_data_csv"),
    path("open-data/outcomes.csv", views.outcomes_csv, name="open_data_outcomes_csv"),
    path(
        "open-data/data-governance.csv",
        views.data_governance_csv,
        name="open_data_governance_csv",
    ),
    path("open-data/you-said-we-did.csv", themes.themes_csv, name="open_data_themes_csv"),
    path(
        "open-data/extensions/<slug:name>/<str:filename>",
        views.ocds_extension,
        name="ocds_extension",
    ),
    path(
        "open-data/<str:reference>/releases.json",
        views.release_package,
        name="open_data_releases",
    ),
    path(
        "open-data/<str:reference>/record.json",
        views.record_package,
        name="open_data_record",
    ),
]
