"""The post's sampling: next-token probabilities sharpened by "randomness", one draw.

``p <- exp(log p / randomness)``, normalised, one multinomial draw; randomness 0
is the argmax. Index 0 (padding/unknown) is never drawn.
"""
import numpy as np

from lyrics import text as lyrics_text
from lyrics.text import join


def draw(probs, randomness, rng):
    p = np.asarray(probs, dtype=np.float64).copy()
    p[lyrics_text.PAD] = 0.0
    if randomness == 0:
        return int(np.argmax(p))
    logp = np.log(np.maximum(p, 1e-300)) / randomness
    logp -= logp.max()
    q = np.exp(logp)
    q[lyrics_text.PAD] = 0.0
    q /= q.sum()
    return int(np.argmax(rng.multinomial(1, q)))


class Context:
    """What the model reads before each token: ids for Gene Lyrica One, text for Two."""

    def __init__(self, tokenizer, seq_len, encoder=None):
        self.tokenizer, self.seq_len, self.encoder = tokenizer, seq_len, encoder

    def inputs(self, tokens):
        window = tokens[-self.seq_len:]
        if self.encoder is None:
            ids = self.tokenizer.ids(window)
            return np.asarray([[lyrics_text.PAD] * (self.seq_len - len(ids)) + ids], dtype=np.int32)
        return self.encoder.prepare([join(window, self.tokenizer.level)])


def generate(predict, context, seed_text, length, randomness, random_seed):
    """``seed_text`` and ``length`` more tokens; ``predict`` maps model inputs to probabilities.

    ``random_seed``: the seed of the draws, or a NumPy generator to draw from.
    """
    rng = random_seed if isinstance(random_seed, np.random.Generator) else np.random.default_rng(random_seed)
    tokenizer = context.tokenizer
    tokens = tokenizer.split(lyrics_text.clean(seed_text))
    start = len(tokens)
    for _ in range(length):
        probs = np.asarray(predict(context.inputs(tokens)))[0]
        tokens.append(tokenizer.tokens[draw(probs, randomness, rng) - 1])
    return join(tokens[:start], tokenizer.level), join(tokens[start:], tokenizer.level)


def render(seed, continuation, level="word"):
    """The lyrics as printed: the seed, then the continuation, on their own lines where newlines fall."""
    sep = "" if level == "char" or continuation.startswith("\n") else " "
    return seed + sep + continuation
