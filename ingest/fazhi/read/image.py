"""Read stage, images: a scanned report as PNG, JPEG, TIFF (one page per frame), BMP, GIF, WebP,
read by OCR frame by frame."""
from __future__ import annotations

import io
from collections.abc import Mapping

from fazhi.read.decode import UnreadableFile
from fazhi.read.document import Document, NeedsOcr, OcrPage
from fazhi.read.layout import Page, lay_out

__all__ = ["ocr_image_frame", "read_image"]

# frames are scaled so that the longest side is at most this many pixels (the detector's limit)
_LONG_SIDE = 2000


def _open(data: bytes):
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise UnreadableFile(f"corrupt image: {exc}") from None
    return image


def read_image(data: bytes, ocr: Mapping[int, OcrPage] | None = None, defer_ocr: bool = False) -> Document:
    image = _open(data)
    frames = getattr(image, "n_frames", 1)
    if defer_ocr and not ocr:
        raise NeedsOcr(tuple(range(frames)), frames)
    pages: list[Page] = []
    for index in range(frames):
        result = ocr[index] if ocr is not None and index in ocr else ocr_image_frame(data, index, image)
        pages.append(result.page)
    laid = lay_out(pages)
    if not laid.text.strip():
        raise UnreadableFile(f"image with no readable text: OCR found none on its {frames} page(s)")
    unread = tuple(i + 1 for i, p in enumerate(pages) if not p.glyphs)
    return Document(laid.text, "image_ocr", None, frames, laid.page_starts, laid.boxes, unread, laid.tables)


def ocr_image_frame(data: bytes, index: int, image=None) -> OcrPage:
    """Frame `index` of an image file, read by OCR."""
    import numpy as np
    from PIL import ImageOps

    from fazhi.read.ocr import recognise

    image = image if image is not None else _open(data)
    image.seek(index)
    frame = ImageOps.exif_transpose(image) or image  # a phone photo's orientation tag
    if frame.mode not in ("L", "RGB"):
        frame = frame.convert("RGB")
    if max(frame.size) > _LONG_SIDE:
        frame = frame.copy()
        frame.thumbnail((_LONG_SIDE, _LONG_SIDE))
    page, mean = recognise(np.asarray(frame))
    return OcrPage(page, mean)
