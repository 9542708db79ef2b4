"""Settings -> Security, the two-factor cards (the sessions list lives beside them)."""

from __future__ import annotations

import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.panels import card
from qrapp.components.styles import MUTED_MD, VISUALLY_HIDDEN
from qrapp.state.security_two_factor import PasskeyRow, TwoFactorState


def _alert(text, id_: str) -> rx.Component:
    return rx.cond(
        text,
        rx.callout.root(
            rx.callout.text(text),
            color_scheme="red",
            role="alert",
            id=id_,
            high_contrast=True,  # soft red text on its tint is under 4.5:1
        ),
    )


def _enrolment() -> rx.Component:
    return rx.vstack(
        rx.text(
            "Scan this QR code with an authenticator app (1Password, Google "
            "Authenticator, Microsoft Authenticator...), then enter the code it shows.",
            **MUTED_MD,
        ),
        rx.image(
            src=TwoFactorState.enrol_qr,
            alt="QR code to add qrapp to your authenticator app",
            width="200px",
            height="200px",
            id="totp-qr",
        ),
        rx.text(
            "Can't scan it? Type this key: ", rx.code(TwoFactorState.enrol_secret, id="totp-secret")
        ),
        rx.form(
            rx.vstack(
                field_label("Code from the app", "totp-code"),
                rx.input(name="code", id="totp-code", auto_complete="one-time-code", width="100%"),
                rx.hstack(
                    rx.button("Turn on", type="submit", id="totp-confirm"),
                    rx.button(
                        "Cancel",
                        variant="soft",
                        color_scheme="gray",
                        type="button",
                        on_click=TwoFactorState.cancel_enrolment,
                    ),
                ),
                spacing="2",
                max_width="320px",
            ),
            on_submit=TwoFactorState.confirm_enrolment,
            reset_on_submit=True,
        ),
        spacing="3",
    )


def _new_codes() -> rx.Component:
    return rx.cond(
        TwoFactorState.new_codes.length() > 0,
        rx.vstack(
            rx.heading("Your recovery codes", size="3", as_="h3"),
            rx.text(
                "Each code works once, if you lose your phone. Save them now: they are "
                "not shown again.",
                **MUTED_MD,
            ),
            rx.el.ul(
                rx.foreach(TwoFactorState.new_codes, lambda c: rx.el.li(rx.code(c))),
                id="recovery-codes",
            ),
            rx.hstack(
                rx.button(
                    rx.icon("download"),
                    "Download as text",
                    variant="soft",
                    on_click=TwoFactorState.download_codes,
                    id="download-codes",
                ),
                rx.button(
                    "I saved them",
                    variant="soft",
                    color_scheme="gray",
                    on_click=TwoFactorState.hide_codes,
                ),
            ),
            spacing="2",
        ),
    )


def _regenerate() -> rx.Component:
    """New recovery codes only with a fresh proof: a current code, or a passkey."""
    return rx.form(
        rx.vstack(
            field_label(
                "To make new recovery codes, enter a current code from your app", "regen-code"
            ),
            rx.input(
                name="code",
                id="regen-code",
                auto_complete="one-time-code",
                input_mode="numeric",
                width="100%",
            ),
            rx.hstack(
                rx.button(
                    "Make new recovery codes", type="submit", variant="soft", id="regenerate-codes"
                ),
                rx.cond(
                    TwoFactorState.passkey_rows.length() > 0,
                    rx.button(
                        rx.icon("key-round"),
                        "Use a passkey instead",
                        type="button",
                        variant="soft",
                        color_scheme="gray",
                        on_click=TwoFactorState.regenerate_with_passkey,
                        id="regenerate-with-passkey",
                    ),
                ),
                wrap="wrap",
                spacing="2",
            ),
            spacing="2",
            max_width="360px",
        ),
        on_submit=TwoFactorState.regenerate_codes,
        reset_on_submit=True,
    )


def _when_on() -> rx.Component:
    return rx.vstack(
        rx.text(
            rx.icon("shield-check", size=16),
            " Two-factor login is on. Recovery codes left: ",
            TwoFactorState.recovery_left,
            id="totp-status",
        ),
        _regenerate(),
        rx.form(
            rx.vstack(
                field_label("To turn it off, enter a current code or your password", "tf-proof"),
                rx.input(
                    name="proof", id="tf-proof", type="password", auto_complete="off", width="100%"
                ),
                rx.button(
                    "Turn off two-factor login",
                    type="submit",
                    color_scheme="red",
                    variant="soft",
                    id="totp-disable",
                ),
                spacing="2",
                max_width="360px",
            ),
            on_submit=TwoFactorState.disable,
            reset_on_submit=True,
        ),
        spacing="3",
    )


def totp_card() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("Two-factor login", size="4", as_="h2"),
            rx.text(
                "After your password, qrapp asks for a code from an app on your phone.",
                **MUTED_MD,
            ),
            rx.cond(
                TwoFactorState.notice,
                rx.callout.root(
                    rx.callout.text(TwoFactorState.notice),
                    color_scheme="green",
                    role="status",
                    id="security-notice",
                    high_contrast=True,
                ),
            ),
            _alert(TwoFactorState.error, "security-error"),
            rx.cond(
                TwoFactorState.totp_on,
                _when_on(),
                rx.cond(
                    TwoFactorState.enrolling,
                    _enrolment(),
                    rx.button(
                        "Set up an authenticator app",
                        on_click=TwoFactorState.start_enrolment,
                        id="totp-start",
                    ),
                ),
            ),
            _new_codes(),
            spacing="3",
            width="100%",
        )
    )


def _passkey_row(row: PasskeyRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row["name"]),
        rx.table.cell(row["added"]),
        rx.table.cell(row["last_used"]),
        rx.table.cell(
            rx.button(
                "Remove",
                size="1",
                variant="soft",
                color_scheme="red",
                aria_label="Remove passkey " + row["name"],
                on_click=TwoFactorState.remove_passkey(row["id"]),
            )
        ),
    )


def passkeys_card() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("Passkeys", size="4", as_="h2"),
            rx.text(
                "Log in with your fingerprint, face or device PIN instead of a password, "
                "or use a passkey as your second step.",
                **MUTED_MD,
            ),
            rx.cond(
                TwoFactorState.passkey_rows.length() > 0,
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell("Name"),
                            rx.table.column_header_cell("Added"),
                            rx.table.column_header_cell("Last used"),
                            rx.table.column_header_cell(
                                rx.el.span("Actions", style=VISUALLY_HIDDEN)
                            ),
                        )
                    ),
                    rx.table.body(rx.foreach(TwoFactorState.passkey_rows, _passkey_row)),
                    id="passkey-list",
                    width="100%",
                ),
                rx.text("No passkeys yet.", **MUTED_MD, id="no-passkeys"),
            ),
            _alert(TwoFactorState.passkey_error, "passkey-error"),
            rx.form(
                rx.vstack(
                    field_label("Name of the new passkey", "passkey-name"),
                    rx.input(
                        name="name",
                        id="passkey-name",
                        placeholder="Work laptop",
                        width="100%",
                        max_length=60,
                    ),
                    rx.button(
                        rx.icon("key-round"), "Add a passkey", type="submit", id="passkey-add"
                    ),
                    spacing="2",
                    max_width="360px",
                ),
                on_submit=TwoFactorState.add_passkey,
                reset_on_submit=True,
            ),
            spacing="3",
            width="100%",
        )
    )


def workspace_rule_card() -> rx.Component:
    return rx.cond(
        TwoFactorState.can_set_requirement,
        card(
            rx.vstack(
                rx.heading("Workspace rule", size="4", as_="h2"),
                rx.hstack(
                    rx.switch(
                        id="require-two-factor",
                        checked=TwoFactorState.workspace_requires,
                        on_change=TwoFactorState.set_requirement,
                    ),
                    field_label("Members must use two-factor login", "require-two-factor"),
                    align="center",
                ),
                rx.text(
                    "Members without it set it up at their next login, before they reach "
                    "the dashboard.",
                    **MUTED_MD,
                ),
                spacing="2",
            )
        ),
    )
