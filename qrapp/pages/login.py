import reflex as rx

from qrapp.components.auth_forms import auth_card, form_error, labelled, notice, submit, text_input
from qrapp.components.fields import field_label
from qrapp.components.second_step import passkey_login_button, second_step
from qrapp.core import routes
from qrapp.state.auth import AuthState
from qrapp.state.second_step import SecondStepState


def _sso() -> rx.Component:
    """Single sign-on: the work e-mail says which workspace's identity provider to use."""
    return rx.cond(
        AuthState.sso_open,
        rx.form(
            rx.vstack(
                field_label("Work e-mail", "sso_email"),
                text_input("sso_email", "email", auto_complete="email"),
                rx.cond(
                    AuthState.sso_error,
                    rx.callout.root(
                        rx.callout.icon(rx.icon("circle-alert")),
                        rx.callout.text(AuthState.sso_error),
                        color_scheme="red",
                        size="1",
                        role="alert",
                        id="sso-error",
                    ),
                ),
                rx.button(
                    "Continue with SSO",
                    type="submit",
                    size="3",
                    width="100%",
                    variant="outline",
                    loading=AuthState.busy,
                    disabled=~AuthState.is_hydrated,
                    id="sso-submit",
                ),
                spacing="2",
                width="100%",
            ),
            on_submit=AuthState.sign_in_with_sso,
            width="100%",
        ),
        rx.button(
            "Sign in with SSO",
            type="button",
            size="3",
            width="100%",
            variant="outline",
            on_click=AuthState.open_sso,
            disabled=~AuthState.is_hydrated,
            id="sso-open",
        ),
    )


@rx.page(
    route=routes.LOGIN,
    title="Log in · qrapp",
    on_load=[AuthState.load_login, SecondStepState.reset_step],
)
def login() -> rx.Component:
    return auth_card(
        "Welcome back",
        "Log in to design, manage and track your QR codes.",
        notice(),
        rx.cond(SecondStepState.step == "", _password_step(), second_step()),
    )


def _password_step() -> rx.Component:
    return rx.vstack(
        rx.form(
            rx.vstack(
                labelled("E-mail", text_input("email", "email", auto_complete="username"), "email"),
                labelled(
                    "Password",
                    text_input("password", "password", auto_complete="current-password"),
                    "password",
                ),
                rx.link("Forgot your password?", href=routes.FORGOT_PASSWORD, size="2"),
                form_error(),
                submit("Log in"),
                spacing="3",
                width="100%",
            ),
            on_submit=AuthState.log_in,
            width="100%",
        ),
        passkey_login_button(),
        _sso(),
        rx.text(
            "New to qrapp? ",
            rx.link("Create an account", href=routes.SIGNUP),
            size="2",
            align="center",
        ),
        # saml-ldap: on-premise directories (LDAP) sign in on their own form.
        rx.text(
            rx.link("Sign in with your company directory", href=routes.LOGIN_DIRECTORY),
            size="2",
            align="center",
        ),
        spacing="4",
        width="100%",
    )
