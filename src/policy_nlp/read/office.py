"""Old Word (.doc), WPS Writer (.wps) and RTF files, read through LibreOffice's headless
converter: ``soffice --headless --convert-to docx``, then the .docx reader.

The file is copied into a private temporary folder and converted there with a private
LibreOffice profile (so conversions in parallel workers and a LibreOffice the user has open
never share one); macros are not run (headless conversion never runs them). When LibreOffice
is not installed the error names the command that installs it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from policy_nlp.read.decode import sniff
from policy_nlp.read.docx import read_docx
from policy_nlp.read.extracted import DocumentError, Extracted
from policy_nlp.read.limits import DEFAULT_LIMITS, Limits

__all__ = ["CONVERTED", "INSTALL_HINT", "read_office", "soffice"]

# suffix -> what the file is, for messages
CONVERTED = {".doc": "old Word 97-2003", ".wps": "WPS Writer", ".rtf": "RTF"}
# how such files start: an OLE compound file (Word 97-2003, WPS), RTF, and what Word and
# government sites also save under .doc (a .docx renamed, an HTML page)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_STARTS = (_OLE, b"{\\rtf", b"PK\x03\x04")
_HTML = re.compile(rb"^\s*(?:<!doctype\s+html|<html|<head|<meta)", re.I)
INSTALL_HINT = (
    "install LibreOffice (Debian/Ubuntu: sudo apt-get install libreoffice-writer-nogui; "
    "macOS: brew install --cask libreoffice) or save the file as .docx"
)
# seconds one conversion may take (the run's --time-limit watches the whole document too)
CONVERT_TIMEOUT = 180


def soffice() -> str | None:
    """The LibreOffice program (``soffice`` or ``libreoffice`` on PATH), or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_office(data: bytes, path: Path, limits: Limits = DEFAULT_LIMITS) -> Extracted:
    """The text of a .doc, .wps or .rtf file, converted to .docx by LibreOffice; raises
    ``DocumentError`` when LibreOffice is missing or cannot convert it."""
    suffix = path.suffix.lower()
    what = CONVERTED.get(suffix, suffix)
    if not (data.startswith(_STARTS) or _HTML.match(data[:1024])):
        kind = sniff(data)
        raise DocumentError(
            path,
            f"not a valid {what} file" + (f" (it looks like {kind})" if kind else " (damaged?)"),
        )
    program = soffice()
    if program is None:
        raise DocumentError(
            path, f"reading {what} ({suffix}) files needs LibreOffice, not found: {INSTALL_HINT}"
        )
    with tempfile.TemporaryDirectory(prefix="policy-nlp-office-") as tmp:
        source = Path(tmp) / f"input{suffix}"
        source.write_bytes(data)
        profile = Path(tmp) / "profile"
        command = [
            program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
            "--convert-to", "docx", "--outdir", tmp, str(source),
        ]  # fmt: skip
        try:
            subprocess.run(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                timeout=CONVERT_TIMEOUT,
                check=False,
                env={**os.environ, "HOME": tmp},
            )
        except subprocess.TimeoutExpired:
            raise DocumentError(
                path, f"LibreOffice took longer than {CONVERT_TIMEOUT} s to convert it"
            ) from None
        except OSError as exc:
            raise DocumentError(path, f"LibreOffice could not be started ({exc})") from None
        converted = Path(tmp) / "input.docx"
        if not converted.is_file() or converted.stat().st_size == 0:
            raise DocumentError(
                path,
                f"LibreOffice could not convert this {what} file (damaged, or not a {what} "
                "file); open it in Word or WPS and save it as .docx",
            )
        got = read_docx(converted.read_bytes(), path, limits)
    return Extracted(got.text, suffix.lstrip("."), title=got.title)
