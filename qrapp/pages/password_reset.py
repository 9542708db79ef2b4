import reflex as rx

from qrapp.components.auth_forms import auth_card, form_error, labelled, submit, text_input
from qrapp.core import routes
from qrapp.state.auth import AuthState


@rx.page(
    route=routes.FORGOT_PASSWORD, title="Forgot password · qrapp", on_load=AuthState.load_plain
)
def forgot_password() -> rx.Component:
    return auth_card(
        "Forgot your password?",
        "We will e-mail you a link to choose a new one.",
        rx.cond(
            AuthState.reset_requested,
            rx.callout.root(
                rx.callout.icon(rx.icon("mail-check")),
                rx.callout.text(
                    "If an account uses that address, a reset link is on its way. "
                    "It works once, for an hour."
                ),
                id="reset-requested",
            ),
            rx.form(
                rx.vstack(
                    labelled(
                        "E-mail", text_input("email", "email", auto_complete="email"), "email"
                    ),
                    form_error(),
                    submit("Send reset link"),
                    spacing="3",
                    width="100%",
                ),
                on_submit=AuthState.request_reset,
                width="100%",
            ),
        ),
        rx.link("Back to log in", href=routes.LOGIN, size="2"),
    )


@rx.page(
    route=routes.RESET_PASSWORD, title="Choose a new password · qrapp", on_load=AuthState.load_plain
)
def reset_password() -> rx.Component:
    return auth_card(
        "Choose a new password",
        "Every device signed in to your account will be logged out.",
        rx.form(
            rx.vstack(
                labelled(
                    "New password",
                    text_input("password", "password", auto_complete="new-password"),
                    "password",
                ),
                labelled(
                    "New password again",
                    text_input("password_again", "password", auto_complete="new-password"),
                    "password_again",
                ),
                rx.cond(
                    AuthState.error_field == "token",
                    rx.callout.root(
                        rx.callout.text(AuthState.field_error),
                        rx.link("Ask for a new link", href=routes.FORGOT_PASSWORD),
                        color_scheme="red",
                        role="alert",
                    ),
                ),
                form_error(),
                submit("Save new password"),
                spacing="3",
                width="100%",
            ),
            on_submit=AuthState.reset_password,
            width="100%",
        ),
    )
