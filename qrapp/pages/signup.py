import reflex as rx

from qrapp.components.auth_forms import auth_card, form_error, labelled, submit, text_input
from qrapp.core import routes
from qrapp.state.auth import AuthState


def _form() -> rx.Component:
    return rx.form(
        rx.vstack(
            labelled("Your name", text_input("name", auto_complete="name"), "name"),
            labelled("E-mail", text_input("email", "email", auto_complete="email"), "email"),
            labelled(
                "Password",
                text_input("password", "password", auto_complete="new-password"),
                "password",
            ),
            labelled(
                "Password again",
                text_input("password_again", "password", auto_complete="new-password"),
                "password_again",
            ),
            rx.text(
                "At least 10 characters. A passphrase is easiest.", size="1", color_scheme="gray"
            ),
            form_error(),
            submit("Create account"),
            spacing="3",
            width="100%",
        ),
        on_submit=AuthState.sign_up,
        width="100%",
    )


def _pending() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("mail")),
        rx.callout.text(
            "Check your inbox at ",
            rx.text(AuthState.signup_pending_email, weight="bold", as_="span"),
            " and open the link we sent to confirm your address.",
        ),
        id="signup-pending",
    )


@rx.page(route=routes.SIGNUP, title="Sign up · qrapp", on_load=AuthState.load_plain)
def signup() -> rx.Component:
    return auth_card(
        "Create your account",
        "Free to start. Confirm your e-mail and your own workspace is ready.",
        rx.cond(AuthState.signup_pending_email, _pending(), _form()),
        rx.text(
            "Have an account? ", rx.link("Log in", href=routes.LOGIN), size="2", align="center"
        ),
    )
