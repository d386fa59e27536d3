from django.urls import path

from houqin.orgs import views

app_name = "orgs"


def pages(segment: str, prefix: str, list_view, detail, create, update, import_view=None) -> list:
    """The list, detail, create and edit pages (and the import page) of one entity."""
    patterns = [
        path(f"{segment}/", list_view.as_view(), name=f"{prefix}_list"),
        path(f"{segment}/new/", create.as_view(), name=f"{prefix}_create"),
        path(f"{segment}/<int:pk>/", detail.as_view(), name=f"{prefix}_detail"),
        path(f"{segment}/<int:pk>/edit/", update.as_view(), name=f"{prefix}_update"),
    ]
    if import_view is not None:
        patterns.append(path(f"{segment}/import/", import_view.as_view(), name=f"{prefix}_import"))
    return patterns


urlpatterns = [
    *pages(
        "departments",
        "department",
        views.DepartmentListView,
        views.DepartmentDetailView,
        views.DepartmentCreateView,
        views.DepartmentUpdateView,
    ),
    *pages(
        "places",
        "place",
        views.PlaceListView,
        views.PlaceDetailView,
        views.PlaceCreateView,
        views.PlaceUpdateView,
        views.PlaceImportView,
    ),
    *pages(
        "people",
        "person",
        views.PersonListView,
        views.PersonDetailView,
        views.PersonCreateView,
        views.PersonUpdateView,
        views.PersonImportView,
    ),
    *pages(
        "classes",
        "class",
        views.SchoolClassListView,
        views.SchoolClassDetailView,
        views.SchoolClassCreateView,
        views.SchoolClassUpdateView,
        views.SchoolClassImportView,
    ),
    *pages(
        "students",
        "student",
        views.StudentListView,
        views.StudentDetailView,
        views.StudentCreateView,
        views.StudentUpdateView,
        views.StudentImportView,
    ),
    *pages(
        "tenants",
        "tenant",
        views.TenantListView,
        views.TenantDetailView,
        views.TenantCreateView,
        views.TenantUpdateView,
    ),
    path("semesters/", views.SemesterListView.as_view(), name="semester_list"),
    path("semesters/new/", views.SemesterCreateView.as_view(), name="semester_create"),
    path("settings/", views.policy_list, name="policy_list"),
]
