from django.urls import path

from houqin.safety import views

app_name = "safety"
urlpatterns = [
    path("hazards/", views.HazardListView.as_view(), name="hazard_list"),
    path("hazards/new/", views.HazardCreateView.as_view(), name="hazard_create"),
    path("hazards/stats/", views.HazardStatsView.as_view(), name="hazard_stats"),
    path("hazards/<int:pk>/", views.HazardDetailView.as_view(), name="hazard_detail"),
    path("hazards/<int:pk>/edit/", views.HazardUpdateView.as_view(), name="hazard_update"),
    path("hazards/<int:pk>/rectify/", views.hazard_rectify, name="hazard_rectify"),
    path("hazards/<int:pk>/verify/", views.hazard_verify, name="hazard_verify"),
    path("hazards/<int:pk>/supervise/", views.hazard_supervise, name="hazard_supervise"),
    path("hazards/<int:pk>/report/", views.hazard_report, name="hazard_report"),
    path("campaigns/", views.CampaignListView.as_view(), name="campaign_list"),
    path("campaigns/new/", views.CampaignCreateView.as_view(), name="campaign_create"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.CampaignUpdateView.as_view(), name="campaign_update"),
    path("checklists/", views.TemplateListView.as_view(), name="template_list"),
    path("checklists/new/", views.TemplateCreateView.as_view(), name="template_create"),
    path("checklists/defaults/", views.TemplatesInstallView.as_view(), name="template_defaults"),
    path("checklists/<int:pk>/", views.TemplateDetailView.as_view(), name="template_detail"),
    path("checklists/<int:pk>/edit/", views.TemplateUpdateView.as_view(), name="template_update"),
    path("round/", views.RoundView.as_view(), name="round"),
    path("inspections/", views.InspectionListView.as_view(), name="inspection_list"),
    path("inspections/new/", views.InspectionCreateView.as_view(), name="inspection_create"),
    path("inspections/<int:pk>/", views.InspectionDetailView.as_view(), name="inspection_detail"),
    path("inspections/<int:pk>/raise/", views.RaiseHazardView.as_view(), name="inspection_raise"),
]
