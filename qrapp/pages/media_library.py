"""The workspace's media library (/media)."""

import reflex as rx

from qrapp.components.media_library import media_library
from qrapp.components.shell import signed_in_page
from qrapp.core import routes
from qrapp.state.media_library import MediaLibraryState


@signed_in_page(routes.MEDIA, "Media", on_load=MediaLibraryState.load)
def media_library_page() -> rx.Component:
    return media_library()
