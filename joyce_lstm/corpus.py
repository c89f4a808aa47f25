"""The Joyce corpus: Ulysses and Dubliners, prepared as the post's script does.

The post reads one file of both books, strips every line, turns each blank line
into "\\n\\n" and joins the lines with single spaces. Before that, the Project
Gutenberg apparatus (byte-order mark, header, "Produced by" credit, the closing
line and the licence) is cut away, so the network learns Joyce and not the
licence.
"""
import re
from dataclasses import dataclass

import numpy as np

from joyce_lstm.config import BOOKS
from shared import UserError
from shared.data import fetch, sha256, strip_gutenberg

# Where each book comes from: Project Gutenberg ebooks #4300 (Ulysses) and #2814 (Dubliners).
SOURCES = {
    "ulysses": ("joyce/ulysses.txt", "https://www.gutenberg.org/files/4300/4300-0.txt"),
    "dubliners": ("joyce/dubliners.txt", "https://www.gutenberg.org/files/2814/2814-0.txt"),
}
# The edition these figures were measured on (Gutenberg files are revised now and then).
CHECKSUMS = {
    "ulysses": "214a6ad35198bca3c38aca97a83b7d2235cc181fb1a1b7df18f2e88b291c6f64",
    "dubliners": "5d85658e92cee01590bf72905717947939fdae74650a5962db861d24f643cd58",
}


def prepare(text):
    """The post's preprocessing: strip each line, a blank line becomes "\\n\\n", join with spaces."""
    parts = []
    for line in text.splitlines(keepends=True):
        parts.append("\n\n" if line == "\n" else line.strip())
    return " ".join(parts)


def read_book(name):
    relpath, url = SOURCES[name]
    path = fetch(relpath, url, describe=f"{name.capitalize()} (Project Gutenberg)")
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{path} is not UTF-8 text: download the UTF-8 plain text from {url}") from None
    return path, raw, url


def load(books=BOOKS):
    """The prepared corpus of the named books, in order, and where each came from.

    The one place the books are read: for training (:func:`training_text`) and
    for the corpus's figures in a run's report (always both books).
    """
    pieces, sources = [], {}
    for name in books:
        path, raw, url = read_book(name)
        pieces.append(strip_gutenberg(raw, url))
        sources[name] = {"path": str(path), "sha256": sha256(path),
                         "edition_as_measured": sha256(path) == CHECKSUMS[name]}
    # One file of both books, as the post's JamesJoyce.txt: the books end to end.
    text = prepare("\n".join(pieces))
    if not text.strip():
        raise UserError("the corpus is empty after removing the Project Gutenberg header and licence")
    return text, sources


# The parts of the corpus a run can leave out (``--held-out``): what each is, where it begins and ends.
HELD_OUT = {
    "the-dead": ("“The Dead”, Dubliners' last story", "THE DEAD \n\n LILY, the caretaker’s daughter",
                 "upon all the living and the dead."),
}
HELD_OUT_WINDOWS = 4096  # its loss is taken on this many of its windows, the same ones in every run


def hold_out(text, part):
    """(``text`` without ``part``, the part): the part is cut from its first line to its last."""
    _, first, last = HELD_OUT[part]
    start = text.find(first)
    end = text.find(last, max(start, 0))
    if start < 0 or end < 0:
        raise UserError(f"the corpus has no {part!r} here (another edition of the books?)")
    end += len(last)
    return text[:start] + text[end:], text[start:end]


def training_text(settings):
    """(the text a run trains on, the text it holds out, its Vocabulary, the books' sources)
    for a :class:`Config`.

    The vocabulary is always the characters of the whole corpus of ``settings.books``
    (the post's one-hot width), even when only its first ``text_chars`` are trained on.
    The part ``settings.held_out`` names is cut out first, so no run reads it ("" when none).
    """
    text, sources = load(settings.books)
    vocab = Vocabulary.of(text)
    held = ""
    if settings.held_out is not None:
        text, held = hold_out(text, settings.held_out)
    part = text if settings.text_chars is None else text[:settings.text_chars]
    if len(part) < settings.maxlen + 2:
        raise UserError(f"the training text has {len(part)} characters: it needs at least "
                        f"{settings.maxlen + 2}")
    return part, held, vocab, sources


@dataclass(frozen=True)
class Vocabulary:
    """The sorted distinct characters of the corpus and their one-hot positions."""
    chars: str

    @classmethod
    def of(cls, text):
        return cls("".join(sorted(set(text))))

    def __len__(self):
        return len(self.chars)

    @property
    def index(self):
        return {c: i for i, c in enumerate(self.chars)}

    def unknown(self, text):
        """Characters of ``text`` the vocabulary lacks, in order of first appearance."""
        known = set(self.chars)
        return list(dict.fromkeys(c for c in text if c not in known))

    def encode(self, text):
        bad = self.unknown(text)
        if bad:
            shown = ", ".join(repr(c) for c in bad[:10]) + (" ..." if len(bad) > 10 else "")
            raise UserError(f"the text has characters the network never saw: {shown}; "
                            "use only characters of the corpus")
        table = np.full(max(map(ord, self.chars)) + 1, -1, dtype=np.int32)
        for i, c in enumerate(self.chars):
            table[ord(c)] = i
        return table[np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)].astype(np.int32)

    def decode(self, indices):
        return "".join(self.chars[i] for i in indices)

    def to_json(self):
        return {"chars": self.chars, "size": len(self.chars)}

    @classmethod
    def from_json(cls, obj):
        return cls(obj["chars"])


def n_sequences(length, maxlen, step):
    """How many (window, next character) pairs the post's loop makes."""
    return len(range(0, max(length - maxlen, 0), step))


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'’”)]*\s+|\n\n+")


def sentence_lengths(text):
    """Lengths in characters of the corpus's sentences.

    A sentence ends at ".", "!" or "?" followed by space (a closing quote or
    bracket after the stop is not counted) or at a paragraph break; Joyce's dialogue lines,
    which open with a dash and often end without a stop, end at their paragraph.
    """
    pieces = (s.strip() for s in _SENTENCE_END.split(text))
    return np.array([len(s) for s in pieces if s], dtype=np.int64)


def describe(text, maxlen, step, lengths=None):
    """The corpus's figures; ``lengths`` are its sentence lengths when already measured."""
    lengths = sentence_lengths(text) if lengths is None else lengths
    vocab = Vocabulary.of(text)
    return {
        "length": len(text),
        "chars": len(vocab),
        "sequences": n_sequences(len(text), maxlen, step),
        "sentences": int(lengths.size),
        "share_below_100": float(np.mean(lengths < 100)),
        "share_below_125": float(np.mean(lengths < 125)),
        "median_sentence": float(np.median(lengths)),
        "onehot_gb": n_sequences(len(text), maxlen, step) * maxlen * len(vocab) / 1e9,
    }
