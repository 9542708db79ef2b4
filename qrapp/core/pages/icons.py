# ruff: noqa: E501 - SVG path data reads better unbroken
"""Inline SVG icons for pages: fixed markup (never user data), so no image request and
nothing for the CSP to allow. Shapes after Lucide (ISC licence); the brand marks are
simplified outlines, drawn with the page's own colours."""

_GLYPHS = {
    "play": '<path d="M7 4.5v15l13-7.5z" fill="currentColor" stroke="none"/>',
    "map-pin": '<path d="M20 10c0 5-5.5 10.2-7.4 11.8a1 1 0 0 1-1.2 0C9.5 20.2 4 15 4 10a8 8 0 0 1 16 0"/>'
    '<circle cx="12" cy="10" r="3"/>',
    "calendar": '<path d="M8 2v4M16 2v4"/><rect width="18" height="18" x="3" y="4" rx="2"/>'
    '<path d="M3 10h18"/>',
    "clock": '<circle cx="12" cy="12" r="10"/><path d="M12 6v6l4 2"/>',
    "phone": '<path d="M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 '
    "19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1 1 .4 1.9.7 2.8a2 2 0 0 1-.5 2.1L8 "
    '9.9a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.8.6 2.8.7a2 2 0 0 1 1.7 2z"/>',
    "mail": '<rect x="2" y="4" width="20" height="16" rx="2"/><path d="m22 7-9 5.7a2 2 0 0 1-2 0L2 7"/>',
    "globe": '<circle cx="12" cy="12" r="10"/><path d="M12 2a14.5 14.5 0 0 0 0 20 14.5 14.5 0 0 0 '
    '0-20M2 12h20"/>',
    "download": '<path d="M12 15V3M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4M7 10l5 5 5-5"/>',
    "music": '<path d="M9 18V5l12-2v13"/><circle cx="6" cy="18" r="3"/><circle cx="18" cy="16" r="3"/>',
    "file": '<path d="M15 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V7z"/><path d="M14 2v4a2 2 0 0 0 2 2h4"/>',
    "shopping-bag": '<path d="M6 2 3 6v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V6l-3-4zM3 6h18"/><path d="M16 10a4 4 0 0 1-8 0"/>',
    "smartphone": '<rect width="14" height="20" x="5" y="2" rx="2"/><path d="M12 18h.01"/>',
    "apple": '<path d="M12 7c-1-1.5-3.5-2-5-1-2.5 1.5-2.5 6-1 9 1 2 2.5 4 4 3.5 1-.3 1.3-.6 2-.6s1 '
    ".3 2 .6c1.5.5 3-1.5 4-3.5-1.5-.8-2.5-2.2-2.5-4s1-3 2-3.6C16 6 13.5 6 12 7zM12 7c0-2 1-4 3-4.5"
    '"/>',
    "google-play": '<path d="M5 3.5v17a1 1 0 0 0 1.5.9l14-8.5a1 1 0 0 0 0-1.8l-14-8.5A1 1 0 0 0 5 '
    '3.5zM5 3.5l10 10M5 20.5l10-10"/>',
    "instagram": '<rect x="3" y="3" width="18" height="18" rx="5"/><circle cx="12" cy="12" r="4"/>'
    '<circle cx="17.5" cy="6.5" r="1" fill="currentColor" stroke="none"/>',
    "facebook": '<path d="M18 2h-3a5 5 0 0 0-5 5v3H7v4h3v8h4v-8h3l1-4h-4V7a1 1 0 0 1 1-1h3z"/>',
    "x": '<path d="M4 4h4.5L20 20h-4.5zM4 20l6.8-6.8M20 4l-6.8 6.8"/>',
    "linkedin": '<path d="M16 8a6 6 0 0 1 6 6v7h-4v-7a2 2 0 0 0-4 0v7h-4v-7a6 6 0 0 1 6-6z"/>'
    '<rect width="4" height="12" x="2" y="9"/><circle cx="4" cy="4" r="2"/>',
    "youtube": '<path d="M2.5 17a24 24 0 0 1 0-10 2 2 0 0 1 1.4-1.4 49.6 49.6 0 0 1 16.2 0A2 2 0 0 1 '
    '21.5 7a24 24 0 0 1 0 10 2 2 0 0 1-1.4 1.4 49.6 49.6 0 0 1-16.2 0A2 2 0 0 1 2.5 17"/>'
    '<path d="m10 15 5-3-5-3z"/>',
    "tiktok": '<path d="M9 12a4 4 0 1 0 4 4V3c.5 2.5 2.5 4.5 5.5 5"/>',
    "github": '<path d="M15 22v-4a4.8 4.8 0 0 0-1-3.5c3 0 6-2 6-5.5.1-1.3-.3-2.5-1-3.5.3-1.2.3-2.4 '
    "0-3.5 0 0-1 0-3 1.5-2.6-.5-5.4-.5-8 0C6 2 5 2 5 2c-.3 1.2-.3 2.4 0 3.5A5.4 5.4 0 0 0 4 9c0 "
    '3.5 3 5.5 6 5.5-.4.5-.7 1-.9 1.7-.2.6-.2 1.2-.1 1.8v4M9 18c-4.5 2-5-2-7-2"/>',
    "mastodon": '<path d="M21 8.5c0-4-2.6-5.2-2.6-5.2C17 2.7 15 2.5 12 2.5S7 2.7 5.6 3.3C5.6 3.3 3 '
    "4.5 3 8.5c0 4-.2 8.8 4.3 10 1.7.5 3.2.5 4.4.5 2.2-.1 3.3-.8 3.3-.8l-.1-1.6s-1.5.5-3.2.4c-1.7 "
    '0-3.4-.2-3.7-2.2 1.5.4 4.6.6 7.3.1 2.7-.4 5-2 5.3-3.6.4-2.3.4-5.1.4-5.1z"/>'
    '<path d="M8.5 13V9a1.75 1.75 0 0 1 3.5 0v2.5V9a1.75 1.75 0 0 1 3.5 0v4"/>',
    "threads": '<circle cx="12" cy="12" r="4"/><path d="M16 8v5a3 3 0 0 0 6 0v-1a10 10 0 1 0-4 8"/>',
    "pinterest": '<circle cx="12" cy="12" r="10"/><path d="M10 21.5 12.5 9.5M11.3 15.3c.6.5 1.3.7 '
    '2.2.7 2.5 0 4-2 4-4.5S16 7 12.5 7 7 9 7 11.5c0 1 .3 1.8.8 2.4"/>',
    "whatsapp": '<path d="M3 21l1.6-4.7A9 9 0 1 1 7.7 19.5z"/><path d="M9 8.5c0 3.5 3 6.5 6.5 6.5l1-1.6-2'
    '-1-1 .9c-1.2-.5-2.3-1.6-2.8-2.8l.9-1-1-2z"/>',
    "telegram": '<path d="M14.5 21.7a.5.5 0 0 0 .9 0l6.5-19a.5.5 0 0 0-.6-.6l-19 6.5a.5.5 0 0 0 0 '
    '.9l7.9 3.2a2 2 0 0 1 1.1 1.1zM21.9 2.1 10.9 13.1"/>',
    "email": "",  # the mail glyph, filled in below
    "website": "",  # the globe glyph
}
_GLYPHS["email"] = _GLYPHS["mail"]
_GLYPHS["website"] = _GLYPHS["globe"]

ICON_NAMES = frozenset(_GLYPHS)


def svg(name: str, size: int = 24) -> str:
    """An icon as inline SVG markup; hidden from screen readers (the link carries the name)."""
    return (
        f'<svg class="i" width="{size}" height="{size}" viewBox="0 0 24 24" fill="none" '
        'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" '
        f'aria-hidden="true" focusable="false">{_GLYPHS[name]}</svg>'
    )
