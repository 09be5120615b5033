"""Which redemptions a distributor hears about (SPEC §3, §6)."""


def is_reportable(*, program_is_reportable: bool, owner_is_test: bool) -> bool:
    """Manufacturer programs and offers of a real pet owner go to the distributor; custom
    programs and test owners such as Sally never do."""
    return program_is_reportable and not owner_is_test
