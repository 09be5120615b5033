"""Forms of the store's own settings screens: the logo of its pet owners' card pages."""

from django import forms

# A logo is a small picture; larger uploads are refused with a message, never stored.
MAX_LOGO_BYTES = 1024 * 1024


class StoreLogoForm(forms.Form):
    logo = forms.ImageField(
        required=False,
        label="Logo (PNG, JPEG or WebP, up to 1 MB)",
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove = forms.BooleanField(required=False, label="Remove the logo")

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and logo.size > MAX_LOGO_BYTES:
            raise forms.ValidationError("That picture is over 1 MB. Save a smaller one.")
        image = getattr(logo, "image", None)
        if logo and image is not None and image.format not in ("PNG", "JPEG", "WEBP"):
            raise forms.ValidationError("Upload a PNG, JPEG or WebP picture.")
        return logo

    def clean(self):
        data = super().clean()
        if not data.get("logo") and not data.get("remove"):
            raise forms.ValidationError("Choose a picture to upload, or tick Remove the logo.")
        return data
