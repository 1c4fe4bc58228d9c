"""Curation staff pages, included under /mart/staf/kurasi/ in the marketplace namespace."""

from django.urls import path

from marketplace.catalogue import curation_views

urlpatterns = [
    path("", curation_views.queue, name="curation_queue"),
    path("<int:pk>/setujui/", curation_views.approve, name="curation_approve"),
    path("<int:pk>/tolak/", curation_views.reject, name="curation_reject"),
    path("aturan/", curation_views.rules, name="curation_rules"),
    path("aturan/<int:pk>/", curation_views.rule_edit, name="curation_rule_edit"),
]
