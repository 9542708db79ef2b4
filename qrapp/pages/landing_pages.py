"""Landing pages: the list (/landing-pages), the builder (/landing-pages/<id>), a page's
leads (/landing-pages/<id>/leads) and its A/B test (/landing-pages/<id>/ab-test)."""

import reflex as rx

from qrapp.components.builder import builder
from qrapp.components.page_ab import page_ab_test
from qrapp.components.page_leads import page_leads
from qrapp.components.page_list import page_list
from qrapp.components.shell import signed_in_page
from qrapp.core import routes
from qrapp.state.page_ab import PageAbState
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


@signed_in_page(routes.LANDING_PAGE_AB_TEST, "A/B test", on_load=PageAbState.load)
def landing_page_ab_test() -> rx.Component:
    return page_ab_test()
