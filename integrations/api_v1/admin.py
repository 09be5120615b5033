"""Django admin for platform staff: which locations have API users (never their keys)."""

from django.contrib import admin

from .models import ApiCredential


@admin.register(ApiCredential)
class ApiCredentialAdmin(admin.ModelAdmin):
    list_display = ["username", "retailer", "location", "key_prefix", "created_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["username", "=key_prefix", "retailer__name", "location__name"]
    list_select_related = ["retailer", "location"]
    # Keys are issued on the retailer's screen or with create_api_key, shown once there.
    exclude = ["key_hash"]
    readonly_fields = [
        "retailer",
        "location",
        "username",
        "key_prefix",
        "created_at",
        "created_by",
        "last_used_at",
    ]

    def has_add_permission(self, request) -> bool:
        return False
