"""What the network memorised: its loss at the positions training never scores.

A training window starts every ``step`` (3) characters, so the character the network
is asked for is always one at a position 100 + a multiple of 3. Shifted by 1 or 2
characters, the same text gives windows whose next character was never a target in
training (it was only ever read). :func:`shift_losses` measures the mean loss at each
shift: shift 0 is the training windows, and a lower loss there than at shifts 1 and 2
is what the network has memorised of those positions alone, not learnt of Joyce::

    from joyce_lstm import play, positions
    writer = play.load()                               # the kept full run, epoch 60
    positions.of_run(writer, limit=2000)["loss"]       # {"0": ..., "1": ..., "2": ...}
"""
import numpy as np

from joyce_lstm import corpus, models, pipeline
from joyce_lstm.config import Config
from shared import runs
from shared.config import from_dict

EPSILON = 1e-7  # Keras' categorical cross-entropy clips probabilities to [ε, 1 − ε]


def shift_starts(length, maxlen, step, shift):
    """The training windows' starts moved on by ``shift`` characters (those that still fit)."""
    starts = pipeline.window_starts(length, maxlen, step) + shift
    return starts[starts + maxlen < length]


def mean_loss(predict, encoded, starts, maxlen, n_chars, batch_size=512):
    """Mean cross-entropy of ``predict`` (character ids → next-character probabilities) on the
    windows at ``starts``, fed ``batch_size`` at a time."""
    total = 0.0
    for i in range(0, starts.size, batch_size):
        ids, target = pipeline.id_batch(encoded, starts[i:i + batch_size], maxlen, n_chars)
        p = np.sum(np.asarray(predict(ids), dtype=np.float64) * target, axis=1)
        total += -np.log(np.clip(p, EPSILON, 1 - EPSILON)).sum()
    return total / starts.size


def shift_losses(predict, encoded, maxlen, step, n_chars, limit=None, seed=0, shifts=(0, 1, 2)):
    """``{shift: mean loss}`` of ``predict`` (character ids → next-character probabilities:
    :func:`joyce_lstm.models.predictor`) on the text ``encoded`` cut into windows every ``step``
    characters from ``shift`` on, and how many windows each takes. ``limit``: the same ``limit``
    windows (drawn once by ``seed``) at every shift, each moved on by the shift."""
    count = min(shift_starts(len(encoded), maxlen, step, s).size for s in shifts)
    base = pipeline.subsample(pipeline.window_starts(len(encoded), maxlen, step)[:count], limit, seed)
    losses = {s: mean_loss(predict, encoded, base + s, maxlen, n_chars) for s in shifts}
    return losses, {"windows": count, "measured": int(base.size)}


def of_run(writer, limit=None, seed=0):
    """:func:`shift_losses` of a loaded run (a :class:`joyce_lstm.play.Writer`) on the text it trained
    on, as JSON-ready figures."""
    config = runs.read_run_json(writer.run_dir, "config.json")
    settings = from_dict(Config, config["settings"])
    text, _, _, _ = corpus.training_text(settings)
    losses, counts = shift_losses(models.predictor(writer.model), writer.vocab.encode(text), settings.maxlen,
                                  settings.step, len(writer.vocab), limit, seed)
    return {"run": str(writer.run_dir), "epoch": writer.epoch, "step": settings.step, **counts,
            "loss": {str(s): float(v) for s, v in losses.items()}}


def summary(figures):
    """:func:`of_run`'s figures as lines to print."""
    lines = [f"{figures['run']}, epoch {figures['epoch']}: mean loss on {figures['measured']:,} of "
             f"{figures['windows']:,} windows, each moved on by 0, 1, 2 characters"]
    for shift, loss in figures["loss"].items():
        what = "the positions it trained on" if shift == "0" else "positions never a training target"
        lines.append(f"shift {shift}: {loss:.4f}  ({what})")
    return "\n".join(lines)
