"""Landing pages: the list (/landing-pages), the builder (/landing-pages/<id>) and a page's
leads (/landing-pages/<id>/leads)."""

import reflex as rx

from qrapp.components.builder import builder
from qrapp.components.page_leads import page_leads
from qrapp.components.page_list import page_list
from qrapp.components.shell import signed_in_page
from qrapp.core import routes
from qrapp.state.page_builder import BuilderState
from qrapp.state.page_leads import PageLeadsState
from qrapp.state.page_list import PageListState


@signed_in_page(routes.LANDING_PAGES, "Landing pages", on_load=PageListState.load)
def landing_pages() -> rx.Component:
    return page_list()


@signed_in_page(routes.LANDING_PAGE, "Page builder", on_load=BuilderState.load)
def landing_page_builder() -> rx.Component:
    return builder()


@signed_in_page(routes.LANDING_PAGE_LEADS, "Leads", on_load=PageLeadsState.load)
def landing_page_leads() -> rx.Component:
    return page_leads()
