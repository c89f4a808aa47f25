"""The lyrics' text: cleaning, tokenizers, line lengths and training windows.

Cleaning follows the author's generator: ``*`` removed, lowercase, newlines
stripped at the ends, a line repeated more than ``max_repeats`` times in a row cut
to ``max_repeats``, and optional word transforms. A newline is a token of its own.
"""
import json
import re
from collections import Counter

import numpy as np

NEWLINE = "\n"
PAD = 0  # index 0: padding, and every word outside the vocabulary

# The author's optional transforms: dropped g's restored, contractions made one form.
WORD_TRANSFORMS = (
    (r"\b(\w+)in'(?=\s|$)", r"\1ing"),       # singin' -> singing
    (r"\bcannot\b", "can't"),
    (r"\bcan not\b", "can't"),
    (r"\bi am\b", "i'm"),
    (r"\bhe is\b", "he's"),
    (r"\bshe is\b", "she's"),
    (r"\bit is\b", "it's"),
    (r"\bthat is\b", "that's"),
    (r"\bthere is\b", "there's"),
    (r"\bwhat is\b", "what's"),
    (r"\byou are\b", "you're"),
    (r"\bwe are\b", "we're"),
    (r"\bthey are\b", "they're"),
    (r"\bdo not\b", "don't"),
    (r"\bdoes not\b", "doesn't"),
    (r"\bdid not\b", "didn't"),
    (r"\bwill not\b", "won't"),
    (r"\bi will\b", "i'll"),
    (r"\byou will\b", "you'll"),
    (r"\bgonna\b", "going to"),
    (r"\bwanna\b", "want to"),
)
_TRANSFORMS = [(re.compile(a), b) for a, b in WORD_TRANSFORMS]

# Keras' Tokenizer filters, less the newline (kept as a token) and the apostrophe (kept in words).
_FILTERS = re.compile(r"[!\"#$%&()*+,\-./:;<=>?@\[\\\]^_`{|}~\t“”—–…]")
# An opening quote, or a closing quote after punctuation, is a quotation mark; other ’ are apostrophes.
_QUOTES = re.compile(r"‘|(?<=[.,;:!?\-—])’")


def cut_repeats(lines, max_repeats=2):
    """Runs of the same line longer than ``max_repeats`` cut to ``max_repeats``."""
    out, run = [], 0
    for i, line in enumerate(lines):
        run = run + 1 if i and line == lines[i - 1] else 1
        if run <= max_repeats or not line.strip():
            out.append(line)
    return out


def clean(text, max_repeats=2, transforms=False):
    """One song's text, cleaned as the author's generator cleans it."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("*", "").lower()
    text = _QUOTES.sub(" ", text).replace("’", "'")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    lines = cut_repeats(lines, max_repeats)
    text = "\n".join(lines).strip("\n")
    if transforms:
        for pattern, replacement in _TRANSFORMS:
            text = pattern.sub(replacement, text)
    return text


def words(text):
    """Word tokens of a cleaned text: punctuation dropped, each newline a token."""
    text = _FILTERS.sub(" ", text)
    tokens = []
    for i, line in enumerate(text.split("\n")):
        if i:
            tokens.append(NEWLINE)
        tokens.extend(w for w in line.split() if w.strip("'"))
    return tokens


def join(tokens, level="word"):
    """Tokens back to text, newline tokens as line breaks."""
    if level == "char":
        return "".join(tokens)
    return " ".join(tokens).replace(" \n ", "\n").replace("\n ", "\n").replace(" \n", "\n")


class Tokenizer:
    """Word- or character-level tokens to indices 1..n by frequency; 0 is padding and unknown.

    At most ``num_words`` tokens are kept (the most frequent; ties in order of
    first appearance), so the model's output has ``size = n + 1`` classes.
    """

    def __init__(self, level="word", num_words=20_000, tokens=()):
        if level not in ("word", "char"):
            raise ValueError(f"level must be 'word' or 'char', not {level!r}")
        self.level, self.num_words = level, num_words
        self.tokens = list(tokens)
        self.index = {t: i for i, t in enumerate(self.tokens, 1)}

    def split(self, text):
        return list(text) if self.level == "char" else words(text)

    def fit(self, texts):
        counts = Counter()
        for text in texts:
            counts.update(self.split(text))
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])  # stable: first seen first among ties
        self.tokens = [t for t, _ in ranked[:self.num_words]]
        self.index = {t: i for i, t in enumerate(self.tokens, 1)}
        self.total_distinct = len(counts)
        return self

    @property
    def size(self):
        return len(self.tokens) + 1

    def ids(self, tokens):
        """Indices of tokens already split; 0 for any outside the vocabulary."""
        return [self.index.get(t, PAD) for t in tokens]

    def encode(self, text):
        return self.ids(self.split(text))

    def decode(self, ids):
        """Text of token ids; unknown/padding ids are left out; newlines become line breaks."""
        return join([self.tokens[i - 1] for i in ids if 0 < i <= len(self.tokens)], self.level)

    def to_json(self):
        return {"level": self.level, "num_words": self.num_words, "tokens": self.tokens}

    @classmethod
    def from_json(cls, obj):
        return cls(obj["level"], obj["num_words"], obj["tokens"])

    def save(self, path):
        from shared.runs import write_text

        write_text(path, json.dumps(self.to_json(), ensure_ascii=False) + "\n")

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as fh:
            return cls.from_json(json.load(fh))

    def __eq__(self, other):
        return isinstance(other, Tokenizer) and self.to_json() == other.to_json()


def line_lengths(texts, tokenizer):
    """Tokens per non-empty line over all songs (newline tokens not counted)."""
    lengths = []
    for text in texts:
        for line in text.split("\n"):
            n = len(tokenizer.split(line))
            if n:
                lengths.append(n)
    return lengths


def sequence_length(lengths):
    """The author's input length: the median line length times 4 (a verse), plus 3."""
    return int(np.median(lengths)) * 4 + 3


def windows(encoded_songs, seq_len):
    """Inputs (the ``seq_len`` tokens before each position, left-padded with 0) and targets.

    Every token of every song after its first is a target, except unknown ones (0):
    the model is never taught to predict "unknown".
    """
    xs, ys = [], []
    for ids in encoded_songs:
        ids = np.asarray(ids, dtype=np.int32)
        padded = np.concatenate([np.zeros(seq_len, np.int32), ids])
        for i in range(1, len(ids)):
            if ids[i] == PAD:
                continue
            xs.append(padded[i:i + seq_len])
            ys.append(ids[i])
    if not xs:
        return np.zeros((0, seq_len), np.int32), np.zeros((0,), np.int32)
    return np.stack(xs), np.asarray(ys, np.int32)


def text_windows(token_lists, tokenizer, seq_len):
    """Gene Lyrica Two's inputs: the text of the ``seq_len`` tokens before each target
    (the same targets as :func:`windows`), with the words as written, known or not."""
    texts, ys = [], []
    for tokens in token_lists:
        ids = tokenizer.ids(tokens)
        for i in range(1, len(tokens)):
            if ids[i] == PAD:
                continue
            texts.append(join(tokens[max(0, i - seq_len):i], tokenizer.level))
            ys.append(ids[i])
    return texts, np.asarray(ys, np.int32)
