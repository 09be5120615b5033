"""URLs of Users and locations, loyalty points settings, pet owner administration."""

urlpatterns: list = []
