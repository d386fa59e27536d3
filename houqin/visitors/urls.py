from django.urls import path

from houqin.visitors import views

app_name = "visitors"
urlpatterns = [
    path("", views.GateView.as_view(), name="gate"),
    path("visits/", views.VisitListView.as_view(), name="visit_list"),
    path("visits/new/", views.VisitCreateView.as_view(), name="visit_create"),
    path("visits/<int:pk>/", views.VisitDetailView.as_view(), name="visit_detail"),
    path("visits/<int:pk>/leave/", views.VisitLeaveView.as_view(), name="visit_leave"),
    path("visits/<int:pk>/flag/", views.VisitFlagView.as_view(), name="visit_flag"),
    path("blacklist/", views.BlacklistView.as_view(), name="blacklist"),
    path("blacklist/new/", views.BlacklistCreateView.as_view(), name="blacklist_create"),
    path("blacklist/<int:pk>/edit/", views.BlacklistUpdateView.as_view(), name="blacklist_update"),
    path("outings/", views.OutingListView.as_view(), name="outing_list"),
    path("outings/new/", views.OutingCreateView.as_view(), name="outing_create"),
    path("outings/<int:pk>/back/", views.OutingBackView.as_view(), name="outing_back"),
    path("passes/", views.GatePassListView.as_view(), name="gatepass_list"),
    path("passes/new/", views.GatePassCreateView.as_view(), name="gatepass_create"),
    path("passes/<int:pk>/", views.GatePassDetailView.as_view(), name="gatepass_detail"),
    path("passes/<int:pk>/decide/", views.GatePassDecideView.as_view(), name="gatepass_decide"),
    path("passes/<int:pk>/out/", views.GatePassOutView.as_view(), name="gatepass_out"),
    path("passes/<int:pk>/back/", views.GatePassBackView.as_view(), name="gatepass_back"),
    path("vehicles/", views.VehicleListView.as_view(), name="vehicle_list"),
    path("vehicles/new/", views.VehicleCreateView.as_view(), name="vehicle_create"),
    path("vehicles/<int:pk>/decide/", views.VehicleDecideView.as_view(), name="vehicle_decide"),
    path("vehicles/<int:pk>/in/", views.VehicleInView.as_view(), name="vehicle_in"),
    path("vehicles/<int:pk>/out/", views.VehicleOutView.as_view(), name="vehicle_out"),
]
