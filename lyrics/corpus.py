"""From a songs table to what the models train on: cleaned songs, a tokenizer, windows, numbers."""
from dataclasses import dataclass, field

import numpy as np

from lyrics import figures, text
from lyrics import songs
from shared import UserError
from shared.paths import check_output_file
from shared.report import markdown_table


@dataclass
class Corpus:
    """The training songs (``songs``, ``cleaned``, ``token_lists``) and the tokenizer fitted on them;
    ``held_out``: the token lists of the songs kept out of training, read with that same tokenizer."""
    songs: list
    source: dict
    cleaned: list
    tokenizer: text.Tokenizer
    lengths: list
    seq_len: int
    token_lists: list = field(repr=False)
    held_out: list = field(default_factory=list, repr=False)

    def windows(self, held_out=False):
        """Token windows and next tokens of the training songs (or of the held-out ones)."""
        return text.windows(self.encoded(held_out), self.seq_len)

    def text_windows(self, held_out=False):
        return text.text_windows(self._lists(held_out), self.tokenizer, self.seq_len)

    def encoded(self, held_out=False):
        return [self.tokenizer.ids(toks) for toks in self._lists(held_out)]

    def _lists(self, held_out):
        return self.held_out if held_out else self.token_lists

    def samples(self, held_out=False):
        """Windows of the songs: one per token after a song's first that is in the vocabulary."""
        return int(sum(1 for toks in self._lists(held_out) for t in toks[1:] if t in self.tokenizer.index))

    def stats(self):
        n_tokens = sum(len(t) for t in self.token_lists)
        stats = {"songs": len(self.cleaned), "tokens": n_tokens,
                 "distinct_tokens": len({t for toks in self.token_lists for t in toks}),
                 "vocabulary": len(self.tokenizer.tokens), "lines": len(self.lengths),
                 "median_line_length": float(np.median(self.lengths)), "sequence_length": self.seq_len,
                 "samples": self.samples()}
        if self.held_out:
            stats["held_out"] = {"songs": len(self.held_out), "tokens": sum(len(t) for t in self.held_out),
                                 "unknown": sum(t not in self.tokenizer.index for toks in self.held_out for t in toks),
                                 "samples": self.samples(held_out=True)}
        return stats


def prepare(settings, tokenizer=None):
    """Load, pick, clean and tokenize the songs of ``settings`` (:class:`lyrics.config.Config`);
    fit a tokenizer on the training songs unless one is given. The last ``settings.held_out``
    songs are kept apart: a word only they use is outside the vocabulary."""
    chosen, source = songs.load(settings.corpus, settings.artists)
    if settings.songs:
        chosen = chosen[:settings.songs]
    cleaned = [text.clean(s["text"], settings.max_repeats, settings.transforms) for s in chosen]
    keep = [i for i, c in enumerate(cleaned) if c]
    chosen, cleaned = [chosen[i] for i in keep], [cleaned[i] for i in keep]
    if not cleaned:
        raise UserError("no song has any text left after cleaning")
    if settings.held_out >= len(cleaned):
        raise UserError(f"--held-out {settings.held_out} leaves no song to train on ({len(cleaned)} songs)")
    kept = len(cleaned) - settings.held_out
    held_out = cleaned[kept:]
    chosen, cleaned = chosen[:kept], cleaned[:kept]
    tok = tokenizer or text.Tokenizer(settings.level, settings.max_words).fit(cleaned)
    lengths = text.line_lengths(cleaned, tok)
    if not lengths:
        raise UserError("the songs have no words")
    seq_len = settings.seq_len or text.sequence_length(lengths)
    token_lists = [tok.split(c) for c in cleaned]
    corpus = Corpus(chosen, source, cleaned, tok, lengths, seq_len, token_lists, [tok.split(c) for c in held_out])
    if held_out and not corpus.samples(held_out=True):
        raise UserError("the held-out songs have no word after their first that the training songs have")
    return corpus


def overview(settings, export=None, figure=None):
    """``python -m lyrics songs``: the numbers of the songs of ``settings`` as a markdown table,
    and optionally the songs as a CSV (``export``) and their line lengths drawn (``figure``)."""
    for path, option in ((export, "--export"), (figure, "--figure")):
        if path:
            check_output_file(path, option)
    corpus = prepare(settings)
    rows = [[k.replace("_", " "), f"{v:,}" if isinstance(v, int) else f"{v:g}"] for k, v in corpus.stats().items()]
    lines = [markdown_table(["", ""], rows), f"source: {corpus.source['path']}"]
    if export:
        songs.write_csv(corpus.songs, export)
        lines.append(f"wrote {len(corpus.songs)} songs to {export}")
    if figure:
        figures.line_lengths(corpus.lengths, corpus.seq_len, figure, f"Line lengths ({len(corpus.lengths):,} lines)",
                             "characters" if settings.level == "char" else "words")
        lines.append(f"wrote {figure}")
    return "\n".join(lines)
