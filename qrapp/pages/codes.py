import reflex as rx

from qrapp.components.library import library
from qrapp.components.shell import signed_in_page
from qrapp.state.library import LibraryState


@signed_in_page("/codes", "QR codes", on_load=LibraryState.load)
def codes() -> rx.Component:
    return library()
