import reflex as rx

from qrapp.components.home import home
from qrapp.core import routes
from qrapp.state.home import HomeState


@rx.page(
    route=routes.HOME,
    title="qrapp · QR codes you can change after printing",
    description="Design QR codes that scan, change where they go after printing, and see "
    "who scans them. Try it without an account.",
    on_load=HomeState.load,
)
def index() -> rx.Component:
    return home()
