"""Per-thread scratch arrays for the PNG path, reused from one code to the next.

A 1024 px code needs a few arrays of about a megabyte each (the palette indices, the
filtered rows). Fresh ones are mapped from the operating system and returned to it on
every code by the C allocator, and touching the new pages costs more than drawing the
code (~1.2 ms of ~2 ms per code). render() makes an image, encodes it and drops it, so
its arrays can be kept for the next call in the same thread. Anything handed to a caller
(render_image) is freshly allocated.
"""

import math
import threading

import numpy as np

MAX_BYTES = 2048 * 2048  # larger (print-size) arrays are not kept: a thread keeps ~3 of them

_local = threading.local()


def scratch(name: str, shape: tuple[int, ...]) -> np.ndarray | None:
    """This thread's uint8 array `name` of `shape` (its contents are left over from the
    last use), or None when it would be too big to keep. One array per name is kept: a
    bulk job renders one size."""
    if math.prod(shape) > MAX_BYTES:
        return None
    arrays: dict[str, np.ndarray] = _local.__dict__.setdefault("arrays", {})
    array = arrays.get(name)
    if array is None or array.shape != shape:
        array = arrays[name] = np.empty(shape, dtype=np.uint8)
    return array
