"""Settings -> Single sign-on: the SAML 2.0 and LDAP forms and what an admin needs to set
up their side (our SP metadata, entity id and ACS URL; the LDAP "Test connection")."""

from __future__ import annotations

import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.panels import card, field_error, native_select
from qrapp.components.settings_page import (
    CODE_TEXT,
    form_field,
    labelled_checkbox,
    save_or_cancel,
)
from qrapp.components.styles import MUTED_MD
from qrapp.state.sso_saml_ldap import ProtocolRow, SamlLdapState

S = SamlLdapState


def _field(
    prefix: str,
    label: str,
    name: str,
    errors: rx.Var,
    *,
    area: bool = False,
    hint: str = "",
    keep_value: bool = True,
    **props,
) -> rx.Component:
    if keep_value:  # an edit starts from the stored value; secrets and the XML never do
        props["default_value"] = _values(prefix)[name].to(str)
    return form_field(
        label,
        f"{prefix}-{name.replace('_', '-')}",
        errors[name].to(str),
        errors.contains(name),
        control=rx.text_area if area else rx.input,
        hint=hint,
        name=name,
        **props,
    )


def _values(prefix: str) -> rx.Var:
    return S.saml_values if prefix == "saml" else S.ldap_values


def _editing(prefix: str) -> rx.Var:
    return (S.editing_id != "") & (S.editing_protocol == prefix)


def _common(prefix: str, errors: rx.Var) -> list[rx.Component]:
    role_id = f"{prefix}-default-role"
    values = _values(prefix)
    return [
        rx.vstack(
            field_label(
                f"Role for new {'SAML' if prefix == 'saml' else 'directory'} members", role_id
            ),
            native_select(
                [rx.el.option(r.capitalize(), value=r) for r in ("viewer", "editor", "admin")],
                id_=role_id,
                name="default_role",
                default_value=rx.cond(
                    values.contains("default_role"), values["default_role"].to(str), "viewer"
                ),
            ),
            field_error(errors["default_role"].to(str), errors.contains("default_role")),
            spacing="1",
            width="100%",
        ),
        _checkbox(prefix, "enabled", "Enabled", True),
        _checkbox(
            prefix, "sso_only", "SSO only (no password login for your verified domains)", False
        ),
    ]


def _checkbox(prefix: str, name: str, label: str, checked: bool) -> rx.Component:
    values = _values(prefix)
    # `checked` is the add form's default; an edit starts from the stored switch.
    start = rx.cond(values.contains(name), values[name].to(str) == "on", checked)
    return labelled_checkbox(name, f"{prefix}-{name.replace('_', '-')}", label, start)


def saml_form() -> rx.Component:
    e = S.saml_errors
    return card(
        rx.form(
            rx.vstack(
                rx.heading(
                    rx.cond(
                        _editing("saml"), "Edit SAML 2.0 connection", "Add a SAML 2.0 connection"
                    ),
                    size="4",
                    as_="h2",
                ),
                rx.text(
                    "Give your identity provider's metadata, by URL or pasted. Once added, "
                    "give your identity provider our metadata (shown with the connection). "
                    "Assertions must be signed.",
                    **MUTED_MD,
                ),
                _field("saml", "SAML connection title", "name", e),
                _field(
                    "saml",
                    "Metadata URL",
                    "idp_metadata_url",
                    e,
                    type="url",
                    placeholder="https://idp.example.com/metadata",
                ),
                _field(
                    "saml",
                    "…or metadata XML",
                    "idp_metadata_xml",
                    e,
                    area=True,
                    rows="4",
                    keep_value=False,
                    placeholder=rx.cond(
                        _editing("saml"),
                        "Imported from "
                        + S.saml_values["idp_entity_id"].to(str)
                        + ": leave empty to keep it",
                        "",
                    ),
                ),
                rx.cond(
                    _editing("saml"),
                    _checkbox(
                        "saml", "refetch_metadata", "Fetch the metadata again from the URL", False
                    ),
                ),
                _field("saml", "Mail attribute", "email_attribute", e, placeholder="mail"),
                _field("saml", "Groups attribute", "groups_attribute", e, placeholder="groups"),
                _field(
                    "saml",
                    "Group → role",
                    "group_roles",
                    e,
                    area=True,
                    rows="3",
                    hint="One a line: the group, a space, then viewer, editor or admin.",
                ),
                *_common("saml", e),
                save_or_cancel(
                    _editing("saml"),
                    "Add SAML connection",
                    "Save SAML connection",
                    S.cancel_edit,
                    "saml",
                ),
                spacing="3",
                width="100%",
                max_width="560px",
            ),
            on_submit=S.save_saml,
            reset_on_submit=False,
            key="saml-" + S.form_key.to(str),
        ),
        id="saml-form",
    )


def ldap_form() -> rx.Component:
    e = S.ldap_errors
    return card(
        rx.form(
            rx.vstack(
                rx.heading(
                    rx.cond(_editing("ldap"), "Edit LDAP directory", "Add an LDAP directory"),
                    size="4",
                    as_="h2",
                ),
                rx.text(
                    "People sign in with their directory password on “Sign in with your "
                    "company directory”. TLS is required: ldaps://, or ldap:// with StartTLS.",
                    **MUTED_MD,
                ),
                _field("ldap", "Directory title", "name", e),
                _field(
                    "ldap", "Directory URL", "url", e, placeholder="ldaps://ldap.example.com:636"
                ),
                _checkbox("ldap", "starttls", "Use StartTLS (for ldap:// URLs)", False),
                _field(
                    "ldap",
                    "CA certificate (PEM, optional)",
                    "ca_pem",
                    e,
                    area=True,
                    rows="3",
                    hint="The certificate authority of the directory's TLS certificate, if "
                    "it is not publicly trusted.",
                ),
                _field(
                    "ldap",
                    "Service account DN",
                    "bind_dn",
                    e,
                    placeholder="cn=qrapp,ou=services,dc=example,dc=com",
                ),
                _field(
                    "ldap",
                    "Service account password",
                    "bind_password",
                    e,
                    type="password",
                    auto_complete="off",
                    keep_value=False,
                    placeholder=rx.cond(
                        _editing("ldap") & (S.ldap_values["password_hint"].to(str) != ""),
                        "Stored ("
                        + S.ldap_values["password_hint"].to(str)
                        + "): leave empty to keep it",
                        "",
                    ),
                ),
                _field("ldap", "Base DN", "base_dn", e, placeholder="dc=example,dc=com"),
                _field("ldap", "User filter", "user_filter", e, placeholder="(mail={login})"),
                _field(
                    "ldap",
                    "Group DN → role",
                    "group_roles",
                    e,
                    area=True,
                    rows="3",
                    hint="One a line: the group's DN, a space, then viewer, editor or admin.",
                ),
                *_common("ldap", e),
                save_or_cancel(
                    _editing("ldap"),
                    "Add LDAP directory",
                    "Save LDAP directory",
                    S.cancel_edit,
                    "ldap",
                ),
                spacing="3",
                width="100%",
                max_width="560px",
            ),
            on_submit=S.save_ldap,
            reset_on_submit=False,
            key="ldap-" + S.form_key.to(str),
        ),
        id="ldap-form",
    )


def _row(row: ProtocolRow) -> rx.Component:
    r: rx.Var = row  # type: ignore[assignment]
    return rx.vstack(
        rx.heading(r["name"], size="3", as_="h3"),
        rx.cond(
            r["protocol"] == "saml",
            rx.vstack(
                rx.text("Our metadata, for your identity provider:", **MUTED_MD),
                rx.link(r["metadata_url"], href=r["metadata_url"], is_external=True, **CODE_TEXT),
                rx.text("Entity ID: ", rx.code(r["entity_id"]), size="2"),
                rx.text("ACS URL (HTTP-POST): ", rx.code(r["acs_url"]), size="2"),
                spacing="1",
            ),
            rx.hstack(
                rx.text(r["idp"], **CODE_TEXT),
                rx.button(
                    "Test connection",
                    type="button",
                    variant="soft",
                    on_click=S.test_ldap(r["id"]),
                    aria_label="Test connection " + r["name"].to(str),
                ),
                spacing="2",
                align="center",
            ),
        ),
        spacing="2",
        width="100%",
    )


def saml_ldap_connections() -> rx.Component:
    return rx.cond(
        S.rows.length() > 0,
        card(
            rx.vstack(
                rx.heading("SAML and LDAP set-up", size="4", as_="h2"),
                rx.cond(S.error, rx.text(S.error, color_scheme="red", role="alert")),
                rx.cond(S.notice, rx.text(S.notice, role="status", id="saml-ldap-notice")),
                rx.cond(
                    S.test_result,
                    rx.text(
                        S.test_result,
                        color_scheme=rx.cond(S.test_ok, "green", "red"),
                        role="status",
                        id="ldap-test-result",
                    ),
                ),
                rx.foreach(S.rows, _row),
                spacing="3",
                width="100%",
            ),
            id="saml-ldap-connections",
        ),
    )


def saml_ldap_section() -> rx.Component:
    """Everything of this lane on the Single sign-on page (its on_load: SamlLdapState.load)."""
    return rx.fragment(saml_ldap_connections(), saml_form(), ldap_form())
