"""The "Delete ...?" confirmation of a list page's row, shared by the list states (media
library, landing pages): `ask_delete(id)` opens the dialog for a row of the state's
`rows` (each has "id" and "name"; an id not among them opens nothing), `cancel_delete`
closes it, and the state's own `delete` handler acts on `delete_id` with its own
permission check.
"""

from __future__ import annotations

import reflex as rx


class DeleteConfirmMixin(rx.State, mixin=True):
    delete_id: str = ""
    delete_name: str = ""

    @rx.event
    def ask_delete(self, row_id: str):
        row = next((r for r in self.rows if r["id"] == str(row_id)), None)  # the list's rows
        self.delete_id = row["id"] if row else ""
        self.delete_name = row["name"] if row else ""

    @rx.event
    def cancel_delete(self, _open: bool = False):
        self.delete_id = self.delete_name = ""
