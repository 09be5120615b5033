"""URLs of owner messages: the store's settings and report, unsubscribe, opens, inbound SMS."""

from django.urls import path

from loyalty.views import messages

urlpatterns = [
    path("settings/messages/", messages.message_settings, name="message_settings"),
    path("settings/messages/preview/", messages.message_preview, name="message_preview"),
    path("reports/messages/", messages.messages_report, name="report_messages"),
    path("m/unsubscribe/<str:token>/", messages.unsubscribe, name="message_unsubscribe"),
    path("m/opened/<str:token>.gif", messages.message_opened, name="message_opened"),
    path("m/sms/inbound/", messages.sms_inbound, name="sms_inbound"),
]
