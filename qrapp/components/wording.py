"""Counted nouns in the browser ("1 code", "2 codes"), the same rule as core.wording."""

from __future__ import annotations

import reflex as rx

from qrapp.core.wording import plural_of


def noun_for(n: rx.Var, singular: str, plural: str | None = None, *, one: object = 1) -> rx.Var:
    """ " code" or " codes" after the number `n`. `one` is how the Var spells one: 1 for
    numbers, "1" for counts the state already formatted ("1,200")."""
    return rx.cond(n == one, f" {singular}", f" {plural_of(singular, plural)}")


def counted_text(n: rx.Var, singular: str, plural: str | None = None, **props) -> rx.Component:
    """The number and its noun as one text ("1 code")."""
    return rx.text(n, noun_for(n, singular, plural), **props)
