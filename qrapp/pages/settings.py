import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.panels import card, native_select
from qrapp.components.plan_limit import plan_limit_callout
from qrapp.components.shell import signed_in_page
from qrapp.components.styles import MUTED_MD
from qrapp.core import routes
from qrapp.state.session import SessionState
from qrapp.state.settings_page import SettingsState


def _password_input(name: str, label: str, autocomplete: str) -> rx.Component:
    return rx.vstack(
        field_label(label, f"pw-{name}"),
        rx.input(
            name=name, id=f"pw-{name}", type="password", auto_complete=autocomplete, width="100%"
        ),
        spacing="1",
        width="100%",
    )


def _password_card() -> rx.Component:
    return card(
        rx.form(
            rx.vstack(
                rx.heading("Password", size="4", as_="h2"),
                rx.text("Changing it logs out every other device.", **MUTED_MD),
                _password_input("current", "Current password", "current-password"),
                _password_input("new", "New password", "new-password"),
                _password_input("new_again", "New password again", "new-password"),
                rx.cond(
                    SettingsState.password_error,
                    rx.text(
                        SettingsState.password_error, color_scheme="red", size="2", role="alert"
                    ),
                ),
                rx.button("Change password", type="submit", id="change-password"),
                spacing="3",
                max_width="420px",
            ),
            on_submit=SettingsState.change_password,
            reset_on_submit=True,
        )
    )


def _workspace_card() -> rx.Component:
    return card(
        rx.form(
            rx.vstack(
                rx.heading("Workspace", size="4", as_="h2"),
                rx.text("Your role here: ", SessionState.role, **MUTED_MD),
                rx.input(
                    name="name",
                    default_value=SessionState.workspace_name,
                    key=SessionState.workspace_name,
                    disabled=~SettingsState.can_rename,
                    width="100%",
                    aria_label="Workspace name",
                ),
                rx.cond(
                    SettingsState.workspace_error,
                    rx.text(SettingsState.workspace_error, color_scheme="red", size="2"),
                ),
                rx.cond(
                    SettingsState.can_rename,
                    rx.button("Rename workspace", type="submit"),
                    rx.text("Only owners and admins can rename it.", **MUTED_MD),
                ),
                spacing="3",
                max_width="420px",
            ),
            on_submit=SettingsState.rename_workspace,
        )
    )


def _analytics_card() -> rx.Component:
    field = {"width": "100%", "disabled": ~SettingsState.can_rename}
    return card(
        rx.form(
            rx.vstack(
                rx.heading("Analytics", size="4", as_="h2"),
                rx.text(
                    "Days, hours and the weekday heat map count in this time zone. Scans "
                    "older than the retention period are deleted every night.",
                    size="2",
                    color_scheme="gray",
                ),
                field_label("Time zone", "ws-tz"),
                native_select(
                    rx.foreach(SettingsState.time_zones, lambda z: rx.el.option(z, value=z)),
                    id_="ws-tz",
                    name="timezone",
                    default_value=SettingsState.timezone,
                    # New options with the same time zone: remount, so it is selected.
                    key=SettingsState.timezone + SettingsState.time_zones.length().to_string(),
                    **field,
                ),
                field_label("Keep scans for", "ws-keep"),
                native_select(
                    rx.foreach(
                        SettingsState.retention_choices,
                        lambda c: rx.el.option(c[1], value=c[0]),
                    ),
                    id_="ws-keep",
                    name="retention_days",
                    default_value=SettingsState.retention_days,
                    key=SettingsState.retention_days,
                    **field,
                ),
                rx.cond(
                    SettingsState.analytics_error,
                    rx.text(
                        SettingsState.analytics_error, color_scheme="red", size="2", role="alert"
                    ),
                ),
                plan_limit_callout(SettingsState.plan_limit, "retention-plan-limit"),
                rx.cond(
                    SettingsState.can_rename,
                    rx.button("Save analytics settings", type="submit", id="save-analytics"),
                    rx.text(
                        "Only owners and admins can change these.", size="2", color_scheme="gray"
                    ),
                ),
                spacing="3",
                max_width="420px",
            ),
            on_submit=SettingsState.save_analytics,
        )
    )


def _profile_card() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("Account", size="4", as_="h2"),
            rx.text("Name: ", SessionState.user_name),
            rx.text("E-mail: ", SessionState.user_email),
            rx.hstack(
                field_label("Dark mode", "dark-mode"),
                rx.color_mode.switch(id="dark-mode"),
                align="center",
            ),
            spacing="2",
        )
    )


def _integrations_card() -> rx.Component:
    return rx.cond(
        SettingsState.can_webhooks,
        card(
            rx.vstack(
                rx.heading("Integrations", size="4", as_="h2"),
                rx.text("Send signed events to your own systems as they happen.", **MUTED_MD),
                rx.link("Webhooks", href=routes.SETTINGS_WEBHOOKS, id="webhooks-link"),
                rx.link("Domains", href=routes.SETTINGS_DOMAINS, id="domains-link"),
                # brand lane: the same owners and admins (BRAND_MANAGE) as webhooks
                rx.link("Brand", href=routes.SETTINGS_BRAND, id="brand-link"),
                rx.cond(
                    SettingsState.can_sso,
                    rx.link("Single sign-on", href=routes.SETTINGS_SSO, id="sso-link"),
                ),
                spacing="2",
            )
        ),
    )


def _security_card() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("Security", size="4", as_="h2"),
            rx.text(
                "Two-factor login, passkeys, where you are signed in, and who may use this"
                " workspace from where.",
                **MUTED_MD,
            ),
            rx.link(
                "Security settings",
                href=routes.SETTINGS_SECURITY,
                id="security-link",
            ),
            rx.cond(
                SettingsState.can_audit,
                rx.link("Audit log", href=routes.SETTINGS_AUDIT, id="audit-link"),
            ),
            spacing="2",
        )
    )


@signed_in_page(routes.SETTINGS, "Settings", on_load=SettingsState.load)
def settings() -> rx.Component:
    return rx.vstack(
        rx.cond(
            SettingsState.password_changed,
            rx.callout.root(
                rx.callout.icon(rx.icon("badge-check")),
                rx.callout.text("Password changed. Other devices were logged out."),
                color_scheme="green",
                id="password-changed",
            ),
        ),
        _profile_card(),
        _password_card(),
        _security_card(),
        _workspace_card(),
        _analytics_card(),
        _integrations_card(),
        spacing="5",
        width="100%",
    )
