import reflex as rx

from qrapp.components.auth_forms import auth_card, form_error, labelled, notice, submit, text_input
from qrapp.core import routes
from qrapp.state.auth import AuthState


@rx.page(route=routes.LOGIN, title="Log in · qrapp", on_load=AuthState.load_login)
def login() -> rx.Component:
    return auth_card(
        "Welcome back",
        "Log in to design, manage and track your QR codes.",
        notice(),
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
    )
