"""URLs of Frequent Buyer: available programs, enrollment, and My Items/Services."""

urlpatterns: list = []
