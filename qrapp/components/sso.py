"""Settings -> Single sign-on: the connections, the OpenID Connect form and the e-mail
domains with their TXT records. SAML and LDAP add their own forms as components of their
own beside `oidc_form` (see pages/sso.py)."""

from __future__ import annotations

import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.panels import card, empty_state, field_error, native_select
from qrapp.components.settings_page import (
    CODE_TEXT,
    form_field,
    labelled_checkbox,
    save_or_cancel,
)
from qrapp.components.styles import MUTED_MD
from qrapp.state.sso import ConnectionRow, DomainRow, SsoState
from qrapp.state.sso_saml_ldap import SamlLdapState

S = SsoState


def _text_field(label: str, name: str, error: rx.Var, value: rx.Var, **props) -> rx.Component:
    return form_field(
        label,
        f"sso-{name.replace('_', '-')}",
        error,
        error != "",
        name=name,
        default_value=value,
        **props,
    )


def _checkbox(name: str, label: str, checked: rx.Var, hint: str) -> rx.Component:
    return rx.vstack(
        labelled_checkbox(name, f"sso-{name.replace('_', '-')}", label, checked),
        rx.text(hint, **MUTED_MD),
        spacing="0",
    )


def oidc_form() -> rx.Component:
    return card(
        rx.form(
            rx.vstack(
                rx.heading(
                    rx.cond(
                        S.editing_id != "",
                        "Edit OpenID Connect connection",
                        "Add an OpenID Connect connection",
                    ),
                    size="4",
                    as_="h2",
                    id="oidc-form-heading",
                ),
                rx.text(
                    "Register qrapp with your identity provider (Okta, Entra ID, Google "
                    "Workspace, Keycloak…) as a web application with this redirect URI:",
                    **MUTED_MD,
                ),
                rx.text(S.callback_url, id="sso-callback-url", **CODE_TEXT),
                _text_field("Name", "name", S.name_error, S.form_name),
                _text_field(
                    "Issuer URL",
                    "issuer",
                    S.issuer_error,
                    S.form_issuer,
                    type="url",
                    placeholder="https://login.example.com",
                ),
                _text_field("Client ID", "client_id", S.client_id_error, S.form_client_id),
                _text_field(
                    "Client secret",
                    "client_secret",
                    S.secret_error,
                    "",
                    type="password",
                    auto_complete="off",
                    placeholder=rx.cond(
                        S.form_secret_hint != "",
                        "Stored (" + S.form_secret_hint + "): leave empty to keep it",
                        "",
                    ),
                ),
                rx.vstack(
                    field_label("Default role of new members", "sso-default-role"),
                    native_select(
                        rx.foreach(S.role_choices, lambda c: rx.el.option(c[1], value=c[0])),
                        id_="sso-default-role",
                        name="default_role",
                        default_value=S.form_role,
                    ),
                    field_error(S.role_error, S.role_error != ""),
                    spacing="1",
                    width="100%",
                ),
                _checkbox("enabled", "Enabled", S.form_enabled, "People can sign in through it."),
                _checkbox(
                    "sso_only",
                    "SSO only",
                    S.form_sso_only,
                    "People of your verified domains cannot log in or reset a password: "
                    "they sign in through your identity provider.",
                ),
                save_or_cancel(
                    S.editing_id != "",
                    "Add connection",
                    "Save connection",
                    S.cancel_edit,
                    "oidc",
                ),
                spacing="3",
                width="100%",
                max_width="560px",
            ),
            on_submit=S.save_oidc,
            reset_on_submit=False,
            key=S.form_key.to(str),
        ),
        id="oidc-form",
    )


def _edit_button(row: rx.Var, on_click) -> rx.Component:
    return rx.button(
        "Edit",
        variant="soft",
        color_scheme="gray",
        on_click=on_click,
        class_name="edit-sso",
        aria_label="Edit " + row["name"],
    )


def _connection_card(c: ConnectionRow) -> rx.Component:
    row: rx.Var = c  # type: ignore[assignment]
    return card(
        rx.vstack(
            rx.hstack(
                rx.heading(row["name"], size="3", as_="h3"),
                rx.badge(row["protocol_label"], high_contrast=True),
                rx.cond(
                    row["enabled"],
                    rx.badge("Enabled", color_scheme="green", high_contrast=True),
                    rx.badge("Disabled", color_scheme="red", high_contrast=True),
                ),
                rx.cond(row["sso_only"], rx.badge("SSO only", high_contrast=True)),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            rx.cond(row["issuer"] != "", rx.text("Issuer: ", row["issuer"], size="2")),
            rx.cond(row["client_id"] != "", rx.text("Client ID: ", row["client_id"], size="2")),
            rx.text("New members join as ", row["default_role"], ".", size="2"),
            rx.hstack(
                rx.button(
                    "Test sign-in",
                    variant="soft",
                    on_click=S.test_login(row["id"]),
                    class_name="test-sso",
                    aria_label="Test sign-in through " + row["name"],
                ),
                rx.cond(
                    row["protocol"] == "oidc",
                    _edit_button(row, S.edit(row["id"])),
                    # SAML and LDAP have their own forms (state/sso_saml_ldap.py).
                    _edit_button(row, SamlLdapState.edit(row["id"])),
                ),
                rx.cond(
                    row["enabled"],
                    rx.button(
                        "Disable",
                        variant="soft",
                        color_scheme="gray",
                        on_click=S.set_enabled(row["id"], False),
                        aria_label="Disable " + row["name"],
                    ),
                    rx.button(
                        "Enable",
                        variant="soft",
                        on_click=S.set_enabled(row["id"], True),
                        aria_label="Enable " + row["name"],
                    ),
                ),
                rx.button(
                    "Delete",
                    variant="soft",
                    color_scheme="red",
                    on_click=S.delete(row["id"]),
                    aria_label="Delete " + row["name"],
                ),
                wrap="wrap",
                spacing="2",
            ),
            spacing="2",
            width="100%",
        ),
        class_name="sso-connection",
    )


def connection_list() -> rx.Component:
    return rx.cond(
        S.connections.length() > 0,
        rx.vstack(rx.foreach(S.connections, _connection_card), spacing="3", width="100%"),
        empty_state(
            "key-square",
            "No single sign-on yet",
            "Add a connection to your identity provider, then verify your e-mail domains.",
        ),
    )


def _domain_row(d: DomainRow) -> rx.Component:
    row: rx.Var = d  # type: ignore[assignment]
    return rx.table.row(
        rx.table.row_header_cell(rx.text(row["domain"], weight="medium")),
        rx.table.cell(
            rx.vstack(
                rx.text("TXT ", rx.text.span(row["record_name"], **CODE_TEXT), size="2"),
                rx.text(row["record_value"], class_name="sso-txt-value", **CODE_TEXT),
                spacing="1",
            )
        ),
        rx.table.cell(
            rx.cond(
                row["verified"],
                rx.badge("Verified", color_scheme="green", high_contrast=True),
                rx.vstack(
                    rx.badge("Not verified", color_scheme="amber", high_contrast=True),
                    rx.text(row["reason"], size="2"),
                    spacing="1",
                ),
            ),
            class_name="sso-domain-status",
        ),
        rx.table.cell(
            rx.hstack(
                rx.cond(
                    row["verified"],
                    rx.fragment(),
                    rx.button(
                        "Check now",
                        size="1",
                        variant="soft",
                        on_click=S.check_domain(row["id"]),
                        class_name="check-domain",
                        aria_label="Check " + row["domain"] + " now",
                    ),
                ),
                rx.button(
                    "Remove",
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=S.remove_domain(row["id"]),
                    aria_label="Remove " + row["domain"],
                ),
                spacing="2",
            )
        ),
        class_name="sso-domain",
    )


def domains_card() -> rx.Component:
    return card(
        rx.vstack(
            rx.heading("E-mail domains", size="4", as_="h2"),
            rx.text(
                "Single sign-on admits only people whose e-mail is in a verified domain. "
                "Prove a domain is yours with a DNS TXT record; a domain belongs to one "
                "workspace.",
                **MUTED_MD,
            ),
            rx.cond(
                S.domains.length() > 0,
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(h)
                                for h in ("Domain", "TXT record", "Status", "Actions")
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(S.domains, _domain_row)),
                    width="100%",
                ),
            ),
            rx.form(
                rx.vstack(
                    field_label("Add a domain", "sso-domain"),
                    rx.hstack(
                        rx.input(
                            name="domain",
                            id="sso-domain",
                            placeholder="example.com",
                            aria_invalid=rx.cond(S.domain_error, "true", "false"),
                            aria_describedby="sso-domain-error",
                            width="100%",
                        ),
                        rx.button("Add domain", type="submit", id="add-sso-domain"),
                        width="100%",
                    ),
                    rx.box(
                        field_error(S.domain_error, S.domain_error != ""), id="sso-domain-error"
                    ),
                    spacing="1",
                    width="100%",
                    max_width="560px",
                ),
                on_submit=S.add_domain,
                reset_on_submit=False,
            ),
            spacing="3",
            width="100%",
        ),
        id="sso-domains",
    )
