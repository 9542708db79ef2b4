"""A SAML connection's config: the identity provider's metadata (pasted XML, or a URL we
fetch it from once at save time), checked and reduced to what sign-in needs.

Config keys: idp_metadata_xml, idp_metadata_url, idp_entity_id (read from the metadata),
email_attribute, name_attribute, groups_attribute, group_roles ({group: role}).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import httpx
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from qrapp.core.permissions import Role
from qrapp.services.errors import FieldErrors
from qrapp.services.webhooks import addresses

MD = "{urn:oasis:names:tc:SAML:2.0:metadata}"
DS = "{http://www.w3.org/2000/09/xmldsig#}"
METADATA_MAX_BYTES = 512 * 1024
ROLES = (Role.VIEWER.value, Role.EDITOR.value, Role.ADMIN.value)
DEFAULT_ATTRIBUTES = {"email_attribute": "mail", "name_attribute": "displayName",
                      "groups_attribute": "groups"}  # fmt: skip


def fetch_metadata(url: str) -> str:
    """The metadata document at `url` (https, or http on a test set-up), as text."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise FieldErrors({"idp_metadata_url": "Give the metadata URL, starting with https://."})
    try:  # the webhooks' address rules: an admin's URL must not reach our own network
        addresses.check(url)
    except addresses.UnsafeUrl as exc:
        raise FieldErrors({"idp_metadata_url": str(exc)}) from None
    try:
        with httpx.stream("GET", url, timeout=10, follow_redirects=False) as response:
            if response.status_code != 200:
                raise FieldErrors(
                    {"idp_metadata_url": f"The metadata URL answered {response.status_code}."}
                )
            body = b""
            for chunk in response.iter_bytes():
                body += chunk
                if len(body) > METADATA_MAX_BYTES:
                    raise FieldErrors({"idp_metadata_url": "That metadata file is too large."})
    except httpx.HTTPError:
        raise FieldErrors(
            {
                "idp_metadata_url": "The metadata URL could not be reached. Check it, or paste "
                "the metadata XML instead."
            }
        ) from None
    return body.decode("utf-8", "replace")


def idp_facts(xml: str) -> dict[str, str]:
    """The IdP's entity id and redirect-binding sign-in URL from its metadata; FieldErrors
    when the document is not IdP metadata with a signing certificate."""
    bad = FieldErrors({"idp_metadata_xml": "That is not SAML identity provider metadata."})
    if not xml.strip() or len(xml.encode()) > METADATA_MAX_BYTES:
        raise bad
    try:
        root = ElementTree.fromstring(xml.strip().encode())
    except (ElementTree.ParseError, DefusedXmlException):
        raise bad from None
    entity = root if root.tag == f"{MD}EntityDescriptor" else root.find(f"{MD}EntityDescriptor")
    idp = entity.find(f"{MD}IDPSSODescriptor") if entity is not None else None
    if entity is None or idp is None or not entity.get("entityID"):
        raise bad
    sso = [
        e.get("Location", "")
        for e in idp.findall(f"{MD}SingleSignOnService")
        if e.get("Binding", "").endswith("HTTP-Redirect")
    ]
    if not sso or not sso[0]:
        raise FieldErrors(
            {"idp_metadata_xml": "The metadata names no sign-in address (HTTP-Redirect)."}
        )
    certs = [
        kd
        for kd in idp.findall(f"{MD}KeyDescriptor")
        if kd.get("use", "signing") == "signing" and kd.find(f".//{DS}X509Certificate") is not None
    ]
    if not certs:
        # Signed assertions are required, so a certificate to check them is too.
        raise FieldErrors(
            {
                "idp_metadata_xml": "The metadata has no signing certificate, so its "
                "assertions could not be checked."
            }
        )
    return {"idp_entity_id": entity.get("entityID", ""), "idp_sso_url": sso[0]}


def _attribute(config: Mapping[str, Any], key: str) -> str:
    value = " ".join(str(config.get(key) or "").split())[:100]
    return value or DEFAULT_ATTRIBUTES[key]


def _group_roles(raw: Any, errors: dict[str, str]) -> dict[str, str]:
    if not raw:
        return {}
    if not isinstance(raw, Mapping):
        errors["group_roles"] = "Map each group to viewer, editor or admin."
        return {}
    out: dict[str, str] = {}
    for group, role in list(raw.items())[:50]:
        group = str(group).strip()[:300]
        if group and role in ROLES:
            out[group] = str(role)
        elif group:
            errors["group_roles"] = f"Choose viewer, editor or admin for {group}."
    return out


def keep_metadata(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """On an edit the metadata XML field is blank (the form never shows it back): then the
    imported metadata stays, unless a different URL was given or a fetch asked for (the
    IdP rotated its certificate). A blank URL with a blank XML keeps both."""
    merged = dict(new)
    if str(merged.get("idp_metadata_xml") or "").strip() or not old.get("idp_metadata_xml"):
        return merged
    url = str(merged.get("idp_metadata_url") or "").strip()
    old_url = str(old.get("idp_metadata_url") or "")
    if not url or (url == old_url and not merged.get("refetch_metadata")):
        merged["idp_metadata_url"] = url or old_url
        merged["idp_metadata_xml"] = old["idp_metadata_xml"]
    return merged


def check_config(config: Mapping[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    url = str(config.get("idp_metadata_url") or "").strip()[:2000]
    xml = str(config.get("idp_metadata_xml") or "").strip()
    if not xml and url:
        xml = fetch_metadata(url)
    if not xml:
        raise FieldErrors(
            {"idp_metadata_xml": "Paste your identity provider's metadata, or give its URL."}
        )
    facts = {}
    try:
        facts = idp_facts(xml)
    except FieldErrors as exc:
        errors |= exc.errors
    group_roles = _group_roles(config.get("group_roles"), errors)
    if errors:
        raise FieldErrors(errors)
    return {
        "idp_metadata_url": url,
        "idp_metadata_xml": xml,
        **facts,
        **{key: _attribute(config, key) for key in DEFAULT_ATTRIBUTES},
        "group_roles": group_roles,
    }
