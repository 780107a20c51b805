"""Every URL of the site (tests/web/test_access.py walks this list for each role)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from scorecard.web import views_public as public
from scorecard.web import views_workbench as bench

PUBLICATION = "forces/<slug:force_id>/<slug:kind>/<slug:slug>/v<int:version>/"

urlpatterns = [
    path("", public.index, name="index"),
    path("assets/govuk-frontend.min.css", public.stylesheet, name="stylesheet"),
    path("assets/<str:name>", public.asset, name="asset"),
    path("measures/<slug:measure_id>/", public.national_measure, name="national_measure"),
    path("forces/<slug:force_id>/", public.force_page, name="force"),
    path("forces/<slug:force_id>/measures/<slug:measure_id>/", public.measure, name="measure"),
    path("forces/<slug:force_id>/measures/<slug:measure_id>/chart.svg", public.measure_chart, name="measure_chart"),
    path(PUBLICATION, public.publication, name="publication"),
    path(PUBLICATION + "<path:name>", public.publication_file, name="publication_file"),
    path("workbench/login/", auth_views.LoginView.as_view(template_name="web/login.html",
                                                          redirect_authenticated_user=True), name="login"),
    path("workbench/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("workbench/", bench.home, name="workbench"),
    path("workbench/drafts/<int:draft_id>/", bench.draft_page, name="draft"),
    path("workbench/drafts/<int:draft_id>/save", bench.save, name="save"),
    path("workbench/drafts/<int:draft_id>/preview", bench.preview, name="preview"),
    path("workbench/drafts/<int:draft_id>/submit", bench.submit, name="submit"),
    path("workbench/drafts/<int:draft_id>/return", bench.return_draft, name="return"),
    path("workbench/drafts/<int:draft_id>/approve", bench.approve, name="approve"),
    path("workbench/audit/", bench.audit_log, name="audit"),
    path("workbench/loads/", bench.loads, name="loads"),
]
