from django.urls import path

from houqin.health import views

app_name = "health"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("check/", views.CheckFormView.as_view(), name="check_form"),
    path("checks/", views.CheckListView.as_view(), name="check_list"),
    path("checks/<int:pk>/", views.CheckDetailView.as_view(), name="check_detail"),
    path("absences/", views.AbsenceListView.as_view(), name="absence_list"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<int:pk>/follow-up/", views.CaseFollowUpView.as_view(), name="case_follow_up"),
    path("cases/<int:pk>/return/", views.CaseReturnView.as_view(), name="case_return"),
    path("alerts/", views.AlertListView.as_view(), name="alert_list"),
    path("alerts/<int:pk>/report/", views.AlertReportView.as_view(), name="alert_report"),
    path("daily-report/", views.DailyReportView.as_view(), name="daily_report"),
    path("stats/", views.StatsView.as_view(), name="stats"),
    path("observation/", views.ObservationListView.as_view(), name="observation_list"),
    path("observation/new/", views.ObservationCreateView.as_view(), name="observation_create"),
    path("observation/<int:pk>/close/", views.ObservationCloseView.as_view(), name="observation_close"),
    path("training/", views.TrainingView.as_view(), name="training"),
    path("staffing/", views.StaffingView.as_view(), name="staffing"),
    path("disinfection/", views.DisinfectionView.as_view(), name="disinfection"),
    path("disinfection/schedules/new/", views.ScheduleCreateView.as_view(), name="schedule_create"),
    path("disinfection/records/new/", views.RecordCreateView.as_view(), name="record_create"),
]
