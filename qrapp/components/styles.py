"""Design tokens shared by components and pages: one place for radii, muted text and tiles.

Plain values and prop dicts, spread into Reflex calls (``rx.text(x, **MUTED_SM)``), so a
change of look is one edit here instead of a hunt through every page.
"""

import reflex as rx

# Corner radii, smallest to largest.
RADIUS_SM = "6px"  # chips, bars, thumbnails, inputs
RADIUS_MD = "8px"  # navigation items, the logo tile
RADIUS_LG = "10px"  # icon tiles, inset panels
RADIUS_XL = "12px"  # large panels and previews
RADIUS_ROUND = "50%"  # dots and round tiles

# Secondary ("muted") text: the gray colour scheme at the small and body sizes.
MUTED = {"color_scheme": "gray"}
MUTED_SM = {"size": "1", "color_scheme": "gray"}
MUTED_MD = {"size": "2", "color_scheme": "gray"}

# A full-width band of a public page whose content is centred at a readable width
# (the home page's top bar and feature grid).
PAGE_SECTION = {"width": "100%", "max_width": "1120px", "padding_x": ["16px", "24px"]}

# A soft accent square (or circle) behind an icon.
ICON_TILE = {"background": rx.color("accent", 3), "display": "flex"}

# A flat inset panel on the page background (no card border).
INSET_PANEL = {"background": rx.color("gray", 2), "padding": "12px"}

# A bar behind a list row whose width is the row's share (bar lists, top codes).
SHARE_BAR = {
    "position": "absolute",
    "left": "0",
    "top": "0",
    "bottom": "0",
    "background": rx.color("accent", 3),
    "border_radius": RADIUS_SM,
}


# Read by screen readers, not drawn (names of controls whose visible text is elsewhere).
VISUALLY_HIDDEN = {
    "position": "absolute",
    "width": "1px",
    "height": "1px",
    "overflow": "hidden",
    "clip": "rect(0 0 0 0)",
    "white_space": "nowrap",
}
