"""Django admin for platform staff: the catalog, programs and distributors, usable at scale."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from . import models


@admin.register(models.Manufacturer)
class ManufacturerAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(models.Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ["name", "manufacturer"]
    list_filter = ["manufacturer"]
    search_fields = ["name", "manufacturer__name"]
    autocomplete_fields = ["manufacturer"]


@admin.register(models.Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["description", "size", "brand", "upc", "item_number", "retailer"]
    list_filter = [("retailer", admin.EmptyFieldListFilter), "brand__manufacturer", "category"]
    # "=gtin": an exact index look-up, so a scanned code finds its item among thousands at once.
    search_fields = ["description", "=gtin", "=item_number", "brand__name"]
    autocomplete_fields = ["brand", "retailer"]
    list_select_related = ["brand", "retailer"]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        # A UPC typed as 12 or 13 digits finds the item stored in its GTIN-14 form.
        from .rules.upc import gtin_key

        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        key = gtin_key(search_term)
        if key:
            queryset |= self.model.objects.filter(gtin=key)
        return queryset, may_have_duplicates


class ProgramCardInline(admin.StackedInline):
    model = models.ProgramCard
    extra = 0
    autocomplete_fields = ["qualifying_items", "redeemable_items"]


@admin.register(models.Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "manufacturer", "brand", "pet_type", "is_active", "retailer"]
    list_filter = ["kind", "is_active", "pet_type", "category", "manufacturer"]
    search_fields = ["name", "manufacturer__name", "brand__name"]
    autocomplete_fields = ["manufacturer", "brand", "retailer"]
    inlines = [ProgramCardInline]


@admin.register(models.Distributor)
class DistributorAdmin(admin.ModelAdmin):
    list_display = ["name", "delivery_method", "is_temporary_holding"]
    list_filter = ["delivery_method", "is_temporary_holding"]
    search_fields = ["name"]
    filter_horizontal = ["programs"]


@admin.register(models.Retailer)
class RetailerAdmin(admin.ModelAdmin):
    list_display = ["name", "pos_integration", "time_zone", "points_basis", "created_at"]
    search_fields = ["name"]


@admin.register(models.Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "retailer", "pos_shop_id"]
    list_filter = ["retailer"]
    search_fields = ["name", "retailer__name"]
    readonly_fields = ["button_token"]


@admin.register(models.Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["retailer", "location", "program", "distributor", "account_number"]
    list_filter = ["program", "distributor"]
    search_fields = ["retailer__name", "program__name", "account_number"]
    autocomplete_fields = ["retailer", "program"]


@admin.register(models.User)
class AstroUserAdmin(UserAdmin):
    list_display = ["username", "email", "retailer", "role", "is_staff", "is_active"]
    list_filter = ["role", "is_staff", "is_active", "retailer"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("Store", {"fields": ["retailer", "role", "home_location"]}),
    ]


@admin.register(models.AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "retailer", "actor", "action", "target_type", "target_id"]
    list_filter = ["action", "retailer"]
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # the audit log is read-only

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.Offer)
class OfferAdmin(admin.ModelAdmin):
    """Manufacturer offers (SPEC §2): applied automatically to the stores chosen here."""

    list_display = ["name", "manufacturer", "kind", "starts_at", "ends_at", "is_active"]
    list_filter = ["kind", "is_active", "manufacturer"]
    search_fields = ["name", "manufacturer__name"]
    autocomplete_fields = ["manufacturer", "qualifying_items"]
    filter_horizontal = ["retailers"]


@admin.register(models.Coupon)
class CouponAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "retailer", "amount_off", "issued_at", "redeemed_at"]
    list_filter = ["retailer"]
    search_fields = ["name", "owner__last_name", "owner__email_normalized"]
    raw_id_fields = ["owner"]
