"""Sections of the app that later work fills in; each says so plainly."""

import reflex as rx

from qrapp.components.panels import not_available_yet
from qrapp.components.shell import signed_in_page
from qrapp.core import routes


@signed_in_page(routes.BULK, "Bulk")
def bulk() -> rx.Component:
    return not_available_yet("Bulk creation", "Here you will create many codes from one CSV file.")
