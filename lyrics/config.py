"""The settings of Gene Lyrica One and Two, on one screen.

Both models train on the same songs, cleaned and cut into windows the same way
(:class:`Config`); One adds its word embedding and GRUs (:class:`OneConfig`), Two its
sentence encoder (:class:`TwoConfig`). Each field becomes a command-line option
(``--max-repeats 3``) whose help is its docstring. The defaults are the author's
(``full``); ``quick`` and ``tiny`` are smaller runs of the same code.
"""
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from shared import UserError

EXPERIMENTS = ("one", "two")
SONG_FIELDS = ("corpus", "artists", "songs", "level", "max_words", "max_repeats", "transforms", "seq_len")
"""The settings that choose and cut the songs (what ``python -m lyrics songs`` takes)."""


@dataclass(frozen=True)
class Config:
    # the songs
    corpus: str = "ballads"
    """The songs: 'ballads' (The Oxford Book of Ballads) or a songs CSV with columns artist and text."""
    artists: tuple[str, ...] | None = None
    """Artists of the songs CSV to use, or '*' for all (None: the author's 20 rock artists)."""
    songs: int | None = None
    """Use only the first N songs (None: every one)."""
    held_out: int = 0
    """Never train on the last N of those songs: their loss after each epoch is val_loss (0: none, the post's)."""
    level: Literal["word", "char"] = "word"
    """Tokens: words (the post's), or characters."""
    max_words: int = 20_000
    """The tokenizer keeps this many of the most frequent tokens."""
    max_repeats: int = 2
    """A line repeated more than this many times in a row is cut to this many (choruses)."""
    transforms: bool = False
    """Apply the author's word transforms (singin' -> singing, cannot -> can't, ...)."""
    seq_len: int | None = None
    """Tokens a model reads before the next (None: the median line length × 4 + 3)."""
    # the training
    batch_size: int = 256
    """Samples per batch."""
    epochs: int = 100
    """At most this many epochs."""
    patience: int = 5
    """Early stopping: epochs without the loss falling by min_delta before training stops."""
    min_delta: float = 0.001
    """Early stopping: the fall of the loss that counts as progress."""
    # the lyrics written after every epoch and in the report
    sample_length: int = 100
    """Tokens written after "hello world" (the author's web page: 100)."""
    randomness: float = 0.3
    """Randomness of those lyrics: 0 is always the likeliest token (the author's web page: 0.3)."""

    def __post_init__(self):
        # Files are kept as absolute paths, so that a resumed run finds them from any folder.
        if self.corpus != "ballads":
            object.__setattr__(self, "corpus", str(Path(self.corpus).resolve()))

    def check(self):
        if self.corpus != "ballads" and not Path(self.corpus).is_file():
            raise UserError(f"--corpus {self.corpus}: no such file (give 'ballads' or a songs CSV)")
        if self.artists is not None:
            if self.corpus == "ballads":
                raise UserError("--artists chooses artists of a songs CSV: give --corpus SONGS.csv too")
            if not [a for a in self.artists if a.strip()]:
                raise UserError("--artists is empty: name artists, or '*' for all")
        for name in ("songs", "seq_len", "max_words", "max_repeats", "batch_size", "epochs", "sample_length"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise UserError(f"--{name.replace('_', '-')} must be at least 1, not {value}")
        if self.held_out < 0:
            raise UserError(f"--held-out cannot be negative, not {self.held_out}")
        if self.songs is not None and self.held_out >= self.songs:
            raise UserError(f"--held-out {self.held_out} of --songs {self.songs} leaves no song to train on")
        if self.patience < 0 or self.min_delta < 0:
            raise UserError("--patience and --min-delta cannot be negative")
        if not 0 <= self.randomness <= 2:
            raise UserError(f"--randomness is between 0 and 2 (the author's: 0.3), not {self.randomness}")


@dataclass(frozen=True)
class OneConfig(Config):
    """Gene Lyrica One: a word embedding and two bidirectional GRUs."""
    embedding: str = "word2vec"
    """Initial word vectors: word2vec (trained on the songs), random, or a GloVe text file (the post's)."""
    embedding_dim: int = 50
    """Width of the word vectors."""
    units: int = 128
    """Units of each GRU (each direction)."""
    dense: int = 128
    """Units of the dense layer before the softmax."""
    w2v_epochs: int = 3
    """Epochs of the word2vec training."""

    def __post_init__(self):
        super().__post_init__()
        if self.embedding not in ("word2vec", "random"):
            object.__setattr__(self, "embedding", str(Path(self.embedding).resolve()))

    def check(self):
        super().check()
        if self.embedding not in ("word2vec", "random") and not Path(self.embedding).is_file():
            raise UserError(f"--embedding {self.embedding}: not word2vec, random or a GloVe file")
        if self.level == "char" and self.embedding != "random":
            raise UserError("word vectors do not apply to characters: give --embedding random with --level char")
        for name in ("embedding_dim", "units", "dense", "w2v_epochs"):
            if getattr(self, name) < 1:
                raise UserError(f"--{name.replace('_', '-')} must be at least 1")


@dataclass(frozen=True)
class TwoConfig(Config):
    """Gene Lyrica Two: the text before the next token, read by a sentence encoder."""
    encoder: str = "minilm"
    """The sentence encoder: minilm (all-MiniLM-L6-v2), use (the post's, from TF-Hub), or a model folder."""
    max_tokens: int = 64
    """The encoder reads at most this many of its own tokens of a window."""
    freeze_encoder: bool = False
    """Do not train the encoder: each window is encoded once and only the layers after it train."""
    dense: int = 64
    """Units of the dense layer before the softmax."""
    learning_rate: float = 1e-3
    """Adam's learning rate."""

    def __post_init__(self):
        super().__post_init__()
        if self.encoder not in ("minilm", "use") and Path(self.encoder).is_dir():
            object.__setattr__(self, "encoder", str(Path(self.encoder).resolve()))

    def check(self):
        super().check()
        if (self.encoder not in ("minilm", "use") and not self.encoder.startswith(("hf://", "kaggle://"))
                and not Path(self.encoder).is_dir()):
            raise UserError(f"--encoder {self.encoder}: not 'minilm', 'use' or a folder; give a BERT-family "
                            "model folder (config.json, vocab.txt, model.safetensors) or a TF SavedModel folder")
        if self.max_tokens < 2 or self.dense < 1 or not self.learning_rate > 0:
            raise UserError("--max-tokens is at least 2, --dense at least 1, --learning-rate above 0")


ONE = OneConfig()
# quick: the first 20 ballads (about 18,000 samples) for 12 epochs: about 4 minutes on 2 cores; the next
# 3 ballads are held out, their loss measured after every epoch.
ONE_QUICK = replace(ONE, songs=23, held_out=3, epochs=12)
# tiny: for the tests, two short songs, small GRUs, two epochs: seconds; nothing it writes means anything.
ONE_TINY = replace(ONE, songs=2, units=8, dense=8, epochs=2, sample_length=12, w2v_epochs=1)

# The author's model with MiniLM in place of the Universal Sentence Encoder, trained along (53 min an epoch here).
TWO = TwoConfig()
# quick: One's quick songs, the encoder frozen so that each text window is encoded once (75 s), then up
# to 40 epochs of the layers after it: about 3 minutes on 2 cores. The same 3 ballads are held out.
TWO_QUICK = replace(TWO, songs=23, held_out=3, epochs=40, max_tokens=48, freeze_encoder=True)
# tiny: for the tests, one short song, short inputs, two epochs (give --encoder a small folder).
TWO_TINY = replace(TWO, songs=1, epochs=2, max_tokens=16, sample_length=8)

PROFILES = {"one": {"full": ONE, "quick": ONE_QUICK, "tiny": ONE_TINY},
            "two": {"full": TWO, "quick": TWO_QUICK, "tiny": TWO_TINY}}
CLASSES = {"one": OneConfig, "two": TwoConfig}


def experiment_of(settings):
    """'one' or 'two': which model a settings object is for."""
    return "one" if isinstance(settings, OneConfig) else "two"


def with_defaults(experiment, overrides):
    """Command-line settings, completed: characters as tokens start from random vectors unless
    an embedding is named (word vectors do not apply to them)."""
    if experiment == "one" and overrides.get("level") == "char":
        return {"embedding": "random", **overrides}
    return overrides
