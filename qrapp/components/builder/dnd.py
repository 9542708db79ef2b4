"""Drag and drop for the page builder: Reflex wrappers of page_dnd.jsx (over @dnd-kit/core).

Reflex has no drag and drop of its own. The JSX file next to this module keeps every drag
in the browser and sends the state one event per drop:
- `on_insert(block_type, index)`: a block type from the palette dropped at a position;
- `on_move(block_id, new_index)`: a block dragged to another position.

Usage: one `dnd_board` around the palette and the list; `palette_item` wraps each palette
button, `block_list` the rows and `block_row` each row (it adds the drag handle).
"""

from __future__ import annotations

import reflex as rx
from reflex_base.event import passthrough_event_spec

# Linked into assets/external/ and imported by the build as a local module ("$/public/...").
_JSX = rx.asset("page_dnd.jsx", shared=True)

# Pinned: the frontend install (bun, into .web, recorded in reflex.lock/) takes exactly these.
DND_PACKAGES = ["@dnd-kit/core@6.3.1"]


class _PageDnd(rx.Component):
    library = _JSX.importable_path
    lib_dependencies: list[str] = DND_PACKAGES


class DndBoard(_PageDnd):
    tag = "DndBoard"

    # The ids of the page's blocks in their order (a drop's index is computed against it).
    block_ids: rx.Var[list[str]]
    # Viewers: nothing can be dragged and nothing is sent.
    read_only: rx.Var[bool]

    on_insert: rx.EventHandler[passthrough_event_spec(str, int)]
    on_move: rx.EventHandler[passthrough_event_spec(str, int)]


class PaletteItem(_PageDnd):
    tag = "PaletteItem"

    block_type: rx.Var[str]
    label: rx.Var[str]


class BlockList(_PageDnd):
    tag = "BlockList"


class BlockRow(_PageDnd):
    tag = "BlockRow"

    block_id: rx.Var[str]
    label: rx.Var[str]


dnd_board = DndBoard.create
palette_item = PaletteItem.create
block_list = BlockList.create
block_row = BlockRow.create
