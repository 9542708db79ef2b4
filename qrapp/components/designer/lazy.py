"""The designer's editor, fetched when it is first shown.

Reflex writes every memoized piece of a page into one JS module that the page imports
up front, so /codes/new downloaded the whole editor (content forms, design tabs, the
uploader, the preview) with its type grid, before a person has picked a type. Here the
editor is one `rx.memo` component: Reflex compiles every memo defined in a module into
that module's own file (`.web/app_components/qrapp/components/designer/lazy.jsx`),
and `LazyEditor` imports that file dynamically (React's lazy mount, as
`rx.NoSSRComponent` does for npm libraries), so the bundler gives it a chunk of its
own that the browser fetches when the editor mounts: on /codes/new once a type is
chosen, on the edit page at once.
"""

from __future__ import annotations

import reflex as rx
from reflex_base.utils.memo_paths import library_and_symbol

from qrapp.components.designer import editor


@rx.memo
def designer_editor(save_label: rx.Var[str]) -> rx.Component:
    return editor(save_label)


# The file and the name Reflex compiles the memo to (`DesignerEditor_<hash of module>`).
_LIBRARY, _SYMBOL = library_and_symbol(__name__, designer_editor._definition.export_name)


class LazyEditor(rx.NoSSRComponent):
    library = _LIBRARY
    tag = _SYMBOL

    save_label: rx.Var[str]


def lazy_editor(save_label: str) -> rx.Component:
    return LazyEditor.create(save_label=save_label)
