"""Writing like Joyce, one character at a time.

:func:`sample_index` is the post's helper: the softmax output is re-weighted by
a "diversity" (temperature), p ← exp(log p / T) normalised, and one character is
drawn. :func:`generate` is the post's loop: feed the last ``maxlen``
characters, draw the next, slide the window. It continues several texts (or
one text at several diversities) in one batch, which is the same arithmetic as
the post's one-at-a-time loop, and draws from a NumPy generator, so a fixed
random seed gives the same text.
"""
import numpy as np

DIVERSITIES = (0.2, 0.5, 1.0, 1.2)


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


def generate(predict, vocab, seeds, diversities, length, maxlen, rng):
    """Continue each seed text by ``length`` characters, seed i at ``diversities[i]``.

    ``predict`` maps a one-hot batch to next-character distributions (the model's
    ``predict_on_batch``, or the model itself).
    Returns the continuations (without the seeds). All seeds must have the same
    length; the network sees at most the last ``maxlen`` characters.
    """
    if len({len(s) for s in seeds}) != 1:
        raise ValueError("seeds of one batch must have the same length")
    eye = np.eye(len(vocab), dtype="float32")
    windows = np.stack([vocab.encode(s)[-maxlen:] for s in seeds])
    out = [[] for _ in seeds]
    for _ in range(length):
        preds = np.asarray(predict(eye[windows]))
        for i, t in enumerate(diversities):
            out[i].append(sample_index(preds[i], t, rng))
        nxt = np.array([o[-1] for o in out], dtype=windows.dtype)[:, None]
        windows = np.concatenate([windows, nxt], axis=1)[:, -maxlen:]
    return [vocab.decode(o) for o in out]
