from django.urls import path

from houqin.safety.views import hazards, inspections

app_name = "safety"
urlpatterns = [
    path("hazards/", hazards.HazardListView.as_view(), name="hazard_list"),
    path("hazards/new/", hazards.HazardCreateView.as_view(), name="hazard_create"),
    path("hazards/stats/", hazards.HazardStatsView.as_view(), name="hazard_stats"),
    path("hazards/<int:pk>/", hazards.HazardDetailView.as_view(), name="hazard_detail"),
    path("hazards/<int:pk>/edit/", hazards.HazardUpdateView.as_view(), name="hazard_update"),
    path("hazards/<int:pk>/rectify/", hazards.hazard_rectify, name="hazard_rectify"),
    path("hazards/<int:pk>/verify/", hazards.hazard_verify, name="hazard_verify"),
    path("hazards/<int:pk>/supervise/", hazards.hazard_supervise, name="hazard_supervise"),
    path("hazards/<int:pk>/report/", hazards.hazard_report, name="hazard_report"),
    path("campaigns/", hazards.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", hazards.CampaignCreateView.as_view(), name="campaign_create"),
    path("campaigns/<int:pk>/", hazards.CampaignDetailView.as_view(), name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", hazards.CampaignUpdateView.as_view(), name="campaign_update"),
    path("checklists/", inspections.TemplateListView.as_view(), name="template_list"),
    path("checklists/new/", inspections.TemplateCreateView.as_view(), name="template_create"),
    path("checklists/defaults/", inspections.TemplatesInstallView.as_view(), name="template_defaults"),
    path("checklists/<int:pk>/", inspections.TemplateDetailView.as_view(), name="template_detail"),
    path("checklists/<int:pk>/edit/", inspections.TemplateUpdateView.as_view(), name="template_update"),
    path("round/", inspections.RoundView.as_view(), name="round"),
    path("inspections/", inspections.InspectionListView.as_view(), name="inspection_list"),
    path("inspections/new/", inspections.InspectionCreateView.as_view(), name="inspection_create"),
    path("inspections/<int:pk>/", inspections.InspectionDetailView.as_view(), name="inspection_detail"),
    path("inspections/<int:pk>/raise/", inspections.RaiseHazardView.as_view(), name="inspection_raise"),
]
