"""Settings -> Security, the workspace's IP allowlist form (owners and admins)."""

from __future__ import annotations

import reflex as rx

from qrapp.components.fields import field_label
from qrapp.components.panels import card
from qrapp.components.plan_limit import plan_limit_callout
from qrapp.components.styles import MUTED_MD
from qrapp.state.ip_allowlist import IpAllowlistState


def ip_allowlist_card() -> rx.Component:
    return rx.cond(
        IpAllowlistState.can_edit,
        card(
            rx.form(
                rx.vstack(
                    rx.heading("IP allowlist", size="4", as_="h2"),
                    rx.text(
                        "Members and API keys can use this workspace only from these "
                        "networks. Public scans of your codes are never affected. Leave "
                        "it empty to allow every address.",
                        **MUTED_MD,
                    ),
                    rx.text(
                        "Your address now: ",
                        rx.code(IpAllowlistState.your_ip, id="your-ip"),
                        **MUTED_MD,
                    ),
                    field_label(
                        "Allowed networks (one per line, IPv4 or IPv6, e.g. 203.0.113.0/24)",
                        "ip-allowlist",
                    ),
                    rx.text_area(
                        name="ip_allowlist",
                        id="ip-allowlist",
                        default_value=IpAllowlistState.entries_text,
                        key=IpAllowlistState.entries_text,
                        rows="5",
                        width="100%",
                        font_family="monospace",
                    ),
                    rx.cond(
                        IpAllowlistState.error,
                        rx.text(
                            IpAllowlistState.error,
                            color_scheme="red",
                            size="2",
                            role="alert",
                            id="ip-allowlist-error",
                        ),
                    ),
                    plan_limit_callout(IpAllowlistState.plan_limit, "ip-allowlist-plan-limit"),
                    rx.cond(
                        IpAllowlistState.plan_allows,
                        rx.fragment(),
                        rx.text(
                            "IP allowlists come with the Enterprise plan (yours: ",
                            IpAllowlistState.plan_name,
                            ").",
                            **MUTED_MD,
                        ),
                    ),
                    rx.button("Save allowlist", type="submit", id="save-ip-allowlist"),
                    spacing="3",
                    max_width="560px",
                    width="100%",
                ),
                on_submit=IpAllowlistState.save,
            )
        ),
    )
