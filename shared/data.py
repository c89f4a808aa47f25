"""Where data lives, and how it gets there.

One place decides: the environment variable ``REPRO_DATA``, else
``~/.cache/repro-blogs``. A loader asks :func:`fetch` for a file by its path
under that folder; when it is missing, :func:`fetch` downloads it from the
canonical source and checks its SHA-256. Offline, it fails with one line:
what is missing, where to put it, where to get it.
"""
import hashlib
import os
import re
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from shared import UserError
from shared.runs import usual_mode

DEFAULT_HOME = Path.home() / ".cache" / "repro-blogs"


def data_home():
    return Path(os.environ.get("REPRO_DATA") or DEFAULT_HOME)


def offline():
    """``REPRO_OFFLINE=1`` forbids downloads (tests set it): a missing file fails at once."""
    return os.environ.get("REPRO_OFFLINE", "") not in ("", "0")


def missing(what, target, url):
    return UserError(f"{what} is missing at {target}: put the file there (or set REPRO_DATA to a "
                     f"folder that has it); it can be downloaded from {url}")


def sha256(path, chunk=1 << 20):
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(chunk), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(relpath, url, checksum=None, describe=None):
    """Return the local path of ``relpath`` under :func:`data_home`, downloading it if needed.

    ``checksum`` is the expected SHA-256 of the downloaded file (files already in
    place are trusted, so a user may bring an equivalent copy of their own).
    """
    target = data_home() / relpath
    if target.is_file():
        return target
    what = describe or relpath
    if offline():
        raise missing(what, target, url)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        os.close(fd)
    except OSError as exc:
        raise UserError(f"{what} is missing and {target.parent} is not writable ({exc.strerror}); "
                        f"download {url} to {target} or set REPRO_DATA") from None
    try:
        try:
            with urllib.request.urlopen(url, timeout=60) as response, open(tmp, "wb") as out:
                while block := response.read(1 << 20):
                    out.write(block)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise UserError(f"{what} is missing at {target} and could not be downloaded from {url} "
                            f"({reason}); put the file there or set REPRO_DATA to a folder holding "
                            f"{relpath}") from None
        if checksum and sha256(tmp) != checksum:
            raise UserError(f"the download of {what} from {url} does not match its checksum; "
                            "try again, or put a good copy at " + str(target))
        usual_mode(tmp)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


_START = re.compile(r"^\*\*\* ?START OF (THE|THIS) PROJECT GUTENBERG EBOOK.*$", re.M | re.I)
_END = re.compile(r"^\*\*\* ?END OF (THE|THIS) PROJECT GUTENBERG EBOOK.*$", re.M | re.I)
_PRODUCED = re.compile(r"\A\s*(Produced by|E-text prepared by|Transcribed by)[^\n]*(\n[^\n]+)*", re.I)
_END_LINE = re.compile(r"\n[ \t]*End of (the )?Project Gutenberg('s)? E?Book[^\n]*\s*\Z", re.I)


def strip_gutenberg(text, url="https://www.gutenberg.org"):
    """A Project Gutenberg ebook's text alone: no byte-order mark, header, "Produced by"
    credit, closing line or licence; ``\\r\\n`` line ends become ``\\n``."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n")
    start, end = _START.search(text), _END.search(text)
    if start is None or end is None or end.start() < start.end():
        raise UserError("the text has no Project Gutenberg START/END markers: give the ebook's "
                        f"plain-text file as Project Gutenberg serves it ({url})")
    body = text[start.end():end.start()]
    body = _PRODUCED.sub("", body)
    body = _END_LINE.sub("\n", body)
    return body.strip("\n") + "\n"
