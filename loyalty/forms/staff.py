"""Forms of the admin screens: users, locations, point rewards, owner edit and merge."""

from collections.abc import Callable

from django import forms
from django.contrib.auth.forms import BaseUserCreationForm, SetPasswordForm
from django.forms import inlineformset_factory

from loyalty.models import Location, Pet, PetOwner, PointReward, Retailer, User
from loyalty.models.tenancy import PointsEvents
from loyalty.time_zones import store_zone, zone_names


class CashierCreateForm(BaseUserCreationForm):
    """A new cashier: Django checks the two passwords match and runs the password validators."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "home_location"]
        labels = {"home_location": "Home location"}
        help_texts = {"username": "What they type to log in: letters, digits and @ . + - _"}

    def __init__(self, *args, retailer: Retailer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["home_location"].queryset = Location.objects.filter(retailer=retailer)
        self.fields["home_location"].required = True
        self.fields["home_location"].empty_label = "Choose a location"
        self.fields["password1"].label = "Initial password"
        self.fields["password2"].label = "Initial password again"

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        # Usernames are shared by every store: "Sam" and "sam" would be two logins too alike.
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is taken. Pick another one.")
        return username


class PasswordResetForm(SetPasswordForm):
    """The admin types the new password twice; Django's validators judge it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password2"].label = "New password again"


class LocationForm(forms.ModelForm):
    """Name, address and POS settings; the return URL is checked by the POS integration's rule."""

    pos_return_url = forms.CharField(
        label="Return to POS URL",
        max_length=200,
        required=False,
        help_text="Where Finished sends the cashier back in the POS. Leave blank for the default.",
    )

    time_zone = forms.ChoiceField(
        label="Time zone",
        required=False,
        help_text="Only if this location keeps another time than the store.",
    )

    class Meta:
        model = Location
        fields = ["name", "address", "pos_shop_id", "pos_return_url", "time_zone"]
        labels = {"pos_shop_id": "POS shop ID"}
        help_texts = {"pos_shop_id": "The shop number your POS gives this store, such as 1."}

    def __init__(
        self,
        *args,
        retailer: Retailer,
        return_url_problem: Callable[[str], str],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.retailer = retailer
        store = store_zone(retailer).key
        self.fields["time_zone"].choices = [("", f"Same as the store ({store})")] + [
            (name, name.replace("_", " ")) for name in zone_names()
        ]
        # The store's POS says which return addresses are safe (loyalty.contracts.RedirectPos).
        self.return_url_problem = return_url_problem

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = Location.objects.filter(retailer=self.retailer, name__iexact=name)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("Another location of your store already has that name.")
        return name

    def clean_pos_shop_id(self) -> str:
        value = self.cleaned_data["pos_shop_id"].strip()
        if value and not value.isdigit():
            raise forms.ValidationError("A POS shop ID is a number, such as 1.")
        return value

    def clean_pos_return_url(self) -> str:
        value = self.cleaned_data["pos_return_url"].strip()
        problem = self.return_url_problem(value) if value else ""
        if problem:
            raise forms.ValidationError(problem)
        return value


class PointsSettingsForm(forms.ModelForm):
    points_per_dollar = forms.IntegerField(
        label="Points per dollar",
        min_value=1,
        max_value=1000,
        error_messages={"min_value": "Give at least 1 point per dollar."},
    )

    class Meta:
        model = Retailer
        fields = ["points_events", "points_basis", "points_per_dollar"]
        labels = {"points_events": "Points are given", "points_basis": "Points are earned on"}
        widgets = {"points_events": forms.RadioSelect, "points_basis": forms.RadioSelect}
        help_texts = {
            "points_events": f"“{PointsEvents.MANUAL.label}”: sales award nothing; cashiers "
            "give points with Manage Loyalty Points."
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["points_events"].required = False

    def clean_points_events(self) -> str:
        # A form of an older page without this choice leaves it as it was.
        return self.cleaned_data["points_events"] or self.instance.points_events


class PointRewardForm(forms.ModelForm):
    class Meta:
        model = PointReward
        fields = ["name", "points_required", "description", "is_active"]
        labels = {"points_required": "Points required", "is_active": "Active"}
        error_messages = {
            "points_required": {"min_value": "A reward needs at least 1 point."},
        }

    def __init__(self, *args, retailer: Retailer, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.retailer = retailer
        self.fields["points_required"].min_value = 1
        self.fields["points_required"].widget.attrs["min"] = 1

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        same = PointReward.objects.filter(retailer=self.retailer, name__iexact=name)
        if same.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"There is already a reward called “{name}”.")
        return name


PetFormSet = inlineformset_factory(
    PetOwner,
    Pet,
    fields=["name", "species"],
    extra=1,
    can_delete=True,
    labels={"name": "Pet's name", "species": "Species"},
)


class MergeForm(forms.Form):
    """The duplicate and the owner to keep: one of them is the owner whose page we are on."""

    other = forms.IntegerField(widget=forms.HiddenInput)
    keep = forms.ChoiceField(
        choices=[("this", "this owner"), ("other", "the other owner")],
        widget=forms.RadioSelect,
        initial="this",
    )

    def __init__(self, *args, owner: PetOwner, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.other_owner: PetOwner | None = None

    def clean_other(self) -> int:
        other_id = self.cleaned_data["other"]
        self.other_owner = PetOwner.objects.filter(
            retailer_id=self.owner.retailer_id, pk=other_id, merged_into__isnull=True
        ).first()
        if self.other_owner is None:
            raise forms.ValidationError(
                "That pet owner is not one of your store’s accounts (or was merged already)."
            )
        return other_id

    def pair(self) -> tuple[PetOwner, PetOwner]:
        """(duplicate, keep) once the form is valid."""
        other = self.other_owner
        if self.cleaned_data["keep"] == "this":
            return other, self.owner
        return self.owner, other
