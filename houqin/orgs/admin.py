from django.contrib import admin

from houqin.orgs.models import Department, District, Person, Place, School, SchoolClass, Semester, Student, Tenant


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "kind", "is_boarding"]
    list_filter = ["district", "kind"]


@admin.register(Semester)
class SemesterAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "starts_on", "ends_on"]


class SchoolOwnedAdmin(admin.ModelAdmin):
    list_filter = ["school"]
    search_fields = ["name", "search_text"]


@admin.register(Department)
class DepartmentAdmin(SchoolOwnedAdmin):
    list_display = ["name", "school", "is_active"]


@admin.register(Place)
class PlaceAdmin(SchoolOwnedAdmin):
    list_display = ["full_name", "school", "kind", "use"]
    readonly_fields = ["full_name"]


@admin.register(Person)
class PersonAdmin(SchoolOwnedAdmin):
    list_display = ["name", "school", "department", "kind", "is_active"]


@admin.register(SchoolClass)
class SchoolClassAdmin(SchoolOwnedAdmin):
    list_display = ["name", "school", "grade", "head_teacher"]


@admin.register(Student)
class StudentAdmin(SchoolOwnedAdmin):
    list_display = ["name", "school", "school_class"]
    exclude = ["guardian_phone"]  # sensitive: not shown in the support site


@admin.register(Tenant)
class TenantAdmin(SchoolOwnedAdmin):
    list_display = ["name", "school", "kind", "is_active"]
