from django.urls import path

from houqin.security import views

app_name = "security"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("patrols/", views.PatrolHomeView.as_view(), name="patrols"),
    path("patrols/<int:pk>/", views.PatrolDetailView.as_view(), name="patrol_detail"),
    path("patrols/<int:pk>/tick/", views.PatrolTickView.as_view(), name="patrol_tick"),
    path("patrols/<int:pk>/finish/", views.PatrolFinishView.as_view(), name="patrol_finish"),
    path("routes/", views.RouteListView.as_view(), name="route_list"),
    path("routes/new/", views.RouteCreateView.as_view(), name="route_create"),
    path("routes/<int:pk>/", views.RouteDetailView.as_view(), name="route_detail"),
    path("routes/<int:pk>/start/", views.PatrolStartView.as_view(), name="patrol_start"),
    path("roster/", views.RosterView.as_view(), name="roster"),
    path("roster/new/", views.ShiftCreateView.as_view(), name="shift_create"),
    path("vetting/", views.VettingListView.as_view(), name="vetting_list"),
    path("vetting/new/", views.VettingCreateView.as_view(), name="vetting_create"),
    path("cameras/", views.CameraListView.as_view(), name="camera_list"),
    path("cameras/new/", views.CameraCreateView.as_view(), name="camera_create"),
    path("cameras/<int:pk>/", views.CameraDetailView.as_view(), name="camera_detail"),
    path("cameras/<int:pk>/fault/", views.CameraFaultView.as_view(), name="camera_fault"),
    path("cameras/<int:pk>/footage/", views.FootageCreateView.as_view(), name="footage_create"),
    path("footage/<int:pk>/decide/", views.FootageDecideView.as_view(), name="footage_decide"),
    path("fire/", views.FireView.as_view(), name="fire"),
    path("fire/patrols/new/", views.FirePatrolCreateView.as_view(), name="fire_patrol_create"),
    path("fire/inspections/new/", views.FireInspectionCreateView.as_view(), name="fire_inspection_create"),
    path("fire/inspections/<int:pk>/countersign/", views.FireCountersignView.as_view(), name="fire_countersign"),
    path("fire/tests/new/", views.FireTestCreateView.as_view(), name="fire_test_create"),
    path("equipment/", views.EquipmentView.as_view(), name="equipment"),
    path("equipment/new/", views.EquipmentCreateView.as_view(), name="equipment_create"),
    path("equipment/<int:pk>/check/", views.EquipmentCheckView.as_view(), name="equipment_check"),
]
