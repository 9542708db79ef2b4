"""The app's toast provider, with sonner fetched on the first toast (lazy_toaster.jsx).

Reflex's provider imports sonner on every page (14 KB gzip of each page's JavaScript);
this one keeps Reflex's props (rich colours, expanded, bottom right, no close button)
and the `refs['__toast']` that rx.toast and the connection notices call.
"""

from __future__ import annotations

import reflex as rx

_JSX = rx.asset("lazy_toaster.jsx", shared=True)


class LazyToaster(rx.Component):
    library = _JSX.importable_path
    tag = "LazyToaster"
    # Installed for the dynamic import in lazy_toaster.jsx (the version rx.toast uses).
    lib_dependencies: list[str] = ["sonner@2.0.8"]

    rich_colors: rx.Var[bool]
    expand: rx.Var[bool]
    position: rx.Var[str]
    close_button: rx.Var[bool]


def lazy_toaster() -> rx.Component:
    return LazyToaster.create(
        rich_colors=True, expand=True, position="bottom-right", close_button=False
    )
