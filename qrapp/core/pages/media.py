"""What a page block needs to know about an uploaded file (pure; no db, no storage).

Blocks refer to media by `asset_id` in their props; the services layer resolves those ids
(scoped to the page's workspace) into MediaRefs and hands them to render_page. The renderer
only ever sees these frozen values, so the pure core stays free of storage and the db.
"""

from dataclasses import dataclass
from typing import Literal

MediaKind = Literal["image", "pdf", "video", "audio", "file"]


@dataclass(frozen=True)
class MediaRef:
    asset_id: str
    kind: MediaKind
    url: str  # public URL of the original (or the main variant), e.g. /m/<id>/original
    content_type: str
    filename: str
    size: int  # bytes
    width: int = 0
    height: int = 0
    # Responsive image variants: (url, width in px), smallest first.
    srcset: tuple[tuple[str, int], ...] = ()
    poster_url: str = ""  # a still frame for a video, when the media lane made one
