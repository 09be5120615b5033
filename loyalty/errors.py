"""Domain errors: one base class, each with a message a cashier or admin can read (DESIGN.md §3)."""


class DomainError(Exception):
    """A rule said no. The message is shown to the person as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotEnrolled(DomainError):
    pass


class CardNotComplete(DomainError):
    pass


class AlreadyRedeemed(DomainError):
    pass


class ItemNotRedeemable(DomainError):
    pass


class InvalidAdjustment(DomainError):
    pass


class MissingContactData(DomainError):
    """SPEC §3: the manufacturer needs the owner's email and/or address before this redemption."""

    def __init__(self, message: str, missing: list[str]) -> None:
        super().__init__(message)
        self.missing = missing
