"""Errors a user can cause. Each carries a message fit to show as it is."""

from __future__ import annotations


class ServiceError(Exception):
    """A request that cannot be carried out; nothing was changed."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(ServiceError):
    """Missing, or belongs to a workspace the actor is not in: the same answer for both."""

    def __init__(self, what: str = "item") -> None:
        super().__init__(f"That {what} does not exist or you have no access to it.")


class PermissionDenied(ServiceError):
    def __init__(self, message: str = "Your role in this workspace does not allow that.") -> None:
        super().__init__(message)


class NotSignedIn(ServiceError):
    def __init__(self) -> None:
        super().__init__("Your session has ended. Please log in again.")


class Throttled(ServiceError):
    def __init__(self, retry_after_seconds: int) -> None:
        minutes = max(1, (retry_after_seconds + 59) // 60)
        super().__init__(
            f"Too many attempts. Please wait {minutes} minute{'s' if minutes != 1 else ''} "
            "and try again."
        )
        self.retry_after_seconds = retry_after_seconds


class Conflict(ServiceError):
    """What the request was based on has changed meanwhile (another tab, a colleague):
    refused rather than overwriting their work unseen."""


class FieldErrors(ServiceError):
    """Several fields are wrong at once; `errors` maps field name -> message."""

    def __init__(self, errors: dict[str, str]) -> None:
        first = next(iter(errors.items()), ("", "Please correct the highlighted fields."))
        super().__init__(first[1], field=first[0] or None)
        self.errors = dict(errors)
