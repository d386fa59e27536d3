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
]
