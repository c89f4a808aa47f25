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
    songs: list
    source: dict
    cleaned: list
    tokenizer: text.Tokenizer
    lengths: list
    seq_len: int
    token_lists: list = field(repr=False)

    def windows(self):
        return text.windows(self.encoded(), self.seq_len)

    def text_windows(self):
        return text.text_windows(self.token_lists, self.tokenizer, self.seq_len)

    def encoded(self):
        return [self.tokenizer.ids(toks) for toks in self.token_lists]

    def stats(self):
        n_tokens = sum(len(t) for t in self.token_lists)
        return {"songs": len(self.cleaned), "tokens": n_tokens,
                "distinct_tokens": len({t for toks in self.token_lists for t in toks}),
                "vocabulary": len(self.tokenizer.tokens), "lines": len(self.lengths),
                "median_line_length": float(np.median(self.lengths)), "sequence_length": self.seq_len,
                "samples": int(sum(1 for toks in self.token_lists for t in toks[1:]
                                   if t in self.tokenizer.index))}


def prepare(settings, tokenizer=None):
    """Load, pick, clean and tokenize the songs of ``settings`` (:class:`lyrics.config.Config`);
    fit a tokenizer unless one is given."""
    chosen, source = songs.load(settings.corpus, settings.artists)
    if settings.songs:
        chosen = chosen[:settings.songs]
    cleaned = [text.clean(s["text"], settings.max_repeats, settings.transforms) for s in chosen]
    keep = [i for i, c in enumerate(cleaned) if c]
    chosen, cleaned = [chosen[i] for i in keep], [cleaned[i] for i in keep]
    if not cleaned:
        raise UserError("no song has any text left after cleaning")
    tok = tokenizer or text.Tokenizer(settings.level, settings.max_words).fit(cleaned)
    lengths = text.line_lengths(cleaned, tok)
    if not lengths:
        raise UserError("the songs have no words")
    seq_len = settings.seq_len or text.sequence_length(lengths)
    token_lists = [tok.split(c) for c in cleaned]
    return Corpus(chosen, source, cleaned, tok, lengths, seq_len, token_lists)


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
