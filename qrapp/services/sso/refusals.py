"""Why a single sign-on was refused, for every protocol: a short code travels in the
login page's URL (/login?sso_error=<code>) and the page shows the code's sentence, so a
URL never carries text the page would display as ours."""

from __future__ import annotations

from qrapp.services.errors import ServiceError

BAD_STATE = "state"
IDP_ERROR = "idp"
BAD_TOKEN = "token"  # noqa: S105 (a refusal code)
UNREACHABLE = "unreachable"
NO_EMAIL = "email"
DOMAIN = "domain"
REFUSED = "refused"
BUSY = "busy"
MESSAGES = {
    BAD_STATE: "That single sign-on attempt expired or was started in another browser. "
    "Please start again.",
    IDP_ERROR: "Your identity provider did not sign you in. Please try again.",
    BAD_TOKEN: "Your identity provider's answer could not be verified, so you were not "
    "signed in. Ask your workspace admin to check the single sign-on settings.",
    UNREACHABLE: "Your identity provider could not be reached. Please try again later.",
    NO_EMAIL: "Your identity provider did not give a verified e-mail address, so single "
    "sign-on cannot admit you. Ask your workspace admin.",
    DOMAIN: "Single sign-on cannot admit your e-mail address: its domain is not one your "
    "workspace has verified for single sign-on. Use your work e-mail, or ask your "
    "workspace admin.",
    REFUSED: "Single sign-on could not sign you in. Ask your workspace admin.",
    BUSY: "Too many single sign-on attempts from your address. Please wait a few minutes.",
}


TEST_OK = "ok"  # an admin's test sign-in worked (the settings page's notice)


def message(code: str) -> str:
    return MESSAGES.get(code, "")


class SignInRefused(ServiceError):
    """A sign-in refused with one of the codes above. `detail` is for the audit log only.
    `test` marks an admin's test sign-in (the callback then goes back to the settings)."""

    def __init__(self, code: str, detail: str = "", *, test: bool = False) -> None:
        super().__init__(MESSAGES[code])
        self.code = code
        self.detail = detail
        self.test = test
