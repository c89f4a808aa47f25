"""Training Gene Lyrica One or Two, resumably, with a sample of lyrics after every epoch.

Run folder: ``tokenizer.json`` (also beside the checkpoints), ``history.csv``
(loss and accuracy per epoch), ``checkpoints/epoch-NNN.weights.h5``,
``samples/epoch-NNN.txt`` ("hello world" continued at randomness 0.3, the
author's web page's setting), ``model.weights.h5`` (the weights training ended
with), ``backup/`` while training (Keras' BackupAndRestore).
"""
import json
import time
from pathlib import Path

import keras
import numpy as np

from lyrics import models, sampling
from lyrics.layout import CHECKPOINT, SEED_TEXT
from lyrics.text import Tokenizer
from shared.cli import log
from shared.runs import record_epoch_times, write_json, write_text
from shared.training import (EpochBackup, EpochSeeds, EpochSync, EpochTimes, ProgressLog, ResumableEarlyStopping,
                             ShuffledArrays, backup_epoch, read_history, resume_state, truncate_history)


def build(config, encoder=None, embedding=None):
    s = config["settings"]
    vocab_size = config["corpus"]["vocabulary"] + 1
    if config["experiment"] == "one":
        return models.build_one(vocab_size, config["corpus"]["sequence_length"], embedding,
                                s["embedding_dim"], s["units"], s["dense"])
    return models.build_two(encoder, vocab_size, s["dense"], s["learning_rate"])


def load_encoder(config):
    from lyrics import encoders

    s = config["settings"]
    return encoders.load(s["encoder"], s["max_tokens"], s["encoder_trainable"])


def frozen_encoder(config):
    return config["experiment"] == "two" and not config["settings"]["encoder_trainable"]


def trained_part(model, config):
    """What training changes: the whole model, or with a frozen encoder only the layers
    after it (a model of its own, from the sentence vector to the softmax, sharing the
    whole model's layers). Its weights are what checkpoints hold."""
    if not frozen_encoder(config):
        return model
    dense = model.get_layer("dense")
    head = keras.Model(dense.input, model.output, name="gene_lyrica_two_head")
    head.compile(optimizer=keras.optimizers.Adam(config["settings"]["learning_rate"]),
                 loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return head


def load_trained(run_dir, config, weights=None):
    """The run's model with its trained weights, its tokenizer and its sampling context."""
    run_dir = Path(run_dir)
    tokenizer = Tokenizer.load(run_dir / "tokenizer.json")
    encoder = load_encoder(config) if config["experiment"] == "two" else None
    model = build(config, encoder)
    part = trained_part(model, config)
    part.optimizer.build(part.trainable_variables)  # the weight files hold its state too
    part.load_weights(str(weights or run_dir / "model.weights.h5"))
    context = sampling.Context(tokenizer, config["corpus"]["sequence_length"], encoder)
    return model, context


class Samples(keras.callbacks.Callback):
    """After each epoch: "hello world" continued, printed and written to ``samples/``."""

    def __init__(self, run_dir, context, settings, seed, echo=True, model=None):
        super().__init__()
        self.run_dir, self.context, self.settings, self.seed, self.echo = Path(run_dir), context, settings, seed, echo
        self.whole = model  # the whole model, when training fits only a part of it
        self.seconds = []

    def on_epoch_end(self, epoch, logs=None):
        start = time.perf_counter()
        seed_text, cont = sampling.generate((self.whole or self.model).predict_on_batch, self.context, SEED_TEXT,
                                            self.settings["sample_length"], self.settings["randomness"],
                                            [self.seed, epoch + 1])
        lyrics = sampling.render(seed_text, cont, self.context.tokenizer.level)
        path = self.run_dir / "samples" / f"epoch-{epoch + 1:03d}.txt"
        path.parent.mkdir(exist_ok=True)
        write_text(path, lyrics + "\n")
        if self.echo:
            print(f"----- after epoch {epoch + 1} (randomness {self.settings['randomness']}):\n{lyrics}\n",
                  flush=True)
        self.seconds.append(time.perf_counter() - start)


def training_data(config, corpus, encoder=None, model=None):
    """Token windows (one); the encoder's inputs for every text window (two); or, with a
    frozen encoder, the sentence vectors themselves, computed once."""
    if config["experiment"] == "one":
        x, y = corpus.windows()
        return x, y
    texts, y = corpus.text_windows()
    log(f"preparing {len(texts):,} text windows for the sentence encoder")
    x = encoder.prepare(texts)
    if model is not None and frozen_encoder(config):
        start = time.perf_counter()
        vectors = keras.Model(model.inputs, model.get_layer("dense").input)
        x = np.asarray(vectors.predict(x, batch_size=256, verbose=0), dtype=np.float32)
        log(f"encoded them once with the frozen encoder ({time.perf_counter() - start:.0f} s)")
    return x, y


def train(run_dir, config, corpus, encoder=None, echo=True):
    """Train (or finish training) the run's model; return a summary."""
    from shared import runtime

    run_dir = Path(run_dir)
    s, seed = config["settings"], config["seed"]
    done_marker = run_dir / "trained.json"
    if done_marker.exists():
        return json.loads(done_marker.read_text())
    backup = run_dir / "backup"
    history_csv = str(run_dir / "history.csv")
    done = backup_epoch(backup)
    rows = truncate_history(history_csv, done)
    if done:
        log(f"resuming after epoch {done} of at most {s['epochs']}")
    runtime.seed_everything(seed)
    init = run_dir / "embedding_init.npy"
    embedding = np.load(init) if init.exists() else None
    model = build(config, encoder, embedding)
    part = trained_part(model, config)
    (run_dir / "checkpoints").mkdir(exist_ok=True)
    x, y = training_data(config, corpus, encoder, model)
    context = sampling.Context(corpus.tokenizer, corpus.seq_len, encoder)
    sampler = Samples(run_dir, context, s, seed, echo=echo, model=model)
    timer = EpochTimes()
    stopper = ResumableEarlyStopping(monitor="loss", patience=s["patience"], min_delta=s["min_delta"],
                                     restored=resume_state(rows, "loss"))
    data = ShuffledArrays(x, y, s["batch_size"], seed=seed)
    callbacks = [
        EpochSync(data),
        EpochSeeds(),
        keras.callbacks.TerminateOnNaN(),
        keras.callbacks.CSVLogger(history_csv, append=True),
        keras.callbacks.ModelCheckpoint(str(run_dir / "checkpoints" / CHECKPOINT), save_weights_only=True),
        timer,
        sampler,
        ProgressLog(f"lyrics {config['experiment']}", s["epochs"], every=1, monitor="loss"),
        stopper,
        # Last, so that an epoch counts as done only once its log, checkpoint and sample are written.
        EpochBackup(str(backup), every=1, double_checkpoint=True, delete_checkpoint=False),
    ]
    start = time.perf_counter()
    if done < s["epochs"]:
        part.fit(data, epochs=s["epochs"], shuffle=False, callbacks=callbacks, verbose=0)
    seconds = time.perf_counter() - start
    history = read_history(history_csv)
    if not history or not np.isfinite(float(history[-1]["loss"])):
        from shared import UserError

        raise UserError(f"training produced no finite loss (see {history_csv})")
    last = int(history[-1]["epoch"]) + 1
    part.load_weights(str(run_dir / "checkpoints" / CHECKPOINT.format(epoch=last)))
    part.save_weights(str(run_dir / "model.weights.h5"))
    record_epoch_times(run_dir, done + 1, timer.seconds, sampler.seconds)
    summary = {"epochs": last, "stopped_early": last < s["epochs"], "seconds_this_session": seconds,
               "samples": int(len(y))}
    write_json(done_marker, summary)
    return summary
