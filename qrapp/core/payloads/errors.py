"""The one error type for input a person can get wrong when making a QR code."""


class PayloadError(Exception):
    """Invalid payload (or design) input, with one readable message per field.

    Deliberately not a ValueError: pydantic wraps ValueErrors raised inside validators,
    so a model validator can raise this one and keep its field names intact.
    """

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))
