"""The settings of a run: the post's script's values, and two smaller profiles.

``python -m joyce_lstm --help`` lists an option for each field (``--text-chars``,
``--layers`` ...), with the docstring below it as the help text.
"""
from dataclasses import dataclass, replace
from typing import Literal

from shared import UserError
from shared.config import option

BOOKS = ("ulysses", "dubliners")  # the corpus's books (corpus.SOURCES says where each comes from)


@dataclass(frozen=True)
class Config:
    books: tuple[str, ...] = BOOKS
    """Books of the corpus, in order (ulysses, dubliners)."""
    text_chars: int | None = None
    """Train on the first N characters of the corpus only (not given: all of it)."""
    maxlen: int = 100
    """Characters the network reads before each prediction (the window)."""
    step: int = 3
    """A window starts every STEP characters."""
    units: int = 128
    """Units of each LSTM layer."""
    layers: int = 1
    """Stacked LSTM layers (its author wanted 3)."""
    batch_size: int = 128
    """Windows per training step."""
    epochs: int = 60
    """Passes over the windows."""
    sample_length: int = 400
    """Characters of each sample written after every epoch."""
    diversities: tuple[float, ...] = (0.2, 0.5, 1.0, 1.2)
    """Temperatures of the per-epoch samples."""
    pipeline: Literal["streaming", "original"] = "streaming"
    """One-hot batches built on the fly, or the post's arrays materialised up front."""
    held_out: Literal["the-dead"] | None = None
    """Leave this part of the corpus out of training and report its loss every epoch as val_loss
    (the-dead: "The Dead", Dubliners' last story)."""

    def check(self):
        """One line for the first setting that cannot work."""
        for name in ("maxlen", "step", "units", "batch_size", "epochs", "sample_length"):
            if getattr(self, name) < 1:
                raise UserError(f"{option(name)} must be at least 1")
        if not 1 <= self.layers <= 8:
            raise UserError(f"{option('layers')} must be between 1 and 8")
        if self.text_chars is not None and self.text_chars < self.maxlen + 2:
            raise UserError(f"{option('text_chars')} must be at least {self.maxlen + 2} "
                            "(one window and its next character)")
        unknown = [b for b in self.books if b not in BOOKS]
        if unknown or not self.books or len(set(self.books)) < len(self.books):
            raise UserError(f"{option('books')} takes each of {', '.join(BOOKS)} at most once, "
                            f"not {' '.join(self.books) or 'none'}")
        if self.held_out == "the-dead" and "dubliners" not in self.books:
            raise UserError(f"{option('held_out')} the-dead is a story of Dubliners: give dubliners among "
                            f"{option('books')}")
        if not all(d > 0 for d in self.diversities):
            raise UserError(f"{option('diversities')} must all be above 0 (0.2 is conservative, 1.2 adventurous)")


# The post's script, exactly: both books, LSTM(128), Nadam, batch 128, 60 epochs (about 5 hours on 2 cores).
FULL = Config()
# The same code on the first 240,000 characters (80 k windows), 5 epochs: about 4 minutes on 2 cores;
# the loss on "The Dead", which no run of this profile reads, shows what the network has learnt.
QUICK = replace(FULL, text_chars=240_000, epochs=5, sample_length=200, held_out="the-dead")
# For tests: a sliver of text, a small LSTM, two epochs, short samples (seconds).
TINY = replace(FULL, text_chars=6_000, units=16, epochs=2, sample_length=12)

PROFILES = {"full": FULL, "quick": QUICK, "tiny": TINY}
