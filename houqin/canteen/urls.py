from django.urls import path

from houqin.canteen import views

app_name = "canteen"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("samples/", views.SampleListView.as_view(), name="sample_list"),
    path("samples/new/", views.SampleCreateView.as_view(), name="sample_create"),
    path("samples/<int:pk>/discard/", views.SampleDiscardView.as_view(), name="sample_discard"),
    path("accompanied/", views.AccompaniedListView.as_view(), name="accompanied_list"),
    path("accompanied/new/", views.AccompaniedCreateView.as_view(), name="accompanied_create"),
    path("menus/", views.MenuListView.as_view(), name="menu_list"),
    path("menus/new/", views.MenuCreateView.as_view(), name="menu_create"),
    path("menus/<int:pk>/", views.MenuDetailView.as_view(), name="menu_detail"),
    path("menus/<int:pk>/dishes/", views.MenuDishAddView.as_view(), name="menu_dish_add"),
    path("menus/<int:pk>/publish/", views.MenuPublishView.as_view(), name="menu_publish"),
    path("feedback/", views.FeedbackListView.as_view(), name="feedback_list"),
    path("feedback/<int:pk>/reply/", views.FeedbackReplyView.as_view(), name="feedback_reply"),
    path("staff/", views.StaffHealthView.as_view(), name="staff_health"),
    path("staff/checks/new/", views.CheckCreateView.as_view(), name="check_create"),
    path("staff/certificates/new/", views.CertificateCreateView.as_view(), name="certificate_create"),
    path("disinfection/new/", views.DisinfectionCreateView.as_view(), name="disinfection_create"),
    path("deliveries/", views.DeliveryListView.as_view(), name="delivery_list"),
    path("disinfection/", views.DisinfectionListView.as_view(), name="disinfection_list"),
    path("ledger/", views.LedgerListView.as_view(), name="ledger_list"),
    path("public/<str:token>/", views.PublicMenuView.as_view(), name="public_menu"),
]
