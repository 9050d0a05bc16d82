"""Django admin pages: dashboards, user access, and the student-view switch with its history."""
from django.contrib import admin

from panorama_openedx.conf import get_settings
from panorama_openedx.models import Dashboard, StudentViewSwitch, UserAccess


@admin.register(Dashboard)
class DashboardAdmin(admin.ModelAdmin):
    list_display = ("priority", "name", "display_name", "audience", "dashboard_id", "modified")
    list_display_links = ("name",)
    list_filter = ("audience",)
    search_fields = ("name", "display_name", "dashboard_id")
    ordering = ("priority", "name")


@admin.register(UserAccess)
class UserAccessAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "arn", "modified")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email", "arn")
    raw_id_fields = ("user",)
    filter_horizontal = ("dashboards",)


@admin.register(StudentViewSwitch)
class StudentViewSwitchAdmin(admin.ModelAdmin):
    """
    Each save adds a row (the newest is in force, at once); existing rows are the history and stay as
    they are.
    """

    list_display = ("changed_at", "enabled", "changed_by")
    readonly_fields = ("changed_by", "changed_at")

    def get_changeform_initial_data(self, request):
        return {"enabled": StudentViewSwitch.is_enabled(get_settings().enable_student_view)}

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.changed_by = request.user
        super().save_model(request, obj, form, change)
