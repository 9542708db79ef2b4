import reflex as rx

from qrapp.components.auth_forms import auth_card
from qrapp.components.panels import link_button
from qrapp.core import routes
from qrapp.state.auth import AuthState


@rx.page(route=routes.VERIFY_EMAIL, title="Confirm e-mail · qrapp", on_load=AuthState.verify_email)
def verify_email() -> rx.Component:
    return auth_card(
        "Confirm your e-mail",
        "",
        rx.match(
            AuthState.verify_result,
            (
                "ok",
                rx.callout.root(
                    rx.callout.icon(rx.icon("badge-check")),
                    rx.callout.text("Thank you, your e-mail address is confirmed."),
                    color_scheme="green",
                    id="verify-ok",
                ),
            ),
            (
                "invalid",
                rx.callout.root(
                    rx.callout.icon(rx.icon("circle-alert")),
                    rx.callout.text(
                        "This link is invalid, used or expired. Log in to send a new one."
                    ),
                    color_scheme="red",
                    id="verify-invalid",
                ),
            ),
            rx.spinner(),
        ),
        link_button("Continue to qrapp", size="3", width="100%", href=routes.DASHBOARD),
    )
