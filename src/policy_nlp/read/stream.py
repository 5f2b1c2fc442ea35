"""Read a huge text file a piece at a time, so its memory does not grow with its size.

A ``.txt``/``.md`` file larger than ``Limits.piece_mb`` is never held whole: its encoding is
found from its first megabyte (as ``decode_bytes`` finds it for a whole file), then the
bytes are decoded a block at a time and given out as pieces of about ``PIECE_CHARS``
characters, cut after a line end (else after a sentence end, never inside a number:
``policy_nlp.pieces.slices``). Each piece is checked as a whole file is (binary data, bad
bytes), so a file that turns to garbage halfway is refused with the byte where it did.

>>> import tempfile, pathlib
>>> f = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
>>> _ = f.write_text("第一行。\\n第二行。\\n" * 3, encoding="utf-8")
>>> s = TextStream(f, piece_chars=12)
>>> [len(p) for p in s.pieces()], s.encoding, s.chars
([10, 10, 10], 'utf-8', 30)
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterator
from pathlib import Path

from policy_nlp.pieces import slices
from policy_nlp.read.decode import BOMS, decode_bytes, looks_like_text
from policy_nlp.read.extracted import DocumentError

__all__ = ["BLOCK_BYTES", "HEAD_BYTES", "PIECE_CHARS", "TextStream"]

PIECE_CHARS = 1_000_000  # characters per piece (about 3 MB of Chinese UTF-8)
BLOCK_BYTES = 4 * 2**20  # bytes read and decoded at a time
HEAD_BYTES = 2**20  # bytes the encoding is judged on


def _head_cut(head: bytes, whole: bool) -> list[bytes]:
    """Candidate cuts of ``head`` that end on a character boundary, best first: after its
    last line end (``\\n`` is never inside a character of UTF-8 or GB18030), else a few bytes
    back (a UTF-8 character has at most four); UTF-16/32 at a multiple of four bytes."""
    if whole:
        return [head]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:65536]:
        return [head[: len(head) // 4 * 4]]
    nl = head.rfind(b"\n")
    cuts = [head[: nl + 1]] if nl > 0 else []
    return cuts + [head[: len(head) - k] for k in range(4)]


class TextStream:
    """A text file given out in pieces: ``pieces()`` yields them once, after which
    ``encoding``, ``chars`` (characters in all) and ``sha256`` (of the text, as
    ``text_sha256`` hashes a whole one) describe the whole text."""

    def __init__(self, path: str | Path, *, piece_chars: int | None = None) -> None:
        self.path = Path(path)
        self.piece_chars = piece_chars or PIECE_CHARS
        self.encoding = ""
        self.chars = 0
        self._hash = hashlib.sha256()

    @property
    def sha256(self) -> str:
        """SHA-256 of the text read so far (all of it once ``pieces`` is exhausted)."""
        return self._hash.hexdigest()

    def _codec(self, f) -> tuple[str, int]:
        """The codec to decode the file with and the bytes to skip (a BOM): judged on its head."""
        head = f.read(HEAD_BYTES)
        whole = len(head) < HEAD_BYTES
        reason = "file is empty"
        for cut in _head_cut(head, whole):
            try:
                _, name = decode_bytes(cut)
            except ValueError as exc:
                reason = str(exc)
                continue
            break
        else:
            raise DocumentError(self.path, reason)
        for bom, codec, bom_name in BOMS:
            if name == bom_name and head.startswith(bom):
                return codec, len(bom)
        return name, 0

    def pieces(self) -> Iterator[str]:
        """The text in pieces of about ``piece_chars`` characters, cut after a line or sentence
        end; raises ``DocumentError`` where the bytes stop being text in the file's encoding."""
        try:
            f = open(self.path, "rb")  # noqa: SIM115 - closed in the finally below
        except OSError as exc:
            raise DocumentError(
                self.path, f"cannot read the file ({exc.strerror or exc})"
            ) from None
        try:
            codec, skip = self._codec(f)
            self.encoding = "utf-8-sig" if codec == "utf-8" and skip else codec
            f.seek(skip)
            decoder = codecs.getincrementaldecoder(codec)()
            buf, offset = "", skip
            while True:
                block = f.read(BLOCK_BYTES)
                try:
                    buf += decoder.decode(block, final=not block)
                except UnicodeDecodeError as exc:
                    raise DocumentError(
                        self.path,
                        f"not valid {codec.upper()} text from byte {offset + exc.start:,} on "
                        "(a damaged or mixed file)",
                    ) from None
                offset += len(block)
                if codec.startswith("utf-8"):
                    buf = buf.replace("\x00", " ")  # stray NULs read as spaces, as decode_bytes
                cuts = slices(buf, size=self.piece_chars) if block else [(0, len(buf))]
                if not block and not buf:
                    return
                for start, end in cuts if not block else cuts[:-1]:
                    yield self._checked(buf[start:end], offset)
                if not block:
                    return
                buf = buf[cuts[-1][0] :]
        finally:
            f.close()

    def _checked(self, piece: str, offset: int) -> str:
        if not looks_like_text(piece):
            raise DocumentError(
                self.path,
                f"binary data, not text (found before byte {offset:,} of a huge text file)",
            )
        self.chars += len(piece)
        for i in range(0, len(piece), 1 << 20):
            self._hash.update(piece[i : i + (1 << 20)].encode("utf-8", errors="surrogatepass"))
        return piece
