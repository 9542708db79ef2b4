"""The layout of a code's page: header, stats, preview beside the settings cards."""

from __future__ import annotations

import reflex as rx
from reflex.utils.imports import ImportVar
from reflex.vars.base import VarData

from qrapp.components.billing_notice import code_paused_callout
from qrapp.components.charts import stat_card
from qrapp.components.code_page.destination import destination_card, static_content_card, utm_card
from qrapp.components.code_page.domain import domain_card
from qrapp.components.code_page.header import delete_dialog, header
from qrapp.components.code_page.preview import preview_column
from qrapp.components.code_page.validity import validity_card
from qrapp.components.code_rules import password_card, rules_card, simulator_card
from qrapp.components.panels import empty_state
from qrapp.components.shell import page_skeleton
from qrapp.core import routes
from qrapp.state.code_detail import CodeDetailState as C

# The address in the browser, read in the browser: after a click to another code the page
# renders at once with the state of the code before, and the server's load answers later.
_PATHNAME: rx.Var[str] = rx.Var(
    _js_expr="codePagePathname",
    _var_type=str,
    _var_data=VarData(
        imports={"react-router": [ImportVar(tag="useLocation")]},
        hooks={"const { pathname: codePagePathname } = useLocation();": None},
    ),
).to(str)


def code_page() -> rx.Component:
    showing_another_code = ~_PATHNAME.contains(C.code_id)
    return rx.cond(C.loading | showing_another_code, page_skeleton(), _loaded())


def _loaded() -> rx.Component:
    return rx.cond(
        C.found,
        rx.vstack(
            header(),
            # The owner's own pause decides a scan first (as at the edge): no callout then.
            rx.cond(
                C.billing_paused & (C.status == "active"),
                code_paused_callout(C.plan_ended_on, C.can_pay, id="billing-paused"),
            ),
            rx.cond(
                C.is_dynamic,
                rx.grid(
                    stat_card("Scans today", C.today, "sun"),
                    stat_card("Last 7 days", C.week, "calendar-days"),
                    stat_card("All time", C.total, "sigma"),
                    columns=rx.breakpoints(initial="1", sm="3"),
                    spacing="3",
                    width="100%",
                ),
            ),
            rx.grid(
                preview_column(),
                rx.vstack(
                    rx.cond(C.is_dynamic, destination_card()),
                    rx.cond(C.is_dynamic, domain_card()),
                    rx.cond(C.is_dynamic, validity_card()),
                    rx.cond(C.is_dynamic, rules_card()),
                    rx.cond(C.is_dynamic, simulator_card()),
                    rx.cond(C.is_dynamic, password_card()),
                    rx.cond(C.is_dynamic, utm_card()),
                    rx.cond(~C.is_dynamic, static_content_card()),
                    spacing="4",
                    width="100%",
                ),
                columns=rx.breakpoints(initial="1", md="2fr 3fr"),
                spacing="5",
                width="100%",
            ),
            delete_dialog(),
            spacing="5",
            width="100%",
        ),
        empty_state(
            "search-x",
            "Code not found",
            "It may have been deleted, or it belongs to another workspace.",
            rx.link(rx.button("Back to the library", tab_index=-1), href=routes.CODES),
        ),
    )
