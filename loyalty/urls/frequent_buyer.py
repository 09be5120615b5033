"""URLs of Frequent Buyer: available programs, enrollment, and My Items/Services."""

from django.urls import path

from loyalty.views import frequent_buyer, my_items

urlpatterns = [
    path("frequent-buyer/programs/", frequent_buyer.available_programs, name="available_programs"),
    path(
        "frequent-buyer/programs/<int:program_id>/",
        frequent_buyer.program_detail,
        name="program_detail",
    ),
    path(
        "frequent-buyer/programs/<int:program_id>/items.csv",
        frequent_buyer.program_items_csv,
        name="program_items_csv",
    ),
    path(
        "frequent-buyer/programs/<int:program_id>/enroll/",
        frequent_buyer.program_enroll,
        name="program_enroll",
    ),
    path(
        "frequent-buyer/enrollments/<int:enrollment_id>/unenroll/",
        frequent_buyer.program_unenroll,
        name="program_unenroll",
    ),
    path("my-items/", my_items.my_items, name="my_items"),
    path("my-items/<int:item_id>/", my_items.my_item_row, name="my_item_row"),
    path("my-items/<int:item_id>/edit/", my_items.my_item_edit, name="my_item_edit"),
    path("my-items/<int:item_id>/delete/", my_items.my_item_delete, name="my_item_delete"),
]
