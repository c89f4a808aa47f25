"""Writing lyrics with a finished run: ``load(run_dir).generate("hello world")``.

    from lyrics import play
    lyricist = play.load("runs/lyrics/two/20250101T000000Z-seed0")   # the model is loaded once
    print(lyricist.generate("hello world", length=100, randomness=0.3, random_seed=1))

A run folder holds all that generation needs: ``config.json`` (the settings and the
corpus's numbers, from which the model is rebuilt), ``tokenizer.json`` and the weights.
"""
import warnings
from pathlib import Path

import h5py

from lyrics import sampling
from lyrics.config import CLASSES
from lyrics.layout import CHECKPOINT, SEED_TEXT
from lyrics.text import Tokenizer, clean
from shared import UserError, runs, runtime
from shared.cli import SEED_MAX
from shared.config import from_dict

POST = "lyrics"
MAX_LENGTH = 1000
MAX_RANDOMNESS = 2.0


def settings_of(config):
    """A run's settings (:class:`lyrics.config.OneConfig` or ``TwoConfig``) from its config.json."""
    return from_dict(CLASSES[config["experiment"]], config["settings"])


def read_tokenizer(run_dir):
    """A run's tokenizer; a missing or unreadable ``tokenizer.json`` is damage."""
    obj = runs.read_run_json(run_dir, "tokenizer.json")
    try:
        return Tokenizer.from_json(obj)
    except (KeyError, TypeError, ValueError):
        raise runs.damaged(run_dir, "tokenizer.json", "is not a tokenizer") from None


def load_model(run_dir, config, weights=None):
    """The run's whole model with its trained weights (``model.weights.h5``, or ``weights``),
    and its sentence encoder (Two; None for One). The run need not be complete."""
    # Keras is imported here, not at the top: a command checks its arguments before it waits for TensorFlow.
    from lyrics import encoders
    from lyrics.models import build, trained_part

    run_dir = Path(run_dir)
    weights = Path(weights or run_dir / "model.weights.h5")
    settings = settings_of(config)
    encoder = encoders.for_settings(settings) if config["experiment"] == "two" else None
    model = build(settings, config["corpus"]["vocabulary"] + 1, config["corpus"]["sequence_length"], encoder)
    part = trained_part(model, settings)
    name = str(weights.relative_to(run_dir)) if weights.is_relative_to(run_dir) else str(weights)
    if not weights.is_file():
        raise runs.damaged(run_dir, name, "is missing")
    try:
        with h5py.File(weights, "r") as stored:
            with_optimizer = "optimizer" in stored
        if with_optimizer:  # a run's weight files hold the optimizer's state too
            part.optimizer.build(part.trainable_variables)
        with warnings.catch_warnings():
            if not with_optimizer:  # kept for inference (shared.keep): the layers' weights alone
                warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")
            part.load_weights(str(weights))
    except Exception as exc:  # h5py and Keras raise many kinds for a truncated or foreign file
        raise runs.damaged(run_dir, name, f"cannot be read ({type(exc).__name__})") from None
    return model, encoder


def check_request(length, randomness, random_seed=0):
    """One clear line for a length, randomness or random seed out of range."""
    if isinstance(length, bool) or not isinstance(length, int) or not 1 <= length <= MAX_LENGTH:
        raise UserError(f"the length is a whole number of tokens from 1 to {MAX_LENGTH}, not {length!r}")
    if not 0 <= randomness <= MAX_RANDOMNESS:
        raise UserError(f"the randomness is between 0 and {MAX_RANDOMNESS:g} (0 = always the likeliest token; "
                        f"the author's: 0.3), not {randomness!r}")
    if isinstance(random_seed, bool) or not isinstance(random_seed, int) or not 0 <= random_seed <= SEED_MAX:
        raise UserError(f"the random seed is a whole number from 0 to {SEED_MAX}, not {random_seed!r}")


class Lyricist:
    """A trained Gene Lyrica, ready to write: ``generate(seed_text, length, randomness, random_seed)``."""

    def __init__(self, run_dir, config, model, tokenizer, encoder=None, epoch=None):
        self.run_dir, self.config, self.model, self.tokenizer = Path(run_dir), config, model, tokenizer
        self.experiment = config["experiment"]
        self.epoch = epoch
        """The epoch whose weights write (the last one trained, or a checkpoint's)."""
        self.context = sampling.Context(tokenizer, config["corpus"]["sequence_length"], encoder)

    def unknown_words(self, seed_text):
        """Words of ``seed_text`` outside the vocabulary (Gene Lyrica One reads them as padding)."""
        return sorted({t for t in self.tokenizer.split(clean(seed_text)) if t not in self.tokenizer.index})

    def generate(self, seed_text=SEED_TEXT, length=100, randomness=0.3, random_seed=0):
        """``seed_text`` (cleaned) and ``length`` more tokens, as lyrics with their line breaks.

        ``randomness`` 0 always takes the likeliest token; the author's web page used 0.3.
        The same ``random_seed`` gives the same lyrics.
        """
        check_request(length, randomness, random_seed)
        if not self.tokenizer.split(clean(seed_text)):
            raise UserError("the seed text has no words to start from: give some")
        head, cont = sampling.generate(self.model.predict_on_batch, self.context, seed_text, length, randomness,
                                       random_seed)
        return sampling.render(head, cont, self.tokenizer.level)


def load(run_dir=None, checkpoint=None):
    """A COMPLETE run's lyricist, with the weights training ended with or those of epoch ``checkpoint``;
    with no ``run_dir``, the post's full run kept with the suite (Gene Lyrica One's, else Two's)."""
    path, config, results = runs.load(run_dir or runs.kept(POST, "one", "two"), POST)
    tokenizer = read_tokenizer(path)
    weights = None
    if checkpoint is not None:
        weights = path / "checkpoints" / CHECKPOINT.format(epoch=checkpoint)
        if not weights.is_file():
            raise UserError(f"{path} has no checkpoint of epoch {checkpoint} (it trained {results['epochs']})")
    runtime.setup()
    model, encoder = load_model(path, config, weights)
    return Lyricist(path, config, model, tokenizer, encoder, checkpoint or results["epochs"])
