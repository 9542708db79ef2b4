"""The designer's design panel as state: the form's fields, the logo, presets, and the
handlers that change them. A mixin of DesignerState (state/designer.py), which supplies
_check, _refused, errors and refresh_preview; the mapping to a Design is the codec in
core/render/design_form.py.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import reflex as rx

from qrapp.core.permissions import Permission
from qrapp.core.render import PRESETS, Design, DesignError
from qrapp.core.render.design import is_colour
from qrapp.core.render.design_form import FORM_DEFAULTS, SLIDERS, from_form, to_form
from qrapp.services.codes import logos
from qrapp.services.errors import FieldErrors, ServiceError
from qrapp.state.base import load_actor
from qrapp.state.designer_checks import (
    COLOUR_KEYS,
    OPTIONAL_COLOURS,
    caption_problem,
    drawable_caption,
)

log = logging.getLogger(__name__)
# A slider that holds still this long is applied (a touch drag ends without mouse-up).
SLIDE_SETTLE_S = 0.3

_D = FORM_DEFAULTS  # the design fields start as Design() draws


class DesignFormMixin(rx.State, mixin=True):
    # design: the form's fields (core/render/design_form.py), the logo kept aside
    foreground: str = _D["foreground"]
    background: str = _D["background"]
    transparent: bool = _D["transparent"]
    gradient_on: bool = _D["gradient_on"]
    gradient_kind: str = _D["gradient_kind"]
    gradient_color: str = _D["gradient_color"]
    gradient_angle: int = _D["gradient_angle"]
    modules: str = _D["modules"]
    eye_frame: str = _D["eye_frame"]
    eye_ball: str = _D["eye_ball"]
    eye_frame_color: str = _D["eye_frame_color"]
    eye_ball_color: str = _D["eye_ball_color"]
    has_logo: bool = False
    logo_size: float = _D["logo_size"]
    logo_shape: str = _D["logo_shape"]
    quiet_zone: int = _D["quiet_zone"]
    error_correction: str = _D["error_correction"]
    frame_style: str = _D["frame_style"]
    frame_text: str = _D["frame_text"]
    frame_color: str = _D["frame_color"]
    frame_text_color: str = _D["frame_text_color"]
    preset: str = ""
    _good_colours: dict[str, str] = {}  # last valid colour per key, drawn meanwhile
    _slid: list[str] = []  # sliders moved since their value was last applied
    _slide_seq: int = 0  # counts slider moves, so only the last one settles
    _logo: bytes = b""

    @rx.var
    def preset_names(self) -> list[str]:
        return list(PRESETS)

    @rx.var
    def caption_length(self) -> int:
        return len(self.frame_text)

    def _reset_design(self) -> None:
        for key, value in FORM_DEFAULTS.items():
            setattr(self, key, value)
        self._logo, self.has_logo, self.preset = b"", False, ""
        self._good_colours, self._slid = {}, []

    # ---- the design as data ----------------------------------------------------------

    def _colour(self, key: str) -> str | None:
        """The colour to draw for `key`: what is typed when it is a colour, else the last
        valid one, so a half-typed "#1e" never stops the preview."""
        value = getattr(self, key).strip()
        if key in OPTIONAL_COLOURS and value == "":
            return None
        if is_colour(value):
            return value
        return self._good_colours.get(key, FORM_DEFAULTS[key] or None)

    def _design(self) -> dict[str, Any]:
        """The design as drawn: typed values that cannot be drawn (a bad colour, an emoji
        in the caption) are left out here and reported by _check instead."""
        form: dict[str, Any] = {key: getattr(self, key) for key in FORM_DEFAULTS}
        form |= {key: self._colour(key) or "" for key in COLOUR_KEYS}
        form["frame_text"] = drawable_caption(self.frame_text)
        return from_form(form, self._logo)

    def _apply_design(self, data: dict[str, Any]) -> None:
        self._reset_design()
        try:
            design = Design.parse(data)
        except DesignError:
            # Stored designs were checked when saved; one that no longer reads (a rule
            # changed since) starts from the defaults, and Save says so.
            log.warning("a stored design no longer validates", exc_info=True)
            self._refused = {**self._refused, "design": "The saved design could not be read."}
            return
        form, self._logo = to_form(design)
        for key, value in form.items():
            setattr(self, key, value)
        self.has_logo = bool(self._logo)

    def _design_problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        for key in COLOUR_KEYS:
            value = getattr(self, key).strip()
            if not (value == "" and key in OPTIONAL_COLOURS) and not is_colour(value):
                problems["c-" + key] = "Use a hex colour like #1a2b3c."
        if self.frame_style != "none" and (problem := caption_problem(self.frame_text)):
            problems["frame_text"] = problem
        return problems

    # ---- changes ---------------------------------------------------------------------

    @rx.event
    def set_design(self, key: str, value: str | bool | int | float | list):
        if key not in FORM_DEFAULTS:
            return
        default = FORM_DEFAULTS[key]
        if isinstance(value, list):  # sliders send [value]
            value = value[0] if value else default
        try:
            if isinstance(default, bool):
                value = bool(value)
            elif isinstance(default, int):
                value = int(float(value))
            elif isinstance(default, float):
                value = float(value)
            else:
                value = str(value)[:64]
        except (TypeError, ValueError):
            return
        setattr(self, key, value)
        self._refused = {k: v for k, v in self._refused.items() if not k.startswith("design")}
        if key in COLOUR_KEYS and is_colour(str(value).strip()):
            self._good_colours[key] = str(value).strip()
        self.preset = ""
        self._check()
        return type(self).refresh_preview  # defined by DesignerState

    @rx.event
    def slide(self, key: str, value: str | float | list):
        """A slider moves: show its number at once; the preview follows on release
        (`commit_slide`)."""
        if key not in SLIDERS:
            return
        if isinstance(value, list):
            value = value[0] if value else ""
        try:
            number = float(value)
        except (TypeError, ValueError):
            return
        low, high, _step = SLIDERS[key]
        number = min(max(number, low), high)
        setattr(self, key, number if key == "logo_size" else int(number))
        if key not in self._slid:
            self._slid = [*self._slid, key]
        self._slide_seq += 1
        return type(self).settle_slide(key, self._slide_seq)

    @rx.event(background=True)
    async def settle_slide(self, key: str, seq: int):
        """Apply a slider that has held still for a moment. A touch drag on a phone sends
        no mouse-up or key-up, so without this its value waited for the next blur."""
        await asyncio.sleep(SLIDE_SETTLE_S)
        async with self:
            if seq != self._slide_seq:
                return  # it moved again since; that move settles on its own
        # self is a StateProxy here; its __class__ is the state class
        return self.__class__.commit_slide(key)

    @rx.event
    def commit_slide(self, key: str):
        """The slider was let go (pointer up, or a key released on it): apply its value.
        Sent after the slide events, so the state already holds the last value; a key
        that moved nothing (Tab arriving on the slider) changes nothing."""
        if key not in self._slid:
            return
        self._slid = [k for k in self._slid if k != key]
        return type(self).set_design(key, getattr(self, key))

    @rx.event
    def apply_preset(self, name: str):
        if name not in PRESETS:
            return
        logo, size, shape = self._logo, self.logo_size, self.logo_shape
        self._apply_design(PRESETS[name])
        if logo:
            self._logo, self.has_logo, self.logo_size, self.logo_shape = logo, True, size, shape
        self.preset = name
        self._check()
        return type(self).refresh_preview  # defined by DesignerState

    @rx.event
    async def upload_logo(self, files: list[rx.UploadFile]):
        try:
            await load_actor(self, Permission.CODES_EDIT)
        except ServiceError as exc:
            return rx.toast.error(exc.message)
        if not files:
            return
        data = await files[0].read(logos.MAX_BYTES + 1)
        try:
            png = await asyncio.to_thread(logos.normalise_logo, data)
        except FieldErrors as exc:
            self.errors = {**self.errors, "logo": exc.errors["logo"]}
            return rx.toast.error(exc.errors["logo"])
        self._logo, self.has_logo = png, True
        self._check()
        if self.error_correction in ("L", "M"):
            self.error_correction = "H"  # a logo hides modules; H restores the most
        return type(self).refresh_preview  # defined by DesignerState

    @rx.event
    def remove_logo(self):
        self._logo, self.has_logo = b"", False
        self._check()
        return type(self).refresh_preview  # defined by DesignerState
