"""What the domain needs from the outside world, as plain types: the DTOs and protocols a POS or
a distributor adapter implements, the error family they raise, and the registry that picks the
implementation by setting (as Django picks an email backend). Adapters live elsewhere and import
this package; nothing here imports them."""
