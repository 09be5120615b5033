"""URLs of My Custom Programs and their checkout actions (pre-paid visits, cash back)."""

urlpatterns: list = []
