"""The lockout's records (declarations/logins.py). Deleting a lock or a
slow-down is how an administrator unlocks: it goes through `logins.unlock`,
which also forgets the wrong passwords so that the count starts again."""

from django.contrib import admin

from declarations import logins
from declarations.models import AccountSlowdown, LoginFailure, LoginLock


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LoginLock)
class LoginLockAdmin(_ReadOnly):
    list_display = ["address", "username", "until", "failures", "locked_at"]
    search_fields = ["username", "address"]

    def delete_model(self, request, obj):
        if obj.username:
            logins.unlock(username=obj.username, address=obj.address)
        else:  # the whole address, and every account's lock on it
            logins.unlock(address=obj.address)

    def delete_queryset(self, request, queryset):
        for lock in queryset:
            self.delete_model(request, lock)


@admin.register(AccountSlowdown)
class AccountSlowdownAdmin(_ReadOnly):
    list_display = ["username", "retry_after", "notified_at"]
    search_fields = ["username"]

    def delete_model(self, request, obj):
        logins.unlock(username=obj.username)

    def delete_queryset(self, request, queryset):
        for slowed in queryset:
            self.delete_model(request, slowed)


@admin.register(LoginFailure)
class LoginFailureAdmin(_ReadOnly):
    list_display = ["at", "username", "address"]
    search_fields = ["username", "address"]
    date_hierarchy = "at"
