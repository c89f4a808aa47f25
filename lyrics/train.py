"""Training Gene Lyrica One or Two with ``fit``, resumably, with lyrics written after every epoch.

What it writes in the run folder: ``history.csv`` (loss and accuracy per epoch; with
held-out songs, also their val_loss and val_accuracy),
``checkpoints/epoch-NNN.weights.h5``, ``samples/epoch-NNN.txt`` ("hello world"
continued at the run's randomness), ``model.weights.h5`` (the weights training
ended with) and ``trained.json`` (training is over). ``backup/``
(:class:`shared.training.Resume`) holds the last finished epoch while training
runs, and ``encoded/`` Two's sentence vectors when its encoder is frozen (computed
once, not again in a resumed session); both are removed when training is over. A seed
study's runs keep those vectors in the study's own ``encoded/`` instead: the seeds after
the first read them.
"""
import hashlib
import json
import shutil
import time
from pathlib import Path

import keras
import numpy as np

from lyrics import sampling
from lyrics.config import experiment_of
from lyrics.layout import CHECKPOINT, ENCODED, SEED_TEXT
from lyrics.models import build, trained_part
from shared import UserError, distribute, runtime
from shared.cli import log
from shared.runs import save_weights, write_json, write_text
from shared.training import (EpochTimes, InOrderArrays, ProgressLog, RecordEpochTimes, Resume, ShuffledArrays,
                             computed_once, read_history)


class Samples(keras.callbacks.Callback):
    """After each epoch: "hello world" continued, printed and written to ``samples/``."""

    def __init__(self, run_dir, context, settings, seed, echo=True, model=None):
        super().__init__()
        self.run_dir, self.context, self.settings, self.seed, self.echo = Path(run_dir), context, settings, seed, echo
        self.whole = model  # the whole model, when training fits only a part of it
        self.seconds = []

    def on_epoch_end(self, epoch, logs=None):
        start = time.perf_counter()
        rng = runtime.rng(self.seed, f"lyrics after epoch {epoch + 1}")
        seed_text, cont = sampling.generate((self.whole or self.model).predict_on_batch, self.context, SEED_TEXT,
                                            self.settings.sample_length, self.settings.randomness, rng)
        lyrics = sampling.render(seed_text, cont, self.context.tokenizer.level)
        path = self.run_dir / "samples" / f"epoch-{epoch + 1:03d}.txt"
        path.parent.mkdir(exist_ok=True)
        write_text(path, lyrics + "\n")
        if self.echo:
            print(f"----- after epoch {epoch + 1} (randomness {self.settings.randomness}):\n{lyrics}\n",
                  flush=True)
        self.seconds.append(time.perf_counter() - start)


def training_data(settings, corpus, encoder=None, model=None, held_out=False, run_dir=None, vectors=None):
    """Token windows (One); the encoder's inputs for every text window (Two); or, with a
    frozen encoder, the sentence vectors themselves, computed once (with ``run_dir``, kept in
    its ``encoded/`` until training is over, so that a resumed session reads them; with
    ``vectors``, kept in that folder instead, for every run that encodes the same windows
    with the same encoder: a seed study's seeds). Of the training songs, or with
    ``held_out`` of the held-out ones."""
    if experiment_of(settings) == "one":
        return corpus.windows(held_out)
    texts, y = corpus.text_windows(held_out)
    if model is None or not settings.freeze_encoder:
        return encoder_inputs(encoder, texts, held_out), y
    if run_dir is None:
        return sentence_vectors(model, encoder, texts, held_out), y
    part = "held_out" if held_out else "train"
    if vectors is None:
        path, earlier = Path(run_dir) / ENCODED / f"{part}.npy", "an earlier session"
    else:  # named by what was encoded and by which encoder: other songs or another encoder miss it
        path, earlier = Path(vectors) / f"{part}-{fingerprint(encoder, texts)}.npy", "an earlier run"
    return computed_once(path, lambda: sentence_vectors(model, encoder, texts, held_out), len(y), earlier), y


def fingerprint(encoder, texts):
    """A short digest of the encoder's description and of the text windows, in order."""
    digest = hashlib.sha256(json.dumps(encoder.describe(), sort_keys=True).encode())
    for text in texts:
        digest.update(text.encode() + b"\0")
    return digest.hexdigest()[:16]


def encoder_inputs(encoder, texts, held_out):
    log(f"preparing {len(texts):,} {'held-out ' if held_out else ''}text windows for the sentence encoder")
    return encoder.prepare(texts)


def sentence_vectors(model, encoder, texts, held_out):
    """What the frozen encoder makes of ``texts``: the input of the model's first Dense layer."""
    x = encoder_inputs(encoder, texts, held_out)
    start = time.perf_counter()
    vectors = keras.Model(model.inputs, model.get_layer("dense").input)
    x = np.asarray(vectors.predict(x, batch_size=256, verbose=0), dtype=np.float32)
    log(f"encoded them once with the frozen encoder ({time.perf_counter() - start:.0f} s)")
    return x


def train(settings, run_dir, corpus, encoder=None, embedding=None, seed=0, echo=True, devices=1, vectors=None):
    """Train (or finish training) a run's model on ``corpus``; return a summary.

    ``embedding``: One's initial word vectors (None: Keras' own). ``devices``: each batch
    is split across that many; call it inside ``distribute.scope(devices)``. ``vectors``:
    where a frozen encoder's sentence vectors are kept for other runs too (:func:`training_data`). Resumes from
    ``run_dir/backup`` when an earlier session left one; a run whose training is
    over (``trained.json``) returns at once.
    """
    run_dir = Path(run_dir)
    if (run_dir / "trained.json").exists():
        training_over(run_dir)
        return json.loads((run_dir / "trained.json").read_text())
    runtime.seed_everything(seed)
    model = build(settings, corpus.tokenizer.size, corpus.seq_len, encoder, embedding)
    part = trained_part(model, settings)
    x, y = training_data(settings, corpus, encoder, model, run_dir=run_dir, vectors=vectors)
    data = ShuffledArrays(x, y, settings.batch_size, seed=seed)
    held_out = None  # the held-out songs' windows: Keras reports their loss as val_loss after each epoch
    if corpus.held_out:
        x_held, y_held = training_data(settings, corpus, encoder, model, held_out=True, run_dir=run_dir,
                                       vectors=vectors)
        held_out = distribute.even_batches(InOrderArrays(x_held, y_held, settings.batch_size), devices)

    (run_dir / "checkpoints").mkdir(exist_ok=True)
    sampler = Samples(run_dir, sampling.Context(corpus.tokenizer, corpus.seq_len, encoder), settings, seed,
                      echo=echo, model=model)
    timer = EpochTimes()
    early_stopping = keras.callbacks.EarlyStopping(monitor="loss", patience=settings.patience,
                                                   min_delta=settings.min_delta)
    callbacks = [
        keras.callbacks.TerminateOnNaN(),
        keras.callbacks.CSVLogger(str(run_dir / "history.csv"), append=True),
        keras.callbacks.ModelCheckpoint(str(run_dir / "checkpoints" / CHECKPOINT), save_weights_only=True),
        timer,
        sampler,
        ProgressLog(f"lyrics {experiment_of(settings)}", settings.epochs, every=1, monitor="loss"),
        early_stopping,
        RecordEpochTimes(run_dir, timer, sampler),  # as each epoch ends: a killed session keeps them
    ]
    resume = Resume(run_dir)
    start = time.perf_counter()
    if not resume.finished(settings.epochs, early_stopping):
        part.fit(distribute.even_batches(data, devices), epochs=settings.epochs, shuffle=False,
                 validation_data=held_out, callbacks=resume.callbacks(callbacks, data=data), verbose=0)
    seconds = time.perf_counter() - start
    return finish(run_dir, part, seconds, len(y), settings)


def finish(run_dir, part, seconds, samples, settings):
    """The last epoch's weights as ``model.weights.h5``, and ``trained.json``: training is over."""
    history = read_history(run_dir / "history.csv")
    if not history or not np.isfinite(float(history[-1]["loss"])):
        raise UserError(f"training produced no finite loss (see {run_dir / 'history.csv'})")
    last = int(history[-1]["epoch"]) + 1
    part.load_weights(str(run_dir / "checkpoints" / CHECKPOINT.format(epoch=last)))
    save_weights(part, run_dir / "model.weights.h5")
    summary = {"epochs": last, "stopped_early": last < settings.epochs, "seconds_this_session": seconds,
               "samples": int(samples)}
    write_json(run_dir / "trained.json", summary)
    training_over(run_dir)
    return summary


def training_over(run_dir):
    """What only a resumed session needs goes: the backup, and Two's encoded sentence vectors."""
    Resume.clear(run_dir)
    shutil.rmtree(Path(run_dir) / ENCODED, ignore_errors=True)
