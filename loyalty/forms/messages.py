"""Forms of owner messages: the store's Messages settings and an owner's consents (SPEC §8)."""

from django import forms

from loyalty.models import MessageSettings
from loyalty.rules.message_text import PLACEHOLDERS, unknown_placeholders
from loyalty.services.messages.store import MESSAGE_SETTINGS_FIELDS

TEXT_FIELDS = ("one_more_text", "reward_ready_text", "visit_summary_text")


class MessageSettingsForm(forms.ModelForm):
    class Meta:
        model = MessageSettings
        fields = list(MESSAGE_SETTINGS_FIELDS)
        widgets = {
            "quiet_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            **{name: forms.Textarea(attrs={"rows": 3}) for name in TEXT_FIELDS},
        }
        help_texts = {
            "quiet_start": "In the store's time zone. Messages due meanwhile wait until it ends.",
            "send_test_messages": "Sally Pet Owner gets messages only while this is on.",
        }

    def clean(self):
        data = super().clean()
        for name in TEXT_FIELDS:
            unknown = unknown_placeholders(data.get(name) or "")
            if unknown:
                known = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
                self.add_error(
                    name, f"Unknown placeholder {{{unknown[0]}}}. Use only these: {known}."
                )
            elif name in data and not (data[name] or "").strip():
                self.add_error(name, "Write what the message says.")
        if (data.get("quiet_start") is None) != (data.get("quiet_end") is None):
            self.add_error("quiet_end", "Give both ends of the quiet hours, or neither.")
        return data


class ConsentForm(forms.Form):
    """On the owner's Edit page; a change records its time and who made it."""

    email_consent = forms.BooleanField(required=False, label="Agreed to messages by email")
    sms_consent = forms.BooleanField(required=False, label="Agreed to text messages (SMS)")
