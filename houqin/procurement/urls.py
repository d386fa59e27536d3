from django.urls import path

from houqin.procurement import views

app_name = "procurement"
urlpatterns = [
    path("requests/", views.RequestListView.as_view(), name="request_list"),
    path("requests/new/", views.RequestCreateView.as_view(), name="request_create"),
    path("approvals/", views.ApprovalQueueView.as_view(), name="approval_queue"),
    path("requests/<int:pk>/", views.RequestDetailView.as_view(), name="request_detail"),
    path("requests/<int:pk>/submit/", views.RequestSubmitView.as_view(), name="request_submit"),
    path("requests/<int:pk>/approve/", views.RequestApproveView.as_view(), name="request_approve"),
    path("requests/<int:pk>/reject/", views.RequestRejectView.as_view(), name="request_reject"),
    path("requests/<int:pk>/cancel/", views.RequestCancelView.as_view(), name="request_cancel"),
    path("requests/<int:pk>/quotes/", views.QuoteAddView.as_view(), name="quote_add"),
    path("requests/<int:pk>/procedure/", views.ProcedureView.as_view(), name="request_procedure"),
    path("requests/<int:pk>/award/", views.AwardView.as_view(), name="request_award"),
    path("requests/<int:pk>/contract/", views.ContractView.as_view(), name="request_contract"),
    path("requests/<int:pk>/supplements/", views.SupplementView.as_view(), name="request_supplement"),
    path("requests/<int:pk>/order/", views.RequestOrderView.as_view(), name="request_order"),
    path("requests/<int:pk>/acceptance/", views.AcceptanceCreateView.as_view(), name="acceptance_create"),
    path("quotes/<int:pk>/choose/", views.QuoteChooseView.as_view(), name="quote_choose"),
    path("acceptances/<int:pk>/slip/", views.AcceptanceSlipView.as_view(), name="acceptance_slip"),
    path("acceptances/<int:pk>/slip.pdf", views.AcceptanceSlipPdfView.as_view(), name="acceptance_slip_pdf"),
    path("suppliers/", views.SupplierListView.as_view(), name="supplier_list"),
    path("suppliers/new/", views.SupplierCreateView.as_view(), name="supplier_create"),
    path("suppliers/<int:pk>/", views.SupplierDetailView.as_view(), name="supplier_detail"),
    path("suppliers/<int:pk>/edit/", views.SupplierUpdateView.as_view(), name="supplier_update"),
    path("donations/", views.DonationListView.as_view(), name="donation_list"),
    path("donations/new/", views.DonationCreateView.as_view(), name="donation_create"),
    path("donations/<int:pk>/", views.DonationDetailView.as_view(), name="donation_detail"),
    path("donations/<int:pk>/use/", views.DonationUseView.as_view(), name="donation_use"),
    path("donations/<int:pk>/purpose/", views.DonationPurposeView.as_view(), name="donation_purpose"),
    path("spending/", views.SpendingView.as_view(), name="spending"),
    path("offbook/", views.OffBookRiskView.as_view(), name="offbook"),
]
