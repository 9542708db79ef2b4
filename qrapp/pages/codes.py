import reflex as rx

from qrapp.components.library import library
from qrapp.components.shell import signed_in_page
from qrapp.core import routes
from qrapp.state.library import LibraryState


@signed_in_page(routes.CODES, "QR codes", on_load=LibraryState.load)
def codes() -> rx.Component:
    return library()
