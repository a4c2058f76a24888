"""Decode report bytes: UTF-8 (with or without BOM) or the GB family, never a silent guess.

Order matters: strict UTF-8 first (it almost never decodes non-UTF-8 text by accident), then strict
GB18030 (a superset of GBK and GB2312), then charset-normalizer for the rarer legacy encodings
(Big5, UTF-16). Whatever decodes must also look like text; otherwise the file is rejected.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

# A decoded text with more than this share of control characters is binary, whatever decoded it.
MAX_CONTROL_CHAR_SHARE = 0.01
# charset-normalizer's chaos score (0 = clean text) above which its guess is not trusted.
MAX_DETECTOR_CHAOS = 0.2


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we can determine."""


def decode_text(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) or raise UndecodableError saying why."""
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(data.decode("utf-16"), "utf-16")
    if b"\x00" in data:
        raise UndecodableError("二进制内容（含 NUL 字节），不是文本文件")
    for encoding in ("utf-8", "gb18030"):
        try:
            return _checked(data.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data).best()
    if best is None or best.chaos > MAX_DETECTOR_CHAOS:
        raise UndecodableError("无法确定文字编码（不是 UTF-8、GB18030/GBK 或其他可识别的编码）")
    return _checked(str(best), best.encoding)


def _checked(text: str, encoding: str) -> tuple[str, str]:
    if not text.strip():
        raise UndecodableError("文件中没有文字")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls / len(text) > MAX_CONTROL_CHAR_SHARE:
        raise UndecodableError(f"按 {encoding} 解码后含大量控制字符，不是文本文件")
    return text, encoding
