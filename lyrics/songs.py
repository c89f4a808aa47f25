"""Songs: the author's lyrics CSV, or the public-domain Oxford Book of Ballads.

Both come out as the same table: one song per row with ``artist``, ``song`` and
``text`` (the columns of Kaggle's "songdata", the file the post's generator was
trained on; other columns are ignored).
"""
import csv
import re
import sys

from shared import UserError
from shared.data import fetch, sha256, strip_gutenberg
from shared.runs import atomic_path

# The 20 rock artists the author trained Gene Lyrica on (names as in songdata).
ROCK_ARTISTS = (
    "The Beatles", "Rolling Stones", "Pink Floyd", "Queen", "Who", "Jimi Hendrix", "Doors",
    "Nirvana", "Eagles", "Aerosmith", "Creedence Clearwater Revival", "Guns N' Roses",
    "Black Sabbath", "U2", "David Bowie", "Beach Boys", "Van Halen", "Bob Dylan",
    "Eric Clapton", "Red Hot Chili Peppers",
)
COLUMNS = ("artist", "song", "text")

BALLADS = ("lyrics/oxford_book_of_ballads_pg44593.txt",
           "https://www.gutenberg.org/files/44593/44593-0.txt")
BALLADS_ARTIST = "Traditional"


def load_csv(path, artists=ROCK_ARTISTS):
    """The songs of ``artists`` (``'*'`` or ``None``: every artist) from a songs CSV.

    Artist names match case-insensitively. Named artists missing from the file are
    an error; of the default rock set only the ones present are used (the rest are
    named in a log line). Rows with an empty text are skipped and counted.
    """
    try:
        fh = open(path, newline="", encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot read the songs CSV {path}: {exc.strerror}") from None
    with fh:
        try:
            reader = csv.DictReader(fh)
            header = [h.strip().lower() for h in (reader.fieldnames or [])]
            missing = [c for c in ("artist", "text") if c not in header]
            if missing:
                found = ", ".join(reader.fieldnames or []) or "no header at all"
                raise UserError(f"{path} has no column {' or '.join(repr(m) for m in missing)}: a songs "
                                f"CSV needs the columns 'artist' and 'text' (found: {found})")
            reader.fieldnames = header
            rows = list(reader)
        except UnicodeDecodeError:
            raise UserError(f"{path} is not UTF-8 text: save the CSV as UTF-8") from None
        except csv.Error as exc:
            raise UserError(f"{path} is not a readable CSV ({exc})") from None
    everyone = artists is None or artists == "*" or list(artists) == ["*"]
    wanted = None if everyone else {a.strip().lower(): a for a in artists}
    present = {(r.get("artist") or "").strip().lower() for r in rows}
    if wanted is not None:
        absent = [name for key, name in wanted.items() if key not in present]
        if absent and tuple(artists) == ROCK_ARTISTS:
            print(f"note: {len(absent)} of the 20 rock artists are not in {path}: {', '.join(absent)}",
                  file=sys.stderr)
        elif absent:
            some = ", ".join(sorted(a for a in present if a)[:5])
            raise UserError(f"artist {', '.join(repr(a) for a in absent)} is not in {path} "
                            f"({len(present)} artists, e.g. {some}); use --artists '*' for every artist")
    songs, empty = [], 0
    for row in rows:
        artist = (row.get("artist") or "").strip()
        if wanted is not None and artist.lower() not in wanted:
            continue
        text = row.get("text") or ""
        if not text.strip():
            empty += 1
            continue
        songs.append({"artist": artist, "song": (row.get("song") or "").strip(), "text": text})
    if not songs:
        which = "any artist" if wanted is None else "the chosen artists"
        raise UserError(f"{path} has no song with a text for {which}"
                        + (f" ({empty} rows have an empty text)" if empty else ""))
    if empty:
        print(f"note: skipped {empty} songs with an empty text in {path}", file=sys.stderr)
    return songs


def write_csv(songs, path):
    """The songs as a songs CSV (artist, song, text), written whole or not at all."""
    with atomic_path(path) as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(songs)


# --- The Oxford Book of Ballads -------------------------------------------------------------

_TITLE = re.compile(r"^_(\d+)\. (.+?)_\s*$")          # "_1. Thomas the Rhymer_", at the margin
_BOOK = re.compile(r"^(BOOK [IVX]+|PART [IVX]+)\s*$")
_STANZA = re.compile(r"^[IVXLC]+\.?$")                 # stanza numbers: I, II, ..., CCCX
_FOOTNOTE_REF = re.compile(r"\[\d+\]")                  # [5]
_INDEX = "INDEX OF FIRST LINES"


def parse_ballads(raw):
    """One song per ballad: its number, title, book and verse.

    In the Gutenberg layout the ballads start with ``_N. Title_`` at the margin and
    their verse is indented. Kept: the indented verse lines. Dropped: the stanza
    numbers, the footnote markers (``[5]``) and each ballad's ``FOOTNOTES:``, the
    editor's prose at the margin (subtitles, summaries between fragments), and the
    underscores that mark italics. The editor's own supplements, printed in square
    brackets, are kept without the brackets.
    """
    body = strip_gutenberg(raw, BALLADS[1])
    songs, current, book, in_notes = [], None, None, False
    for line in body.split("\n"):
        stripped = line.strip()
        if stripped == _INDEX:
            break
        if _BOOK.match(line):
            book = "Book " + stripped.split()[1] if stripped.startswith("BOOK") else book
            continue
        title = _TITLE.match(line)
        if title:
            current = {"artist": BALLADS_ARTIST, "song": title.group(2).strip(),
                       "number": int(title.group(1)), "book": book, "lines": []}
            songs.append(current)
            in_notes = False
            continue
        if current is None:
            continue
        if stripped == "FOOTNOTES:":
            in_notes = True
            continue
        if in_notes or not line.startswith(" ") or _STANZA.match(stripped):
            # Notes run to the next title; margin text is the editor's; numbers are not sung.
            if not stripped:
                current["lines"].append("")
            continue
        verse = _FOOTNOTE_REF.sub("", stripped).replace("_", "").replace("[", "").replace("]", "")
        current["lines"].append(" ".join(verse.split()))
    if not songs:
        raise UserError("no ballad found in the text (titles look like '_1. Thomas the Rhymer_'): "
                        f"is it The Oxford Book of Ballads from {BALLADS[1]}?")
    for song in songs:
        song["text"] = _stanzas(song.pop("lines"))
    return [s for s in songs if s["text"]]


def _stanzas(lines):
    """Verse lines with single blank lines between stanzas, none at the ends."""
    out = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def load_ballads():
    """The ballads as songs, and where they came from."""
    path = fetch(BALLADS[0], BALLADS[1], describe="The Oxford Book of Ballads (Project Gutenberg #44593)")
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{path} is not UTF-8 text: download the UTF-8 plain text from {BALLADS[1]}") from None
    return parse_ballads(raw), {"path": str(path), "sha256": sha256(path)}


def load(corpus, artists=None):
    """Songs of a corpus setting: ``"ballads"`` or the path of a songs CSV."""
    if corpus == "ballads":
        songs, source = load_ballads()
        return songs, dict(source, name="The Oxford Book of Ballads (Project Gutenberg #44593)")
    chosen = ROCK_ARTISTS if artists is None else artists
    songs = load_csv(corpus, chosen)
    return songs, {"name": f"songs CSV {corpus}", "path": str(corpus), "sha256": sha256(corpus),
                   "artists": "*" if list(chosen) == ["*"] else list(chosen)}
