"""Training the character LSTM on ``fit``, with the post's per-epoch work.

After every epoch, as the post's callbacks do: samples of ``sample_length``
characters at diversities 0.2, 0.5, 1.0 and 1.2 from a random window of the
text (printed and written to ``samples/``), and the same from the post's own
seed "No, she couldn't say. ... She waved" so that epochs can be compared with
the post's; a CSV log, a TensorBoard log, and a checkpoint. A
BackupAndRestore folder makes an interrupted run resumable at the last epoch.
"""
import time
from pathlib import Path

import keras

from joyce_lstm import models, pipeline, sampling
from joyce_lstm.blog import POST_SEED
from joyce_lstm.layout import CHECKPOINT, checkpoint_path, samples_path
from shared import UserError, distribute, runtime
from shared.cli import log
from shared.runs import write_json, write_text
from shared.training import (EpochBackup, EpochSync, EpochTimes, ProgressLog, RecordEpochTimes, backup_epoch,
                             truncate_history)


def epoch_samples(model, vocab, text, epoch, settings, seed):
    """The post's samples after ``epoch`` (1-based): a random window and the post's seed,
    each continued at every diversity. Drawn from a stream of the run's seed named after
    the epoch, so that a resumed run draws what an uninterrupted one would."""
    maxlen, length = settings.maxlen, settings.sample_length
    diversities = list(settings.diversities)
    rng = runtime.rng(seed, f"samples after epoch {epoch}")
    start = int(rng.integers(0, len(text) - maxlen - 1))
    window = text[start:start + maxlen]
    predict = models.predictor(model)  # predict_on_batch: compiled, a trace per input shape
    random_out = sampling.generate(predict, vocab, [window] * len(diversities), diversities,
                                   length, maxlen, rng)
    post_out = sampling.generate(predict, vocab, [POST_SEED] * len(diversities), diversities,
                                 length, maxlen, rng)
    return {"epoch": epoch, "random_seed": window, "start_index": start,
            "random": {str(d): s for d, s in zip(diversities, random_out)},
            "post_seed": POST_SEED,
            "post": {str(d): s for d, s in zip(diversities, post_out)}}


def format_samples(s):
    lines = [f"----- Generating text after Epoch: {s['epoch']}"]
    for key, seed in (("random", s["random_seed"]), ("post", s["post_seed"])):
        for d, cont in s[key].items():
            lines.append(f"----- diversity: {d}")
            lines.append(f'----- Generating with seed: "{seed}"')
            lines.append(seed + cont)
    return "\n".join(lines) + "\n"


class Samples(keras.callbacks.Callback):
    """The post's ``on_epoch_end``: generate, print, and keep the samples in the run."""

    def __init__(self, run_dir, vocab, text, settings, seed, echo=True):
        super().__init__()
        self.run_dir, self.vocab, self.text = Path(run_dir), vocab, text
        self.settings, self.seed, self.echo = settings, seed, echo
        self.seconds = []

    def on_epoch_end(self, epoch, logs=None):
        start = time.perf_counter()
        s = epoch_samples(self.model, self.vocab, self.text, epoch + 1, self.settings, self.seed)
        path = samples_path(self.run_dir, epoch + 1)
        path.parent.mkdir(exist_ok=True)
        write_json(path, s)
        write_text(path.with_suffix(".txt"), format_samples(s))
        if self.echo:
            print(format_samples(s), flush=True)
        self.seconds.append(time.perf_counter() - start)


def make_data(encoded, settings, seed, n_chars):
    """The training input: the streaming dataset (one-hot batches made as Keras asks for them),
    or the post's materialised one-hot arrays."""
    if settings.pipeline == "original":
        x, y = pipeline.materialise(encoded, settings.maxlen, settings.step, n_chars)
        return {"x": x, "y": y, "batch_size": settings.batch_size, "shuffle": True}, None
    data = pipeline.OneHotWindows(encoded, settings.maxlen, settings.step, n_chars, settings.batch_size, seed=seed)
    return {"x": data, "shuffle": False}, data


def have_tensorflow():
    try:
        import tensorflow  # noqa: F401
    except ImportError:
        return False
    return True


def train(settings, run_dir, seed, vocab, text, echo=True, devices=1):
    """Train (or finish training) a run's model on ``text`` with the :class:`~joyce_lstm.config.Config`
    ``settings``; every epoch's checkpoint, samples and log go to ``run_dir``.

    Returns ``{"seconds": ..., "epochs_trained": ...}``. ``echo`` prints the samples
    as the post's script does. ``devices``: each batch is split across that many; call it
    inside ``distribute.scope(devices)``.
    """
    run_dir = Path(run_dir)
    epochs = settings.epochs
    backup = run_dir / "backup"
    history_csv = str(run_dir / "history.csv")
    done = backup_epoch(backup)
    truncate_history(history_csv, done)
    if done:
        log(f"resuming after epoch {done} of {epochs}")
    runtime.seed_everything(seed)
    model = models.build(len(vocab), settings.units, settings.layers)
    (run_dir / "checkpoints").mkdir(exist_ok=True)
    encoded = vocab.encode(text)
    fit_data, dataset = make_data(encoded, settings, seed, len(vocab))
    sampler = Samples(run_dir, vocab, text, settings, seed, echo=echo)
    timer = EpochTimes()
    callbacks = [
        keras.callbacks.TerminateOnNaN(),
        keras.callbacks.CSVLogger(history_csv, append=True),
        keras.callbacks.ModelCheckpoint(str(run_dir / "checkpoints" / CHECKPOINT),
                                        save_best_only=False),
        timer,
        sampler,
        ProgressLog("joyce_lstm", epochs, every=1, monitor="loss"),
        RecordEpochTimes(run_dir, timer, sampler),  # as each epoch ends: a killed session keeps them
    ]
    if dataset is not None:
        callbacks.insert(0, EpochSync(dataset))
        fit_data["x"] = distribute.even_batches(dataset, devices)
    if have_tensorflow():
        callbacks.append(keras.callbacks.TensorBoard(log_dir=str(run_dir / "logs")))
    else:
        log("TensorFlow is not installed: no TensorBoard log (the CSV log has the same losses)")
    # Last, so that an epoch counts as done only once its log, checkpoint and samples are written.
    callbacks.append(EpochBackup(str(backup), every=1, double_checkpoint=True, delete_checkpoint=False))
    start = time.perf_counter()
    if done < epochs:
        model.fit(epochs=epochs, callbacks=callbacks, verbose=0, **fit_data)
    seconds = time.perf_counter() - start
    final = checkpoint_path(run_dir, epochs)
    if not final.exists():
        raise UserError(f"training stopped before epoch {epochs} (the loss became NaN?): "
                        f"see {history_csv}")
    return {"seconds": seconds, "epochs_trained": epochs - done}
