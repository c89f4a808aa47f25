"""Write like Joyce with a trained run: load one of its checkpoints, continue a text.

    from joyce_lstm import play
    writer = play.load("runs/joyce_lstm/train/<time>-seed0")      # the last epoch saved
    for ch in writer.sample("Stately, plump", diversity=0.5, length=200, random_seed=1):
        print(ch, end="", flush=True)
    writer.write("Stately, plump", length=200)                   # the same text at once

A run that has not finished can be sampled too, from the epochs it has done:
``writer.complete`` says which it is, ``writer.epochs`` which epochs it holds.
"""
import math
from dataclasses import dataclass
from itertools import islice

import numpy as np

from joyce_lstm import corpus, models, sampling
from joyce_lstm.layout import EXPERIMENT, POST, checkpoint_path, saved_checkpoints
from shared import UserError, backup, runs, runtime


def check(seed_text, diversity, length):
    """One line for a request that cannot be sampled (before anything is loaded)."""
    if not (math.isfinite(diversity) and diversity > 0):
        raise UserError(f"the diversity must be a finite number above 0, not {diversity} "
                        "(0.2 is conservative, 1.2 adventurous)")
    if length < 1:
        raise UserError(f"the length must be at least 1 character, not {length}")
    if not seed_text:
        raise UserError("the seed text is empty: give at least one character")


@dataclass
class Writer:
    """One checkpoint of a run, loaded once, and what it needs to continue a text."""
    run_dir: object
    epoch: int
    """The epoch whose checkpoint is loaded."""
    epochs: list
    """The epochs whose checkpoints the run holds (finished epochs only)."""
    total_epochs: int
    """The epochs the run was set to train."""
    complete: bool
    """Whether the run has finished (its results.json is written)."""
    vocab: corpus.Vocabulary
    maxlen: int
    model: object

    def sample(self, seed_text, diversity=0.5, length=400, random_seed=0):
        """Continue ``seed_text`` by ``length`` characters at ``diversity``: a generator that
        yields them one at a time. The same ``random_seed`` gives the same text."""
        check(seed_text, diversity, length)
        self.vocab.encode(seed_text)  # names any character the network never saw, before the first draw
        rng = np.random.default_rng(random_seed)
        steps = sampling.continuation(models.predictor(self.model), self.vocab, seed_text, diversity,
                                      self.maxlen, rng)
        return islice(steps, length)

    def write(self, seed_text, diversity=0.5, length=400, random_seed=0):
        """The continuation of :meth:`sample` as one string (without the seed)."""
        return "".join(self.sample(seed_text, diversity, length, random_seed))


def finished_epochs(run_dir, complete):
    """The epochs of a run whose checkpoints can be used: all of them once the run is
    complete; else those the backup counts as done (a checkpoint being written is not)."""
    saved = saved_checkpoints(run_dir)
    if complete:
        return saved
    done = backup.epoch_of(run_dir / "backup")
    return [e for e in saved if e <= done]


def load(run_dir=None, epoch=None):
    """A :class:`Writer` for the checkpoint of ``epoch`` (default: the last finished one); with
    no ``run_dir``, the post's full run kept with the suite (``docs/full/train``, epoch 60)."""
    path, config = runs.open_run(run_dir or runs.kept(POST, EXPERIMENT), POST, EXPERIMENT, write=False)
    complete = (path / "results.json").exists()
    if complete:
        runs.read_run_json(path, "results.json")  # a truncated one is damage, not an unfinished run
    try:
        vocab = corpus.Vocabulary.from_json(runs.read_run_json(path, "vocabulary.json"))
    except (KeyError, TypeError):
        raise runs.damaged(path, "vocabulary.json", "is not a vocabulary") from None
    runtime.setup()  # before Keras is imported: it quiets TensorFlow's start-up lines
    epochs = finished_epochs(path, complete)
    if not epochs:
        raise UserError(f"{path} has no finished epoch yet: train it first "
                        f"(python -m {POST} --resume {path})")
    epoch = epochs[-1] if epoch is None else epoch
    if epoch not in epochs:
        raise UserError(f"{path} has no checkpoint of epoch {epoch}: it has epochs {epochs[0]}–{epochs[-1]}")
    name = checkpoint_path(path, epoch)
    try:
        model = models.load(name)  # either input: a checkpoint of character ids or of one-hot vectors
    except (OSError, ValueError, KeyError) as exc:
        raise runs.damaged(path, name.relative_to(path), f"cannot be read ({type(exc).__name__})") from None
    return Writer(path, epoch, epochs, config["settings"]["epochs"], complete, vocab,
                  config["settings"]["maxlen"], model)
