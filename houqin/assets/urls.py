from django.urls import path

from houqin.assets import views

app_name = "assets"
urlpatterns = [
    path("", views.AssetListView.as_view(), name="asset_list"),
    path("new/", views.AssetCreateView.as_view(), name="asset_create"),
    path("mine/", views.MyAssetsView.as_view(), name="my_assets"),
    path("import/", views.AssetImportView.as_view(), name="asset_import"),
    path("labels/", views.AssetLabelsView.as_view(), name="asset_labels"),
    path("scan/<int:school_id>/<path:asset_no>/", views.AssetScanView.as_view(), name="asset_scan"),
    path("<int:pk>/", views.AssetDetailView.as_view(), name="asset_detail"),
    path("<int:pk>/edit/", views.AssetUpdateView.as_view(), name="asset_update"),
    path("<int:pk>/status/", views.AssetStatusView.as_view(), name="asset_status"),
    path("<int:pk>/transfer/", views.TransferCreateView.as_view(), name="transfer_create"),
    path("<int:pk>/lend/", views.LoanCreateView.as_view(), name="loan_create"),
    path("<int:pk>/dispose/", views.DisposalCreateView.as_view(), name="disposal_create"),
    path("transfers/batch/", views.BatchTransferView.as_view(), name="transfer_batch"),
    path("transfers/", views.TransferListView.as_view(), name="transfer_list"),
    path("transfers/<int:pk>/", views.TransferDetailView.as_view(), name="transfer_detail"),
    path("transfers/<int:pk>/approve/", views.TransferApproveView.as_view(), name="transfer_approve"),
    path("transfers/<int:pk>/reject/", views.TransferRejectView.as_view(), name="transfer_reject"),
    path("transfers/<int:pk>/cancel/", views.TransferCancelView.as_view(), name="transfer_cancel"),
    path("transfers/<int:pk>/sign/", views.HandoverSignView.as_view(), name="handover_sign"),
    path("loans/", views.LoanListView.as_view(), name="loan_list"),
    path("loans/<int:pk>/return/", views.LoanReturnView.as_view(), name="loan_return"),
    path("disposals/", views.DisposalListView.as_view(), name="disposal_list"),
    path("disposals/<int:pk>/", views.DisposalDetailView.as_view(), name="disposal_detail"),
    path("disposals/<int:pk>/approve/", views.DisposalApproveView.as_view(), name="disposal_approve"),
    path("disposals/<int:pk>/reject/", views.DisposalRejectView.as_view(), name="disposal_reject"),
    path("stocktakes/", views.StocktakeListView.as_view(), name="stocktake_list"),
    path("stocktakes/new/", views.StocktakeCreateView.as_view(), name="stocktake_create"),
    path("stocktakes/<int:pk>/", views.StocktakeDetailView.as_view(), name="stocktake_detail"),
    path("stocktakes/<int:pk>/scan/", views.StocktakeScanView.as_view(), name="stocktake_scan"),
    path("stocktakes/<int:pk>/report.pdf", views.StocktakeReportView.as_view(), {"fmt": "pdf"}, name="stocktake_pdf"),
    path(
        "stocktakes/<int:pk>/report.xlsx", views.StocktakeReportView.as_view(), {"fmt": "xlsx"}, name="stocktake_xlsx"
    ),
    path("stocktakes/<int:pk>/found/", views.StocktakeFoundView.as_view(), name="stocktake_found"),
    path("stocktakes/<int:pk>/close/", views.StocktakeCloseView.as_view(), name="stocktake_close"),
    path("stocktakes/<int:pk>/approve/", views.StocktakeApproveView.as_view(), name="stocktake_approve"),
    path("stocktakes/lines/<int:pk>/cause/", views.StocktakeCauseView.as_view(), name="stocktake_cause"),
    path("depreciation/", views.DepreciationView.as_view(), name="depreciation"),
    path("report/", views.AnnualReportView.as_view(), name="annual_report"),
]
