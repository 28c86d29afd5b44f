"""Read stage, OCR: a page image -> the text boxes on it, upright, each with its confidence.

RapidOCR runs the PP-OCRv4 Chinese detection and recognition models that its wheel ships, on
onnxruntime's CPU backend: nothing is downloaded. One engine per process, created on first use,
one inference thread (the ingest pool runs one process per core).

A scanned page may lie on its side or upside down: text boxes much taller than wide mean a
quarter turn; a reading with low confidence is tried the other way round, and the better reading
is kept.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from fazhi.read.decode import UnreadableFile
from fazhi.read.layout import Glyph, Page

if TYPE_CHECKING:
    import numpy as np

__all__ = ["OCR_TRUSTED", "OcrUnavailable", "recognise"]

# a box read with at least this confidence is taken as read; below, facts from it lose confidence
OCR_TRUSTED = 0.9
# boxes read with less confidence than this are noise (specks, stamps, signatures)
_MIN_BOX_SCORE = 0.3
# a reading this confident needs no second try the other way round
_CONFIDENT = 0.8
A4_LONG_SIDE = 842.0  # points

_ENGINE = None

# PP-OCR's usual slips on Chinese punctuation: the radical 丶 (never used in prose) for 、, and a
# middle dot for the full stop after a Chinese character
_SLIPS = (
    (re.compile("丶"), "、"),
    (re.compile(r"(?<=[\u3400-\u9fff])[·•](?=[\u3400-\u9fff]|$)"), "。"),
)


class OcrUnavailable(UnreadableFile):
    """The OCR engine cannot be loaded: the scan is quarantined with what to install."""


def _engine():
    global _ENGINE
    if _ENGINE is None:
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:  # a broken install (e.g. opencv without its system libraries)
            raise OcrUnavailable(
                f"needs OCR, but the OCR engine cannot load ({exc}): install the system libraries "
                "(apt-get install libgl1 libglib2.0-0, as `make setup` does) and the project (pip install -e .)"
            ) from exc
        _ENGINE = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1, use_cls=False,
                           print_verbose=False)
    return _ENGINE


def recognise(image: np.ndarray) -> tuple[Page, float]:
    """The text boxes of a page image (grey or RGB array), turned upright, and the page's mean
    confidence per character (0.0 when nothing was read)."""
    import numpy as np

    from fazhi.read.ocr_tables import read_table_cells
    from fazhi.read.ruling import find_rules, straighten

    if image.ndim == 2:
        image = np.stack([image] * 3, axis=-1)
    elif image.shape[2] == 4:
        image = np.ascontiguousarray(image[:, :, :3])
    image = straighten(image)
    boxes = _read(image)
    first = (_mean_confidence(boxes), image, boxes)
    best = first
    side = _lies_on_its_side(boxes)
    if first[0] < _CONFIDENT or side:
        # most pages are upright and read well the first time; the others are tried turned (a
        # page on its side is kept as read only if neither quarter turn reads anything)
        if side:
            best = (0.0, image, [])
        for turn in (1, 3) if side else (2,):
            turned = np.ascontiguousarray(np.rot90(image, turn))
            boxes = _read(turned)
            score = _mean_confidence(boxes)
            if score * _chars(boxes) > best[0] * _chars(best[2]):
                best = (score, turned, boxes)
            if score >= _CONFIDENT:
                break
        if not best[2]:
            best = first
    mean, turned, boxes = best
    height, width = turned.shape[:2]
    glyphs = []
    for box, text, conf in boxes:
        xs = [p[0] for p in box]
        ys = [p[1] for p in box]
        glyphs.append(Glyph(_mend(text), float(min(xs)), float(min(ys)), float(max(xs)), float(max(ys)),
                            round(float(conf), 4)))
    # the page taken as A4 for the length of a point in pixels (the tolerances of table rules)
    unit = max(width, height) / A4_LONG_SIDE
    rules = find_rules(turned)
    if rules:
        glyphs = read_table_cells(turned, glyphs, rules, unit, _recognise_crops)
    return Page(float(width), float(height), tuple(glyphs), rules, unit), mean


def _recognise_crops(crops: list) -> list[tuple[str, float]]:
    """The text of each image crop (recognition alone, no detection)."""
    result, _ = _engine().text_rec(crops)
    return [(_mend(str(r[0])), float(r[1])) for r in result]


def _mend(text: str) -> str:
    for slip, right in _SLIPS:
        text = slip.sub(right, text)
    return text


def _read(image) -> list:
    result, _ = _engine()(image, use_cls=False, text_score=_MIN_BOX_SCORE)
    return [r for r in (result or []) if str(r[1]).strip()]


def _lies_on_its_side(boxes) -> bool:
    """Most text boxes are much taller than wide: the page is turned a quarter."""
    if not boxes:
        return False
    tall = 0
    for box, _, _ in boxes:
        xs = [p[0] for p in box]
        ys = [p[1] for p in box]
        if max(ys) - min(ys) > 1.5 * (max(xs) - min(xs)):
            tall += 1
    return tall > 0.6 * len(boxes)


def _chars(boxes) -> int:
    return sum(len(t) for _, t, _ in boxes)


def _mean_confidence(boxes) -> float:
    chars = _chars(boxes)
    return sum(float(c) * len(t) for _, t, c in boxes) / chars if chars else 0.0
