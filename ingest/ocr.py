"""Read a scanned page (a PDF page that is an image) with OCR, offline.

The engine is RapidOCR on onnxruntime (`rapidocr-onnxruntime` 1.4.4): its PP-OCRv4 detection and
recognition models ship inside the wheel, so nothing is downloaded at run time (rapidocr 3.x fetches
its models on first use and cannot run here). Pages are rendered by PDFium (`pypdfium2`) at the size
the engine reads best: it shrinks any image whose longer side exceeds 2,000 pixels, so rendering
larger only costs time.
"""

from __future__ import annotations

import threading
from functools import lru_cache

from .pdf_layout import Fragment, Line, group_lines

# The engine shrinks images above 2,000 pixels; 1,600 (about 140 dpi for A4) reads body text as well and
# detects in half the time.
RENDER_LONG_SIDE = 1600
# Recognised text below this confidence is noise (specks, stamps, a signature's strokes).
MIN_SCORE = 0.5
_lock = threading.Lock()  # one page at a time: the engine uses every core already


@lru_cache(maxsize=1)
def _engine():
    from rapidocr_onnxruntime import RapidOCR

    # No angle classifier: scans of official documents are upright, and it costs a pass per line.
    # One thread: onnxruntime's worker threads spin while they wait, so on a shared 2-core machine two
    # threads read a page in 13.6 s where one takes 3.8 s (measured under load); it also leaves a core
    # for the embedder and for questions.
    return RapidOCR(use_cls=False, print_verbose=False, intra_op_num_threads=1, inter_op_num_threads=1)


def render_scale(width: float, height: float) -> float:
    """The scale at which a page of this size (in points) renders at the engine's reading size."""
    return RENDER_LONG_SIDE / max(width, height, 1.0)


def read_page(page) -> list[Line]:
    """The text lines OCR reads on a pypdfium2 page, in page units (points) like a text layer's."""
    width, height = page.get_size()
    scale = render_scale(width, height)
    image = page.render(scale=scale, grayscale=True).to_numpy()
    return read_image(image, scale)


def read_image(image, scale: float = 1.0) -> list[Line]:
    """The text lines of an image (a numpy array), boxes divided by `scale`."""
    with _lock:
        found, _ = _engine()(image)
    fragments = []
    for box, text, score in found or []:
        text = text.strip()
        if not text or float(score) < MIN_SCORE:
            continue
        xs = [point[0] / scale for point in box]
        ys = [point[1] / scale for point in box]
        fragments.append(Fragment(text, min(xs), max(xs), min(ys), max(ys)))
    return group_lines(fragments, ocr=True)
