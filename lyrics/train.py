"""Training Gene Lyrica One or Two with ``fit``, resumably, with lyrics written after every epoch.

What it writes in the run folder: ``history.csv`` (loss and accuracy per epoch),
``checkpoints/epoch-NNN.weights.h5``, ``samples/epoch-NNN.txt`` ("hello world"
continued at the run's randomness), ``model.weights.h5`` (the weights training
ended with) and ``trained.json`` (training is over). ``backup/`` (Keras'
BackupAndRestore) holds the last finished epoch while training runs and is
removed when training is over.
"""
import json
import os
import shutil
import time
from pathlib import Path

import keras
import numpy as np

from lyrics import models, sampling
from lyrics.config import experiment_of
from lyrics.layout import CHECKPOINT, SEED_TEXT
from shared import UserError, distribute, runtime
from shared.cli import log
from shared.runs import write_json, write_text
from shared.training import (EpochBackup, EpochSeeds, EpochSync, EpochTimes, ProgressLog, RecordEpochTimes,
                             ResumableEarlyStopping, ShuffledArrays, backup_epoch, read_history, resume_state,
                             truncate_history)


def build(settings, vocab_size, seq_len, encoder=None, embedding=None):
    """The model of ``settings`` (One or Two) for ``vocab_size`` output classes, compiled."""
    if experiment_of(settings) == "one":
        return models.build_one(vocab_size, seq_len, embedding, settings.embedding_dim, settings.units,
                                settings.dense)
    return models.build_two(encoder, vocab_size, settings.dense, settings.learning_rate)


def trained_part(model, settings):
    """What training changes: the whole model, or with a frozen encoder only the layers
    after it (a model of its own, from the sentence vector to the softmax, sharing the
    whole model's layers). Its weights are what checkpoints hold."""
    if not getattr(settings, "freeze_encoder", False):
        return model
    dense = model.get_layer("dense")
    head = keras.Model(dense.input, model.output, name="gene_lyrica_two_head")
    head.compile(optimizer=keras.optimizers.Adam(settings.learning_rate),
                 loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return head


def save_weights(model, path):
    """``model.save_weights(path)``, whole or not at all. (``shared.runs.atomic_path``'s temporary
    names end in ``.tmp.h5``, and Keras wants a weights file's name to end in ``.weights.h5``.)"""
    path = Path(path)
    tmp = path.with_name(f".{os.getpid()}.{path.name}")
    try:
        model.save_weights(str(tmp))
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


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


def training_data(settings, corpus, encoder=None, model=None):
    """Token windows (One); the encoder's inputs for every text window (Two); or, with a
    frozen encoder, the sentence vectors themselves, computed once."""
    if experiment_of(settings) == "one":
        return corpus.windows()
    texts, y = corpus.text_windows()
    log(f"preparing {len(texts):,} text windows for the sentence encoder")
    x = encoder.prepare(texts)
    if model is not None and settings.freeze_encoder:
        start = time.perf_counter()
        vectors = keras.Model(model.inputs, model.get_layer("dense").input)
        x = np.asarray(vectors.predict(x, batch_size=256, verbose=0), dtype=np.float32)
        log(f"encoded them once with the frozen encoder ({time.perf_counter() - start:.0f} s)")
    return x, y


def train(settings, run_dir, corpus, encoder=None, embedding=None, seed=0, echo=True, devices=1):
    """Train (or finish training) a run's model on ``corpus``; return a summary.

    ``embedding``: One's initial word vectors (None: Keras' own). ``devices``: each batch
    is split across that many; call it inside ``distribute.scope(devices)``. Resumes from
    ``run_dir/backup`` when an earlier session left one; a run whose training is
    over (``trained.json``) returns at once.
    """
    run_dir = Path(run_dir)
    done_marker, backup = run_dir / "trained.json", run_dir / "backup"
    if done_marker.exists():
        shutil.rmtree(backup, ignore_errors=True)
        return json.loads(done_marker.read_text())
    history_csv = str(run_dir / "history.csv")
    done = backup_epoch(backup)
    rows = truncate_history(history_csv, done)
    if done:
        log(f"resuming after epoch {done} of at most {settings.epochs}")
    runtime.seed_everything(seed)
    model = build(settings, corpus.tokenizer.size, corpus.seq_len, encoder, embedding)
    part = trained_part(model, settings)
    (run_dir / "checkpoints").mkdir(exist_ok=True)
    x, y = training_data(settings, corpus, encoder, model)
    context = sampling.Context(corpus.tokenizer, corpus.seq_len, encoder)
    sampler = Samples(run_dir, context, settings, seed, echo=echo, model=model)
    timer = EpochTimes()
    stopper = ResumableEarlyStopping(monitor="loss", patience=settings.patience, min_delta=settings.min_delta,
                                     restored=resume_state(rows, "loss"))
    data = ShuffledArrays(x, y, settings.batch_size, seed=seed)
    callbacks = [
        EpochSync(data),
        EpochSeeds(),
        keras.callbacks.TerminateOnNaN(),
        keras.callbacks.CSVLogger(history_csv, append=True),
        keras.callbacks.ModelCheckpoint(str(run_dir / "checkpoints" / CHECKPOINT), save_weights_only=True),
        timer,
        sampler,
        ProgressLog(f"lyrics {experiment_of(settings)}", settings.epochs, every=1, monitor="loss"),
        stopper,
        RecordEpochTimes(run_dir, timer, sampler),  # as each epoch ends: a killed session keeps them
        # Last, so that an epoch counts as done only once its log, checkpoint and sample are written.
        EpochBackup(str(backup), every=1, double_checkpoint=True, delete_checkpoint=False),
    ]
    start = time.perf_counter()
    if done < settings.epochs:
        part.fit(distribute.even_batches(data, devices), epochs=settings.epochs, shuffle=False, callbacks=callbacks,
                 verbose=0)
    seconds = time.perf_counter() - start
    history = read_history(history_csv)
    if not history or not np.isfinite(float(history[-1]["loss"])):
        raise UserError(f"training produced no finite loss (see {history_csv})")
    last = int(history[-1]["epoch"]) + 1
    part.load_weights(str(run_dir / "checkpoints" / CHECKPOINT.format(epoch=last)))
    save_weights(part, run_dir / "model.weights.h5")
    summary = {"epochs": last, "stopped_early": last < settings.epochs, "seconds_this_session": seconds,
               "samples": int(len(y))}
    write_json(done_marker, summary)
    shutil.rmtree(backup, ignore_errors=True)  # training is over: BackupAndRestore's folder has served
    return summary
