from django.urls import path

from houqin.stock import views

app_name = "stock"
urlpatterns = [
    path("items/", views.ItemListView.as_view(), name="item_list"),
    path("items/new/", views.ItemCreateView.as_view(), name="item_create"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("items/<int:pk>/edit/", views.ItemUpdateView.as_view(), name="item_update"),
    path("items/<int:pk>/receive/", views.ItemReceiveView.as_view(), name="item_receive"),
    path("items/<int:pk>/adjust/", views.ItemAdjustView.as_view(), name="item_adjust"),
    path("movements/", views.MovementListView.as_view(), name="movement_list"),
    path("counts/", views.CountListView.as_view(), name="count_list"),
    path("counts/new/", views.CountCreateView.as_view(), name="count_create"),
    path("counts/<int:pk>/", views.CountDetailView.as_view(), name="count_detail"),
    path("counts/<int:pk>/record/", views.CountRecordView.as_view(), name="count_record"),
    path("counts/<int:pk>/close/", views.CountCloseView.as_view(), name="count_close"),
    path("movements/<int:pk>/reverse/", views.MovementReverseView.as_view(), name="movement_reverse"),
    path("requisitions/", views.RequisitionListView.as_view(), name="requisition_list"),
    path("requisitions/new/", views.RequisitionCreateView.as_view(), name="requisition_create"),
    path("requisitions/batch/", views.BatchIssueView.as_view(), name="batch_issue"),
    path("requisitions/<int:pk>/", views.RequisitionDetailView.as_view(), name="requisition_detail"),
    path("requisitions/<int:pk>/approve/", views.RequisitionApproveView.as_view(), name="requisition_approve"),
    path("requisitions/<int:pk>/reject/", views.RequisitionRejectView.as_view(), name="requisition_reject"),
    path("requisitions/<int:pk>/issue/", views.RequisitionIssueView.as_view(), name="requisition_issue"),
    path("requisitions/<int:pk>/receive/", views.RequisitionReceiveView.as_view(), name="requisition_receive"),
    path("requisitions/<int:pk>/cancel/", views.RequisitionCancelView.as_view(), name="requisition_cancel"),
]
