"""The code library (/codes), one module per section: filters (search, selects,
folders), bulk (selection bar, confirm dialog), parts (badges, thumbnails), cards and
table (the two views), page (layout and pager).
"""

from qrapp.components.library.page import library

__all__ = ["library"]
