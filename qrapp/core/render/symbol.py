"""Text -> QR module matrix: segno encodes, numpy picks the data mask.

segno is the reference encoder, but it applies and scores the eight data masks in pure
Python, which is ~80% of its run time. We run segno's encoder up to codeword placement,
apply and score all eight masks at once with numpy using the ISO/IEC 18004 penalty
rules (7.8.3), and let segno's own routines write the format and version information.
"""

from dataclasses import dataclass
from functools import lru_cache
from typing import cast

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


def _run_penalty(candidates: np.ndarray) -> np.ndarray:
    """N1: 3 + (k - 5) for each row/column run of k >= 5 same-coloured modules."""
    count, n, _ = candidates.shape
    scores = np.zeros(count, dtype=np.int64)
    for grid in (candidates, candidates.transpose(0, 2, 1)):
        # A sentinel column (value 2) ends every row, so no run crosses a row or a
        # candidate; all eight candidates are scored in one pass.
        padded = np.full((count, n, n + 1), 2, dtype=np.int8)
        padded[:, :, :n] = grid
        flat = padded.reshape(-1)
        starts = np.flatnonzero(np.diff(flat, prepend=-1))
        runs = np.diff(starts, append=flat.size)
        long_runs = runs >= 5
        owner = starts[long_runs] // (n * (n + 1))
        scores += np.bincount(owner, weights=runs[long_runs] - 2, minlength=count).astype(np.int64)
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
    scores: np.ndarray = (
        _run_penalty(candidates)
        + 3 * blocks.sum(axis=(1, 2))
        + _finder_like_penalty(candidates)
        + 10 * (np.abs(dark_share - 50) // 5)
    )
    return scores


def _unmasked(text: str, error: str) -> tuple[np.ndarray, int, int]:
    """segno's encoder up to codeword placement: (modules, version, error constant).

    The same steps as segno.encoder._encode for a (non-Micro) QR code, minus its
    pure-Python masking; pinned segno and a test against segno.make_qr keep it exact.
    """
    enc = segno_encoder
    # UTF-8 for anything non-ASCII: phone scanners guess UTF-8 far more reliably than
    # the ISO-8859-1 default that segno would otherwise pick for Latin-1 text.
    segments = enc.prepare_data(text, None, None if text.isascii() else "utf-8")
    level = segno_consts.ERROR_MAPPING[error]
    try:
        version = enc.find_version(segments, level, eci=False, micro=False)
    except segno.DataOverflowError:
        message = f"Too much content for a QR code at error correction {error}."
        raise PayloadError({"__all__": message}) from None
    # Free upgrade: the highest level that still fits the same version (as segno does).
    level = enc.boost_error_level(version, level, segments, False)
    buffer = enc.Buffer()
    for segment in segments:
        enc.write_segment(buffer, segment, None, enc.version_range(version), False)
    # segno's table mixes QR and Micro QR rows, so mypy infers `object` for them.
    capacity = cast("dict[int, int]", segno_consts.SYMBOL_CAPACITY[version])[level]
    enc.write_terminator(buffer, capacity, None, len(buffer))
    enc.write_padding_bits(buffer, version, len(buffer))
    enc.write_pad_codewords(buffer, version, capacity, len(buffer))
    message = enc.make_final_message(version, level, buffer)
    function, order_rows, order_cols = _placement(version)
    bits = np.frombuffer(message.getbits(), dtype=np.uint8)
    grid = function.copy()
    count = len(bits)
    grid[order_rows[:count], order_cols[:count]] = bits
    return grid, version, level


@lru_cache(maxsize=40)
def _placement(version: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Function patterns and the codeword-bit placement order of a version.

    The same walk as segno's add_codewords (ISO/IEC 18004 7.7.3: two-module columns,
    alternately up and down, right to left, skipping the timing column), done once per
    version so each code places its bits with one numpy assignment.
    """
    enc = segno_encoder
    width = enc.calc_matrix_size(version)
    rows = enc.make_matrix(width, width)
    enc.add_finder_patterns(rows, width, width)
    enc.add_alignment_patterns(rows, width, width)
    function = np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(width, width).copy()
    order: list[tuple[int, int]] = []
    for right in range(width - 1, 0, -2):
        if right <= 6:
            right -= 1
        for vertical in range(width):
            for z in range(2):
                col = right - z
                upwards = ((right & 2) == 0) ^ (col < 6)
                row = width - 1 - vertical if upwards else vertical
                if function[row, col] == 0x2:
                    order.append((row, col))
    order_rows, order_cols = (np.array(axis, dtype=np.intp) for axis in zip(*order, strict=True))
    function.setflags(write=False)
    return function, order_rows, order_cols


_LEVEL_NAME = {value: name for name, value in segno_consts.ERROR_MAPPING.items()}


def build_symbol(text: str, error: str) -> Symbol:
    """Encode `text` at error level `error` (or higher if it fits for free)."""
    if not text:
        raise PayloadError({"__all__": "There is nothing to encode."})
    grid, version, level = _unmasked(text, error)
    width = grid.shape[0]
    plain = grid == 1
    candidates = plain[None, :, :] ^ _masks(version)
    best = int(np.argmin(_penalties(candidates.astype(np.int8))))
    final = [bytearray(row) for row in candidates[best].astype(np.uint8)]
    segno_encoder.add_format_info(final, version, level, best)
    segno_encoder.add_version_info(final, version)
    dark = np.frombuffer(b"".join(final), dtype=np.uint8).reshape(width, width).astype(bool)
    return Symbol(dark=dark, version=version, error=_LEVEL_NAME[level], mask=best)
