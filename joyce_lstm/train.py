"""Training the character LSTM on ``fit``, with the post's per-epoch work.

After every epoch, as the post's callbacks do: samples of ``sample_length``
characters at diversities 0.2, 0.5, 1.0 and 1.2 from a random window of the
text (printed and written to ``samples/``), and the same from the post's own
seed "No, she couldn't say. ... She waved" so that epochs can be compared with
the post's; a CSV log, a TensorBoard log, and a checkpoint. Given text held out of
training, Keras' own validation gives its loss after every epoch (``val_loss``).
:class:`shared.training.Resume` makes an interrupted run carry on at its last
finished epoch and end as an uninterrupted one would.
"""
import time
from pathlib import Path

import keras

from joyce_lstm import corpus, models, pipeline
from joyce_lstm.layout import CHECKPOINT, checkpoint_path, samples_path
from joyce_lstm.sampling import epoch_samples, format_samples
from shared import UserError, distribute, runtime
from shared.cli import log
from shared.runs import write_json, write_text
from shared.training import EpochTimes, ProgressLog, RecordEpochTimes, Resume


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


def held_out_data(held_out, vocab, settings):
    """The held-out text's windows its loss is taken on after every epoch (Keras' ``val_loss``):
    :data:`~joyce_lstm.corpus.HELD_OUT_WINDOWS` of them, the same in every run."""
    starts = pipeline.window_starts(len(held_out), settings.maxlen, settings.step)
    starts = pipeline.subsample(starts, corpus.HELD_OUT_WINDOWS)
    return pipeline.FixedWindows(vocab.encode(held_out), starts, settings.maxlen, len(vocab), settings.batch_size)


def train(settings, run_dir, seed, vocab, text, echo=True, devices=1, held_out=""):
    """Train (or finish training) a run's model on ``text`` with the :class:`~joyce_lstm.config.Config`
    ``settings``; every epoch's checkpoint, samples and log go to ``run_dir``.

    Returns ``{"seconds": ..., "epochs_trained": ...}``. ``echo`` prints the samples
    as the post's script does. ``devices``: each batch is split across that many; call it
    inside ``distribute.scope(devices)``. ``held_out``: text never trained on, whose loss
    the log keeps as ``val_loss`` after every epoch.
    """
    run_dir = Path(run_dir)
    runtime.seed_everything(seed)
    model = models.build(len(vocab), settings.units, settings.layers)  # LSTM(128) -> softmax, Nadam
    fit_data, dataset = make_data(vocab.encode(text), settings, seed, len(vocab))
    if dataset is not None:
        fit_data["x"] = distribute.even_batches(dataset, devices)
    if held_out:
        fit_data["validation_data"] = distribute.even_batches(held_out_data(held_out, vocab, settings), devices)

    (run_dir / "checkpoints").mkdir(exist_ok=True)
    sampler = Samples(run_dir, vocab, text, settings, seed, echo=echo)
    timer = EpochTimes()
    callbacks = [
        keras.callbacks.TerminateOnNaN(),
        keras.callbacks.CSVLogger(str(run_dir / "history.csv"), append=True),
        keras.callbacks.ModelCheckpoint(str(run_dir / "checkpoints" / CHECKPOINT), save_best_only=False),
        timer,
        sampler,
        ProgressLog("joyce_lstm", settings.epochs, every=1, monitor="loss"),
        RecordEpochTimes(run_dir, timer, sampler),  # as each epoch ends: a killed session keeps them
    ]
    if runtime.has_tensorflow():
        callbacks.append(keras.callbacks.TensorBoard(log_dir=str(run_dir / "logs")))
    else:
        log("TensorFlow is not installed: no TensorBoard log (the CSV log has the same losses)")

    resume = Resume(run_dir)
    start = time.perf_counter()
    if not resume.finished(settings.epochs):
        model.fit(epochs=settings.epochs, callbacks=resume.callbacks(callbacks, data=dataset), verbose=0,
                  **fit_data)
    seconds = time.perf_counter() - start
    if not checkpoint_path(run_dir, settings.epochs).exists():
        raise UserError(f"training stopped before epoch {settings.epochs} (the loss became NaN?): "
                        f"see {run_dir / 'history.csv'}")
    return {"seconds": seconds, "epochs_trained": settings.epochs - resume.epoch}
