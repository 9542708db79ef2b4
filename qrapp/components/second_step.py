"""The login page's second step (code, recovery code or passkey), the enrolment
walk-through a workspace can require, and the password-less passkey button."""

from __future__ import annotations

import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.styles import MUTED_MD
from qrapp.state.auth import AuthState
from qrapp.state.second_step import SecondStepState


def _error() -> rx.Component:
    return rx.cond(
        SecondStepState.error,
        rx.callout.root(
            rx.callout.icon(rx.icon("circle-alert")),
            rx.callout.text(SecondStepState.error),
            color_scheme="red",
            size="1",
            role="alert",
            id="second-step-error",
        ),
    )


def _code_input(label: str) -> rx.Component:
    return rx.vstack(
        field_label(label, "code"),
        rx.input(
            name="code",
            id="code",
            size="3",
            width="100%",
            auto_complete="one-time-code",
            input_mode="text",
            auto_focus=True,
        ),
        spacing="1",
        width="100%",
    )


def _code_step() -> rx.Component:
    return rx.vstack(
        rx.heading("Two-factor login", size="4", as_="h2"),
        rx.text(
            "Enter the 6-digit code from your authenticator app, or one of your recovery codes.",
            **MUTED_MD,
        ),
        rx.form(
            rx.vstack(
                _code_input("Code"),
                rx.el.label(
                    rx.hstack(
                        rx.el.input(type="checkbox", name="trust", id="trust"),
                        rx.text("Trust this device for 30 days", size="2"),
                        align="center",
                        spacing="2",
                    ),
                    html_for="trust",
                ),
                _error(),
                rx.button(
                    "Verify",
                    type="submit",
                    size="3",
                    width="100%",
                    loading=SecondStepState.busy,
                    id="verify-code",
                ),
                spacing="3",
                width="100%",
            ),
            on_submit=SecondStepState.submit_code,
            width="100%",
        ),
        rx.cond(
            SecondStepState.offers_passkey,
            rx.button(
                rx.icon("key-round"),
                "Use a passkey instead",
                variant="soft",
                width="100%",
                on_click=SecondStepState.use_passkey,
                id="second-step-passkey",
            ),
        ),
        rx.button("Start over", variant="ghost", size="2", on_click=SecondStepState.reset_step),
        spacing="3",
        width="100%",
        id="second-step",
    )


def _enrol_step() -> rx.Component:
    return rx.vstack(
        rx.heading("Set up two-factor login", size="4", as_="h2"),
        rx.text(
            "A workspace you belong to requires two-factor login. Scan this code with an "
            "authenticator app, then enter the 6-digit code it shows.",
            **MUTED_MD,
        ),
        rx.image(
            src=SecondStepState.enrol_qr,
            alt="QR code to add qrapp to your authenticator app",
            width="200px",
            height="200px",
        ),
        rx.text("Or type this key: ", rx.code(SecondStepState.enrol_secret, id="enrol-secret")),
        rx.form(
            rx.vstack(
                _code_input("Code from the app"),
                _error(),
                rx.button("Turn on", type="submit", size="3", width="100%", id="confirm-enrol"),
                spacing="3",
                width="100%",
            ),
            on_submit=SecondStepState.confirm_enrolment,
            width="100%",
        ),
        _enrol_passkey(),
        spacing="3",
        width="100%",
        id="enrol-step",
    )


def _enrol_passkey() -> rx.Component:
    """The alternative to an app: a passkey on this device or a security key."""
    return rx.form(
        rx.vstack(
            rx.separator(size="4"),
            rx.heading("Or use a passkey", size="3", as_="h3"),
            rx.text(
                "Your device's screen lock or a security key, instead of an app.",
                **MUTED_MD,
            ),
            field_label("Passkey name", "enrol-passkey-name"),
            rx.input(
                name="name",
                id="enrol-passkey-name",
                placeholder="Work laptop",
                size="3",
                width="100%",
                aria_invalid=rx.cond(SecondStepState.passkey_error, "true", "false"),
                aria_describedby="enrol-passkey-error",
            ),
            rx.box(
                rx.cond(
                    SecondStepState.passkey_error,
                    rx.text(SecondStepState.passkey_error, color_scheme="red", size="2"),
                ),
                id="enrol-passkey-error",
                role="alert",
            ),
            rx.button(
                rx.icon("key-round"),
                "Set up a passkey instead",
                type="submit",
                variant="soft",
                size="3",
                width="100%",
                id="enrol-passkey",
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=SecondStepState.enrol_passkey,
        reset_on_submit=False,
        width="100%",
    )


def _codes_step() -> rx.Component:
    return rx.vstack(
        rx.heading("Your recovery codes", size="4", as_="h2"),
        rx.text(
            "Each works once if you lose your phone. Keep them somewhere safe: they are "
            "shown only now.",
            **MUTED_MD,
        ),
        rx.el.ul(
            rx.foreach(SecondStepState.recovery_codes, lambda c: rx.el.li(rx.code(c))),
            id="login-recovery-codes",
        ),
        _error(),
        rx.button(
            "Continue",
            size="3",
            width="100%",
            on_click=SecondStepState.continue_after_codes,
            id="continue-after-codes",
        ),
        spacing="3",
        width="100%",
    )


def second_step() -> rx.Component:
    return rx.match(
        SecondStepState.step,
        ("enrol", _enrol_step()),
        ("codes", _codes_step()),
        _code_step(),
    )


def passkey_login_button() -> rx.Component:
    return rx.vstack(
        rx.button(
            rx.icon("key-round"),
            "Sign in with a passkey",
            variant="outline",
            size="3",
            width="100%",
            disabled=~AuthState.is_hydrated,
            on_click=SecondStepState.use_passkey,
            id="passkey-login",
        ),
        _error(),
        width="100%",
        spacing="2",
    )
