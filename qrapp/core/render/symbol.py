"""Text -> QR module matrix: segno encodes, numpy picks the data mask.

segno is the reference encoder, but it scores the eight data masks in pure Python,
which is ~80% of its run time. We let segno encode with mask 0, undo that mask, and
score all eight candidates at once with numpy using the ISO/IEC 18004 penalty rules
(7.8.3); then segno's own routine writes the format information for the winner.
"""

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import segno
from segno import consts as segno_consts
from segno import encoder as segno_encoder

from qrapp.core.payloads.errors import PayloadError

FINDER = 7  # finder pattern size in modules


@dataclass(frozen=True, eq=False)
class Symbol:
    """A QR symbol without quiet zone: `dark[row, col]` is True for dark modules."""

    dark: np.ndarray
    version: int
    error: str
    mask: int

    @property
    def size(self) -> int:
        return int(self.dark.shape[0])

    def finder_origins(self) -> tuple[tuple[int, int], ...]:
        """(row, col) of the top-left module of each finder pattern."""
        edge = self.size - FINDER
        return (0, 0), (0, edge), (edge, 0)


@lru_cache(maxsize=40)
def _masks(version: int) -> np.ndarray:
    """The eight mask patterns, limited to the data region, as a (8, n, n) bool array."""
    width = segno_encoder.calc_matrix_size(version)
    function = segno_encoder.make_matrix(width, width)
    segno_encoder.add_finder_patterns(function, width, width)
    segno_encoder.add_alignment_patterns(function, width, width)
    function[-8][8] = 0x1  # the always-dark module
    region = np.frombuffer(b"".join(function), dtype=np.uint8).reshape(width, width) > 1
    i, j = np.indices((width, width))
    patterns = np.stack(
        [
            (i + j) % 2 == 0,
            i % 2 == 0,
            j % 3 == 0,
            (i + j) % 3 == 0,
            (i // 2 + j // 3) % 2 == 0,
            (i * j) % 2 + (i * j) % 3 == 0,
            ((i * j) % 2 + (i * j) % 3) % 2 == 0,
            ((i + j) % 2 + (i * j) % 3) % 2 == 0,
        ]
    )
    return patterns & region


@lru_cache(maxsize=40)
def _format_cells(width: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of the 30 format-information modules (ISO 18004 7.9.1)."""
    near = [0, 1, 2, 3, 4, 5, 7, 8]
    cells = [(8, col) for col in near] + [(row, 8) for row in near if row != 8]
    cells += [(8, width - 1 - k) for k in range(8)] + [(width - 1 - k, 8) for k in range(7)]
    rows, cols = zip(*cells, strict=True)
    return np.array(rows), np.array(cols)


def _run_penalty(candidates: np.ndarray) -> np.ndarray:
    """N1: 3 + (k - 5) for each row/column run of k >= 5 same-coloured modules."""
    count, n, _ = candidates.shape
    scores = np.zeros(count, dtype=np.int64)
    for grid in (candidates, candidates.transpose(0, 2, 1)):
        # A sentinel column (value 2) ends every row so runs never cross rows.
        padded = np.full((count, n, n + 1), 2, dtype=np.int8)
        padded[:, :, :n] = grid
        flat = padded.reshape(count, -1)
        for index in range(count):
            starts = np.flatnonzero(np.diff(flat[index], prepend=-1))
            runs = np.diff(starts, append=flat.shape[1])
            long_runs = runs[runs >= 5]
            scores[index] += int((long_runs - 2).sum())
    return scores


def _finder_like_penalty(candidates: np.ndarray) -> np.ndarray:
    """N3: 40 for each 1:1:3:1:1 pattern with four light modules on one side."""
    count, n, _ = candidates.shape
    scores = np.zeros(count, dtype=np.int64)
    for grid in (candidates, candidates.transpose(0, 2, 1)):
        padded = np.zeros((count, n, n + 8), dtype=np.int16)
        padded[:, :, 4 : 4 + n] = grid
        width = n + 8 - 10
        window = np.zeros((count, n, width), dtype=np.int16)
        for offset in range(11):
            window = (window << 1) | padded[:, :, offset : offset + width]
        hits = (window == 0b00001011101) | (window == 0b10111010000)
        scores += 40 * hits.sum(axis=(1, 2))
    return scores


def _penalties(candidates: np.ndarray) -> np.ndarray:
    n = candidates.shape[1]
    top_left = candidates[:, :-1, :-1]
    blocks = (
        (top_left == candidates[:, 1:, :-1])
        & (top_left == candidates[:, :-1, 1:])
        & (top_left == candidates[:, 1:, 1:])
    )
    dark_share = candidates.sum(axis=(1, 2)) * 100 // (n * n)
    return (
        _run_penalty(candidates)
        + 3 * blocks.sum(axis=(1, 2))
        + _finder_like_penalty(candidates)
        + 10 * (np.abs(dark_share - 50) // 5)
    )


def _segno_code(text: str, error: str) -> segno.QRCode:
    # UTF-8 for anything non-ASCII: phone scanners guess UTF-8 far more reliably than
    # the ISO-8859-1 default that segno would otherwise pick for Latin-1 text.
    encoding = None if text.isascii() else "utf-8"
    try:
        return segno.make_qr(text, error=error.lower(), mask=0, encoding=encoding)
    except segno.DataOverflowError:
        raise PayloadError(
            {"__all__": f"Too much content for a QR code at error correction {error}."}
        ) from None


def build_symbol(text: str, error: str) -> Symbol:
    """Encode `text` at error level `error` (or higher if it fits for free)."""
    if not text:
        raise PayloadError({"__all__": "There is nothing to encode."})
    code = _segno_code(text, error)
    version = int(code.version)
    width = segno_encoder.calc_matrix_size(version)
    masked0 = np.frombuffer(b"".join(code.matrix), dtype=np.uint8).reshape(width, width)
    masks = _masks(version)
    candidates = (masked0.astype(bool) ^ masks[0])[None, :, :] ^ masks
    best = int(np.argmin(_penalties(candidates.astype(np.int8))))
    chosen = candidates[best].astype(np.uint8)
    chosen[_format_cells(width)] = 0  # segno ORs the format bits in, so clear mask 0's
    rows = [bytearray(row) for row in chosen]
    error_const = segno_consts.ERROR_MAPPING[code.error]
    segno_encoder.add_format_info(rows, version, error_const, best)
    dark = np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(width, width).astype(bool)
    return Symbol(dark=dark, version=version, error=code.error, mask=best)
