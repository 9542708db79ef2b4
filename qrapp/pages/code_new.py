import reflex as rx

from qrapp.components.designer import type_grid
from qrapp.components.designer.lazy import lazy_editor
from qrapp.components.shell import signed_in_page
from qrapp.core import routes
from qrapp.state.designer import DesignerState


@signed_in_page(routes.CODE_NEW, "New QR code", on_load=DesignerState.load_new)
def code_new() -> rx.Component:
    return rx.cond(
        DesignerState.content_type == "",
        type_grid(),
        rx.vstack(
            rx.link(
                rx.hstack(rx.icon("arrow-left", size=14), "Choose another type"),
                href=routes.CODE_NEW,
                size="2",
            ),
            # Focus lands here once a type is chosen (DesignerState.load_new).
            rx.heading(
                "New code: ",
                DesignerState.type_label,
                size="6",
                as_="h2",
                id="designer-title",
                tab_index=-1,
            ),
            lazy_editor("Save code"),
            width="100%",
            spacing="3",
        ),
    )


@signed_in_page(routes.CODE_EDIT, "Edit QR code", on_load=DesignerState.load_edit)
def code_edit() -> rx.Component:
    return rx.cond(
        DesignerState.content_type == "",
        rx.center(rx.spinner(size="3"), height="50vh"),
        rx.vstack(
            rx.heading(
                "Editing: ",
                DesignerState.type_label,
                " code",
                size="6",
                as_="h2",
                id="designer-title",
                tab_index=-1,
            ),
            lazy_editor("Save changes"),
            width="100%",
            spacing="3",
        ),
    )
