"""/api/v1/: the paths POS partners build against (issue 6); keep them stable."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import docs
from .errors import not_found
from .views import customers, quotes, redemptions, rewards, sales, store

app_name = "api_v1"

urlpatterns = [
    path(
        "schema/",
        SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]),
        name="schema",
    ),
    path("docs/", docs.docs_page, name="docs"),
    path("ping/", store.ping, name="ping"),
    path("customers/", customers.customers, name="customers"),
    path("links/<str:pos_customer_id>", customers.link_detail, name="link"),
    path("links/<str:pos_customer_id>/loyalty", customers.loyalty, name="loyalty"),
    path("links/<str:pos_customer_id>/redeemable", redemptions.redeemable, name="redeemable"),
    path(
        "links/<str:pos_customer_id>/coupons/<int:coupon_id>/<str:decision>",
        rewards.coupon_decision,
        name="coupon_decision",
    ),
    path(
        "links/<str:pos_customer_id>/point-rewards/<int:reward_id>/<str:decision>",
        rewards.point_reward_decision,
        name="point_reward_decision",
    ),
    path("sales/", sales.sales, name="sales"),
    path("sales/quote/", quotes.quote, name="sales_quote"),
    path("redemptions/", redemptions.redemptions, name="redemptions"),
    path("inventory/", redemptions.inventory, name="inventory"),
    path("product-filter/", store.product_filter, name="product_filter"),
    re_path(r"^(?P<path>[\s\S]*)$", not_found),  # any path, even one with a newline
]
