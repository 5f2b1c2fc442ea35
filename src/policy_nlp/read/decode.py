"""Decode a text file's bytes: BOMs, UTF-8, UTF-16 with or without a BOM, GB18030/GBK, then
what charset-normalizer detects (Big5, Shift-JIS …) when none of those rules fits.

Binary data (and what it looks like: a PDF, an image, an archive) is refused with a reason a
person can act on; ``text_sha256`` hashes the decoded text.
"""

from __future__ import annotations

import codecs as codecs_module
import hashlib
import re
from functools import cache

from policy_nlp.errors import PolicyNLPError

__all__ = [
    "BOMS",
    "SNIFF_BYTES",
    "DecodeError",
    "decode_bytes",
    "decode_text_file",
    "looks_like_text",
    "sniff",
    "text_sha256",
]

# A file's kind is told from its first KB (a PDF header may sit after some junk bytes).
SNIFF_BYTES = 1024
# Candidate decodings are judged on the first 64 KB; the winner alone decodes the whole file.
_JUDGE_BYTES = 65536
# A candidate decoding must look ordinary for at least 90% of its characters.
_MIN_PLAUSIBILITY = 0.9
# Text tolerates one control character per thousand (at least two in a short text).
_CONTROLS_PER = 1000
_MIN_CONTROLS = 2
# Text in no known encoding is binary when its first 4 KB (read as Latin-1) hold more than 8
# control characters.
_BINARY_PROBE_BYTES = 4096
_BINARY_CONTROLS = 8
# UTF-8 with fewer bad bytes than 1 in 100 non-ASCII characters in its first MB is damaged
# UTF-8, not another encoding.
_DAMAGE_PROBE_BYTES = 1_000_000
_DAMAGE_RATE = 100


class DecodeError(PolicyNLPError, ValueError):
    """Bytes that are not text in an encoding this tool reads; the message says why."""


# ----------------------------------------------------------------------------- what bytes are

_MAGIC = (
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a zip archive (a .docx, .xlsx or .zip file)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc, .xls) or a password-protected document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"{\\rtf", "an RTF file"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a Windows program"),
)  # fmt: skip
_HTML_START = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<meta|<!--)", re.I)


def sniff(data: bytes) -> str:
    """What the first bytes say the file is (``""`` when they say nothing)."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:SNIFF_BYTES]
    if b"%PDF-" in head:
        return "a PDF file"
    if _HTML_START.match(head.lstrip(b"\xef\xbb\xbf")):
        return "an HTML page"
    return ""


# ----------------------------------------------------------------------------- decoding

BOMS = (
    (b"\xef\xbb\xbf", "utf-8", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be", "utf-16-be"),
)
# Control characters that do not occur in text (tab, newlines, form feed and ESC-free).
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f\ufffd]")
_SAMPLE = 20_000  # characters looked at to judge a decoding


def _control_chars(text: str, limit: int) -> int:
    """Control characters in ``text``, counted up to one more than ``limit``."""
    n = 0
    for _ in _CONTROL.finditer(text):
        n += 1
        if n > limit:
            break
    return n


def looks_like_text(text: str) -> bool:
    """No more than one control character in a thousand (a few stray ones are tolerated)."""
    limit = max(_MIN_CONTROLS, len(text) // _CONTROLS_PER)
    return _control_chars(text, limit) <= limit


@cache
def _gb2312_hanzi(ch: str) -> bool:
    """A hanzi of GB2312's 6,763 (its rows 0xB0-0xF7): the characters ordinary text uses."""
    try:
        b = ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(b) == 2 and 0xB0 <= b[0] <= 0xF7


def _plausibility(text: str) -> float:
    """Share of characters that ordinary Chinese text is made of.

    ASCII text, common punctuation and the 6,763 hanzi of GB2312 count; a wrong decoding
    (UTF-8 bytes read as GBK, UTF-16 read as GBK, binary data) yields rare characters,
    private-use code points and control characters instead.
    """
    sample = text[:_SAMPLE]
    if not sample:
        return 1.0
    good = 0
    for ch in sample:
        o = ord(ch)
        if (
            (32 <= o < 127)
            or ch in "\t\n\r\f"
            or 0x3000 <= o <= 0x303F  # CJK punctuation
            or 0xFF01 <= o <= 0xFF5E  # full-width forms
            or 0x2010 <= o <= 0x2027  # dashes, quotes, ellipsis
            or ch in "·×÷°±℃‰№"
            or (0x4E00 <= o <= 0x9FFF and _gb2312_hanzi(ch))
        ):
            good += 1
    return good / len(sample)


_NUL_RATE = 1000  # a UTF-8 text may hold one NUL byte per this many bytes (read as spaces)
_NUL_MIN = 4  # … and this many in any case


def _best_decoding(data: bytes, codecs: list[str]) -> tuple[str, str] | None:
    """The decoding among ``codecs`` whose text looks most like ordinary text, if any does.

    Candidates are judged on the first 64 KB and only the winner decodes the whole file
    (a 50 MB file is not decoded three times). UTF-16 without a BOM cannot be told from its
    NUL bytes alone: Chinese has them only where ASCII characters are (digits, newlines),
    and 一 (U+4E00) puts one on the other side of the pair.
    """
    head = data[:_JUDGE_BYTES]
    scored = []
    for codec in codecs:
        try:
            sample = codecs_module.getincrementaldecoder(codec)().decode(
                head, final=len(head) == len(data)
            )
        except UnicodeDecodeError:
            continue
        if looks_like_text(sample):
            scored.append((-_plausibility(sample), codecs.index(codec), codec))
    for score, _, codec in sorted(scored):
        if -score < _MIN_PLAUSIBILITY:
            break
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if looks_like_text(text):
            return text, codec
    return None


def _utf8_with_stray_nuls(data: bytes) -> tuple[str, str] | None:
    """UTF-8 text with a few NUL bytes (``_NUL_MIN``, or one per ``_NUL_RATE`` bytes, as a bad copy or
    a C string leaves them), each read as a space so offsets stay; None for anything else."""
    nuls = data.count(b"\x00")
    if nuls > max(_NUL_MIN, len(data) // _NUL_RATE) or sniff(data) not in ("", "an HTML page"):
        return None
    try:
        text = data.decode("utf-8").replace("\x00", " ")
    except UnicodeDecodeError:
        return None
    return (text, "utf-8") if looks_like_text(text) else None


def _binary_reason(data: bytes) -> str:
    """Why bytes are refused as binary, naming what they look like."""
    kind = sniff(data)
    return f"binary data, not text (it looks like {kind})" if kind else "binary data, not text"


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; returns ``(text, encoding)`` or raises ``DecodeError``
    (a ``ValueError``).

    Tried in order: a BOM (UTF-8, UTF-16, UTF-32; the BOM is dropped), UTF-16 without a BOM
    when the file holds NUL bytes, UTF-8, then GB18030 (a superset of GBK and GB2312) and
    BOM-less UTF-16, each judged by how ordinary the decoded text looks; then the encoding
    charset-normalizer detects (Big5 …), when it decodes the whole file. Binary data
    and text in no known encoding are refused with a reason a person can act on.

    >>> decode_bytes("增长5%".encode("gbk"))
    ('增长5%', 'gb18030')
    """
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    f"starts with a {name.upper()} byte-order mark but is not valid "
                    f"{codec.upper()} (bad bytes at byte {exc.start + len(bom)})"
                ) from None
            if not looks_like_text(text):
                raise DecodeError(_binary_reason(data))
            return text, name
    if data.find(b"\x00", 0, _JUDGE_BYTES) >= 0:
        found = _best_decoding(data, ["utf-16-le", "utf-16-be"] if len(data) % 2 == 0 else [])
        if found is None:
            found = _utf8_with_stray_nuls(data)
        if found is None:
            raise DecodeError(_binary_reason(data))
        return found
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        if not looks_like_text(text):
            raise DecodeError(_binary_reason(data))
        return text, "utf-8"
    found = _best_decoding(
        data, ["gb18030"] + (["utf-16-le", "utf-16-be"] if len(data) % 2 == 0 else [])
    )
    if found is not None:
        return found
    if (
        sniff(data) not in ("", "an HTML page")
        or _control_chars(data[:_BINARY_PROBE_BYTES].decode("latin-1"), _BINARY_CONTROLS)
        > _BINARY_CONTROLS
    ):
        raise DecodeError(_binary_reason(data))
    # Mostly valid UTF-8 with a few bad bytes: a damaged file, not another encoding.
    lossy = data[:_DAMAGE_PROBE_BYTES].decode("utf-8", errors="replace")
    if lossy.count("\ufffd") * _DAMAGE_RATE < max(1, sum(1 for c in lossy if ord(c) > 127)):
        raise DecodeError(
            f"damaged UTF-8 text (invalid byte 0x{data[utf8_error.start]:02x} at byte "
            f"{utf8_error.start}); download or export it again"
        )
    detected = _detected(data)
    if detected is not None:
        return detected
    raise DecodeError(
        "not text in an encoding this tool reads (UTF-8, UTF-16, GB18030/GBK, or one "
        "charset-normalizer recognises: Big5, Shift-JIS …)"
    )


# charset-normalizer's "chaos" (share of the text that looks garbled) above which its guess is
# not taken
_MAX_CHAOS = 0.2


def _detected(data: bytes) -> tuple[str, str] | None:
    """The text in the encoding charset-normalizer finds (Big5, Shift-JIS, EUC-KR …), asked only
    when the rules above found none; None when it finds none that decodes the whole file."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:_JUDGE_BYTES]).best()
    if best is None or best.encoding is None or best.chaos > _MAX_CHAOS:
        return None
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    if not looks_like_text(text):
        return None
    return text, codecs_module.lookup(best.encoding).name


def decode_text_file(data: bytes) -> tuple[str, str, str]:
    """``decode_bytes`` plus the text's ``text_sha256``: strict UTF-8 without a BOM (the common
    case) is hashed from the bytes themselves, which are the text's UTF-8, instead of encoding
    the text again; the same digest either way."""
    text, encoding = decode_bytes(data)
    # plain UTF-8 is the one decoding whose text is the bytes as they are: NUL bytes in the
    # judged head go another way (UTF-16, or stray NULs read as spaces)
    if encoding == "utf-8" and data.find(b"\x00", 0, _JUDGE_BYTES) < 0:
        return text, encoding, hashlib.sha256(data).hexdigest()
    return text, encoding, text_sha256(text)


def text_sha256(text: str) -> str:
    """SHA-256 of the text's UTF-8 bytes, hashed in slices so a huge text is not copied."""
    h = hashlib.sha256()
    step = 1 << 20
    for i in range(0, len(text), step):
        h.update(text[i : i + step].encode("utf-8", errors="surrogatepass"))
    return h.hexdigest()
