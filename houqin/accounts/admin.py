from django.contrib import admin

from houqin.accounts.models import ApiToken, User, UserRole


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 0


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["username", "name", "school", "district", "is_active", "locked_until"]
    list_filter = ["is_active", "district"]
    search_fields = ["username", "name"]
    exclude = ["password", "groups", "user_permissions"]
    readonly_fields = ["last_login", "date_joined", "failed_login_count", "password_changed_at"]
    inlines = [UserRoleInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["key_hash", "prefix", "created_at", "last_used_at"]
