from django.urls import path

from houqin.transport import views

app_name = "transport"
urlpatterns = [
    path("", views.TripListView.as_view(), name="trip_list"),
    path("trips/new/", views.TripCreateView.as_view(), name="trip_create"),
    path("trips/<int:pk>/", views.TripDetailView.as_view(), name="trip_detail"),
    path("trips/<int:pk>/depart/", views.TripDepartView.as_view(), name="trip_depart"),
    path("trips/<int:pk>/record/", views.TripRecordView.as_view(), name="trip_record"),
    path("trips/<int:pk>/close/", views.TripCloseView.as_view(), name="trip_close"),
    path("trips/<int:pk>/conditions/", views.TripConditionsView.as_view(), name="trip_conditions"),
    path("trips/<int:pk>/telemetry/", views.TelemetryImportView.as_view(), name="trip_telemetry"),
    path("trips/<int:pk>/speeding/review/", views.SpeedingReviewView.as_view(), name="trip_speeding_review"),
    path("routes/", views.RouteListView.as_view(), name="route_list"),
    path("routes/new/", views.RouteCreateView.as_view(), name="route_create"),
    path("routes/<int:pk>/", views.RouteDetailView.as_view(), name="route_detail"),
    path("routes/<int:pk>/stops/", views.StopAddView.as_view(), name="stop_add"),
    path("routes/<int:pk>/riders/", views.RiderAddView.as_view(), name="rider_add"),
    path("riders/", views.RiderListView.as_view(), name="rider_list"),
    path("vehicles/", views.VehicleListView.as_view(), name="vehicle_list"),
    path("vehicles/new/", views.VehicleCreateView.as_view(), name="vehicle_create"),
    path("vehicles/<int:pk>/edit/", views.VehicleUpdateView.as_view(), name="vehicle_update"),
    path("drivers/", views.DriverListView.as_view(), name="driver_list"),
    path("drivers/new/", views.DriverCreateView.as_view(), name="driver_create"),
    path("drivers/<int:pk>/edit/", views.DriverUpdateView.as_view(), name="driver_update"),
    path("waiting/", views.WaitingListView.as_view(), name="waiting_list"),
    path("waiting/<int:pk>/", views.WaitingDetailView.as_view(), name="waiting_detail"),
    path("waiting/<int:pk>/sign-off/", views.WaitingSignOffView.as_view(), name="waiting_sign_off"),
    path("drills/", views.DrillListView.as_view(), name="drill_list"),
    path("drills/new/", views.DrillCreateView.as_view(), name="drill_create"),
]
