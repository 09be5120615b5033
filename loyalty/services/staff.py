"""The store's users and locations: adding, password resets, (de)activation (SPEC §1)."""

from django.db import IntegrityError, transaction

from loyalty.errors import DomainError
from loyalty.models import Location, Retailer, User
from loyalty.models.tenancy import Role

from .audit import record_audit

USER_FIELDS = ("username", "first_name", "last_name", "email", "home_location")
LOCATION_FIELDS = ("name", "address", "pos_shop_id", "pos_return_url", "time_zone")


@transaction.atomic
def create_cashier(*, retailer: Retailer, values: dict, password: str, actor: User) -> User:
    """A cashier login for one of the store's locations; the password was validated already."""
    location = values["home_location"]
    if location.retailer_id != retailer.pk:
        raise DomainError("Pick one of your store's locations.")
    user = User(retailer=retailer, role=Role.CASHIER, **{k: values[k] for k in USER_FIELDS})
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # the same username saved a moment ago by someone else
        raise DomainError("That username is taken. Pick another one.") from exc
    record_audit(
        retailer=retailer,
        actor=actor,
        action="user.created",
        target=user,
        data={"username": user.username, "role": user.role, "home_location": location.name},
    )
    return user


@transaction.atomic
def reset_password(*, user: User, password: str, actor: User) -> User:
    """An admin sets a new password; the user's other sessions end (Django's session hash)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    # Never the password itself, only that it changed.
    record_audit(retailer=user.retailer, actor=actor, action="user.password_reset", target=user)
    return user


@transaction.atomic
def set_user_active(*, user: User, is_active: bool, actor: User) -> User:
    """Deactivate or reactivate a login; the store always keeps one active admin."""
    if not is_active:
        if user.pk == actor.pk:
            raise DomainError("You cannot deactivate your own login. Ask another admin.")
        # Lock the store's active admins so two admins deactivating each other cannot both win.
        admins = list(
            User.objects.select_for_update()
            .filter(retailer_id=user.retailer_id, role=Role.ADMIN, is_active=True)  # type: ignore[misc]  # a store's user: never None
            .values_list("pk", flat=True)
        )
        if admins == [user.pk]:
            raise DomainError(
                f"{user.username} is the store's last active admin and cannot be deactivated."
            )
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == is_active:
        return user  # a repeated click changes nothing
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    record_audit(
        retailer=user.retailer,
        actor=actor,
        action="user.reactivated" if is_active else "user.deactivated",
        target=user,
        data={"username": user.username},
    )
    return user


@transaction.atomic
def create_location(*, retailer: Retailer, values: dict, actor: User) -> Location:
    try:
        with transaction.atomic():
            location = Location.objects.create(
                retailer=retailer, **{k: values[k] for k in LOCATION_FIELDS}
            )
    except IntegrityError as exc:
        raise DomainError("Another location of your store already has that name.") from exc
    record_audit(
        retailer=retailer,
        actor=actor,
        action="location.created",
        target=location,
        data={k: values[k] for k in LOCATION_FIELDS},
    )
    return location


@transaction.atomic
def update_location(*, location: Location, values: dict, actor: User) -> Location:
    """Save a location's name, address and POS settings; audited with before and after."""
    location = Location.objects.select_for_update().get(pk=location.pk)
    before = {name: getattr(location, name) for name in LOCATION_FIELDS}
    after = {name: values[name] for name in LOCATION_FIELDS}
    if before == after:
        return location
    for name, value in after.items():
        setattr(location, name, value)
    try:
        with transaction.atomic():
            location.save(update_fields=list(LOCATION_FIELDS))
    except IntegrityError as exc:
        raise DomainError("Another location of your store already has that name.") from exc
    record_audit(
        retailer=location.retailer,
        actor=actor,
        action="location.changed",
        target=location,
        data={"before": before, "after": after},
    )
    return location
