"""Writing like Joyce, one character at a time.

:func:`sample_index` is the post's helper: the softmax output is re-weighted by
a "diversity" (temperature), p ← exp(log p / T) normalised, and one character is
drawn. :func:`draws` is the post's loop: feed the last ``maxlen``
characters, draw the next, slide the window. It continues several texts (or
one text at several diversities) in one batch, which is the same arithmetic as
the post's one-at-a-time loop, and draws from a NumPy generator, so a fixed
random seed gives the same text. :func:`generate` takes a number of characters
of it at once, :func:`continuation` one at a time (a page that shows the text as
it is written). :func:`epoch_samples` are the post's samples after every epoch.
"""
import numpy as np

from joyce_lstm.blog import POST_SEED
from shared import runtime


def reweight(preds, temperature):
    """The distribution the post draws from at ``temperature`` (rows of ``preds``)."""
    if temperature <= 0:
        raise ValueError("the diversity must be above 0")
    preds = np.asarray(preds, dtype=np.float64)
    with np.errstate(divide="ignore"):
        logits = np.log(preds) / temperature
    logits -= logits.max(axis=-1, keepdims=True)
    weights = np.exp(logits)
    return weights / weights.sum(axis=-1, keepdims=True)


def sample_index(preds, temperature, rng):
    """One draw from ``reweight(preds, temperature)``, as the post's ``np.random.multinomial``."""
    probs = reweight(preds, temperature)
    return int(np.argmax(rng.multinomial(1, probs)))


def draws(predict, vocab, seeds, diversities, maxlen, rng):
    """The post's loop, without end: yield the next character's index for every seed at once.

    ``predict`` maps a batch of windows of character ids, shape (batch, time), to
    next-character distributions (:func:`joyce_lstm.models.predictor`: the model's
    ``predict_on_batch``, the windows one-hot encoded for the post's model); seed i
    is continued at ``diversities[i]``. All seeds must have the same length; the
    network sees at most the last ``maxlen`` characters.
    """
    if len({len(s) for s in seeds}) != 1:
        raise ValueError("seeds of one batch must have the same length")
    windows = np.stack([vocab.encode(s)[-maxlen:] for s in seeds])
    while True:
        preds = np.asarray(predict(windows))
        nxt = np.array([sample_index(preds[i], t, rng) for i, t in enumerate(diversities)],
                       dtype=windows.dtype)
        yield nxt
        windows = np.concatenate([windows, nxt[:, None]], axis=1)[:, -maxlen:]


def generate(predict, vocab, seeds, diversities, length, maxlen, rng):
    """Continue each seed text by ``length`` characters (see :func:`draws`); the
    continuations, without the seeds."""
    steps = draws(predict, vocab, seeds, diversities, maxlen, rng)
    out = np.array([next(steps) for _ in range(length)]).reshape(length, len(seeds))
    return [vocab.decode(column) for column in out.T]


def continuation(predict, vocab, seed, diversity, maxlen, rng):
    """One seed text continued one character at a time, without end (see :func:`draws`)."""
    for (index,) in draws(predict, vocab, [seed], [diversity], maxlen, rng):
        yield vocab.chars[index]


def epoch_samples(model, vocab, text, epoch, settings, seed):
    """The post's samples after ``epoch`` (1-based): a random window and the post's seed,
    each continued at every diversity. Drawn from a stream of the run's seed named after
    the epoch, so that a resumed run draws what an uninterrupted one would."""
    maxlen, length = settings.maxlen, settings.sample_length
    diversities = list(settings.diversities)
    rng = runtime.rng(seed, f"samples after epoch {epoch}")
    start = int(rng.integers(0, len(text) - maxlen - 1))
    window = text[start:start + maxlen]
    from joyce_lstm import models  # Keras: only where a model is sampled

    predict = models.predictor(model)  # predict_on_batch: compiled, a trace per input shape
    random_out = generate(predict, vocab, [window] * len(diversities), diversities, length, maxlen, rng)
    post_out = generate(predict, vocab, [POST_SEED] * len(diversities), diversities, length, maxlen, rng)
    return {"epoch": epoch, "random_seed": window, "start_index": start,
            "random": {str(d): s for d, s in zip(diversities, random_out)},
            "post_seed": POST_SEED,
            "post": {str(d): s for d, s in zip(diversities, post_out)}}


def format_samples(s):
    """:func:`epoch_samples` as the post's script printed them."""
    lines = [f"----- Generating text after Epoch: {s['epoch']}"]
    for key, seed in (("random", s["random_seed"]), ("post", s["post_seed"])):
        for d, cont in s[key].items():
            lines.append(f"----- diversity: {d}")
            lines.append(f'----- Generating with seed: "{seed}"')
            lines.append(seed + cont)
    return "\n".join(lines) + "\n"
