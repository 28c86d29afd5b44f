"""Read stage, rules on a page image: the horizontal and vertical lines a scanned table is drawn
with, found by OpenCV (shipped with the OCR engine), so a scanned table is cut into rows and
columns by its own borders like a PDF's drawn rules (grid.py).

Lines are long thin runs of ink: a morphological opening with a long flat (or tall) kernel
keeps them and drops the strokes of characters. A scanner tilts the page a little; the slope of
the long horizontal lines gives the tilt, and the page is turned upright before it is read, so
rows and columns run straight.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

from fazhi.read.grid import Rule

if TYPE_CHECKING:
    import numpy as np

__all__ = ["find_rules", "ink_of", "straighten"]

# a line is at least this share of the page's shorter side long (characters are shorter)
_LINE_SHARE = 1 / 30
# lines at least this share of the page width long tell the tilt
_TILT_SHARE = 1 / 5
# a tilt smaller than this (degrees) is left alone; larger than this is no scanner's tilt
_MIN_TILT, _MAX_TILT = 0.05, 5.0


def ink_of(image: np.ndarray) -> np.ndarray:
    """Where the page has ink (255) and where it is blank (0)."""
    import cv2

    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    return cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 15, 10)


def _lines(ink: np.ndarray, horizontal: bool) -> tuple[np.ndarray, np.ndarray, int]:
    """(labels, stats, minimum length) of the long lines of one direction."""
    import cv2

    length = max(20, int(min(ink.shape) * _LINE_SHARE))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1) if horizontal else (1, length))
    mask = cv2.morphologyEx(ink, cv2.MORPH_OPEN, kernel)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return labels, stats, length


def tilt(image: np.ndarray) -> float:
    """The page's tilt in degrees from its long horizontal lines (0.0 when it has none)."""
    import numpy as np

    labels, stats, _ = _lines(ink_of(image), horizontal=True)
    width = image.shape[1]
    angles = []
    for k in range(1, len(stats)):
        x, _, w, _, _ = stats[k]
        if w < width * _TILT_SHARE:
            continue
        left = np.nonzero(labels[:, x:x + 3] == k)[0]
        right = np.nonzero(labels[:, x + w - 3:x + w] == k)[0]
        if len(left) and len(right):
            angles.append(math.degrees(math.atan2(right.mean() - left.mean(), w)))
    return float(np.median(angles)) if angles else 0.0


def straighten(image: np.ndarray) -> np.ndarray:
    """The page image turned upright when its lines show it tilted (else as it is)."""
    import cv2

    angle = tilt(image)
    if not _MIN_TILT <= abs(angle) <= _MAX_TILT:
        return image
    height, width = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, 1.0)
    return cv2.warpAffine(image, matrix, (width, height), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=(255, 255, 255))


def find_rules(image: np.ndarray) -> tuple[Rule, ...]:
    """The horizontal and vertical lines on an upright page image, in pixels."""
    ink = ink_of(image)
    rules: list[Rule] = []
    for horizontal in (True, False):
        _, stats, length = _lines(ink, horizontal)
        for x, y, w, h, _ in stats[1:]:
            if horizontal and w >= length and h <= length / 3:
                rules.append((float(x), y + h / 2, float(x + w), y + h / 2))
            elif not horizontal and h >= length and w <= length / 3:
                rules.append((x + w / 2, float(y), x + w / 2, float(y + h)))
    return tuple(rules)
